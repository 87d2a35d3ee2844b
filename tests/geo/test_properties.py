"""Invariants of the geo stage on arbitrary text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

WORDS = ["Paris", "Texas", "Cuban", "the", "in", "Moscow", "said", "Georgia", "Jordan", "Mr.", "Reading", "US",
         "Kremlin", "Caribbean", "March", ",", ".", "\n", "SALVADOR", "Springfield", "Ill.", "Latin", "America"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=40))
def test_offsets_scores_and_order(tag, words):
    text = " ".join(words)
    if not text.strip():
        return
    places, regions = tag(text)
    for r in places:
        assert text[r.mention.start : r.mention.end] == r.mention.text
        assert 0.0 <= r.score <= 1.0
        assert (r.place is None) == (r.type == "unresolved")
    scores = [r.score for r in regions]
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores == sorted(scores, reverse=True)
    assert len({(r.kind, r.code) for r in regions}) == len(regions)
