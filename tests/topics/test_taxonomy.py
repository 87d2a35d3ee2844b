import json
from pathlib import Path

import pytest

from newstag.errors import InputError
from newstag.topics.taxonomy import IPTC_ATTRIBUTION, build_taxonomy, iptc, taxonomy_from_json

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SOURCE = SHARED / "taxonomy" / "iptc_mediatopics.json"


def test_packaged_taxonomy_has_the_iptc_tree():
    tax = iptc()
    firsts = [t for t in tax.topics.values() if t.level == 1]
    assert len(firsts) == 17
    assert tax.by_label("politics and government").code == "medtop:11000000"
    # diplomacy (level 3) rolls up to international relations (2) and politics (1)
    assert tax.ancestor_at("medtop:20000639", 2).label == "international relations"
    assert tax.ancestor_at("medtop:20000639", 1).code == "medtop:11000000"
    assert "CC BY 4.0" in tax.attribution


@pytest.mark.shared
def test_build_taxonomy_matches_the_packaged_copy(tmp_path):
    if not SOURCE.exists():
        pytest.skip("../shared/taxonomy is absent")
    manifest = build_taxonomy(SOURCE, tmp_path)
    assert manifest["inputs"][0]["rows"] == 1085
    assert manifest["attribution"] == IPTC_ATTRIBUTION
    built = json.loads((tmp_path / "mediatopics.json").read_text(encoding="utf-8"))
    assert {t["code"] for t in built["topics"]} == set(iptc().topics)


def test_user_taxonomy_levels_follow_parents():
    tax = taxonomy_from_json([
        {"code": "news", "label": "News"},
        {"code": "local", "label": "Local news", "parent": "news"},
        {"code": "council", "label": "Council", "parent": "local"},
    ])
    assert [tax[c].level for c in ("news", "local", "council")] == [1, 2, 3]
    with pytest.raises(InputError, match="parent"):
        taxonomy_from_json([{"code": "a", "label": "A", "parent": "missing"}])
