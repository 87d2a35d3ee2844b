"""`python -m newstag.eval.wikinews --explain`: the listing agrees with the scores it explains."""

from __future__ import annotations

import pytest

from newstag.eval.wikinews import explain, run_wikinews_eval


@pytest.mark.shared
def test_explain_lists_each_false_place_and_unresolved_non_place(shared_dir):
    lines = explain(shared_dir)
    counts = run_wikinews_eval(shared_dir)["newstag"]["counts"]
    kinds = [line.split("\t")[0] for line in lines]
    assert kinds.count("false place") == counts["false_places"]
    assert kinds.count("unresolved") == counts["unresolved_nonplaces"]
    assert all(len(line.split("\t")) == 5 for line in lines)
