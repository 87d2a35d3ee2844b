"""Golden record: the bundled example article tagged end to end, compared field by field.

The golden file pins what `make demo` shows. When a change to a stage or a model changes the
record on purpose, regenerate it and review the diff like code:

    NEWSTAG_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_golden.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from newstag.emit.record import to_record
from newstag.pipeline import Tagger
from newstag.types import RawDocument

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "article.txt"
GOLDEN = REPO / "tests" / "golden" / "example_record.json"


def _record() -> dict:
    text = EXAMPLE.read_text(encoding="utf-8")
    record = to_record(Tagger().tag(RawDocument(id="examples/article.txt", text=text)))
    record.pop("versions")  # changes with every rebuild; the manifest tests cover it
    return json.loads(json.dumps(record))


def test_example_record_matches_golden():
    record = _record()
    if os.environ.get("NEWSTAG_UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    for key in golden:
        assert record[key] == golden[key], f"field {key!r} differs from {GOLDEN.name}; see this module's docstring"
    assert set(record) == set(golden)


def test_example_offsets_point_at_their_text():
    text = EXAMPLE.read_text(encoding="utf-8")
    record = _record()
    assert record["places"], "the example names places"
    for place in record["places"]:
        assert text[place["start"] : place["end"]] == place["text"]
