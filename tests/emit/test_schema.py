"""The record's typed model (emit/schema.py) matches what the CLI really writes."""

from __future__ import annotations

import json
import subprocess
import sys

from newstag.emit.schema import RECORD_FIELDS, Record, record_json_schema

CLI = [sys.executable, "-m", "newstag.cli"]


def _records(*args: str, stdin: bytes | None = None) -> list[dict]:
    out = subprocess.run([*CLI, "tag", "--format", "jsonl", *args], input=stdin, capture_output=True, check=True)
    return [json.loads(line) for line in out.stdout.splitlines()]


def test_cli_records_validate_against_the_model(tmp_path, example_text, seed_text):
    (tmp_path / "example.txt").write_text(example_text, encoding="utf-8")
    (tmp_path / "seed.txt").write_text(seed_text, encoding="utf-8")
    records = _records(str(tmp_path / "example.txt"), str(tmp_path / "seed.txt"))
    assert len(records) == 2
    for record in records:
        model = Record.model_validate(record)
        # Every key the CLI wrote is a declared contract field (nothing passed through here).
        assert set(record) == set(RECORD_FIELDS)
        assert model.places and model.regions and model.general


def test_error_records_validate():
    lines = b'{"id": "a", "text": "Talks in Lima."}\n{"id": "b"}\nnot json\n'
    records = _records("--input-format", "jsonl", "-", stdin=lines)
    assert [r["id"] for r in records] == ["a", "b", "3"]
    for record in records:
        Record.model_validate(record)
    assert records[0]["error"] is None
    assert records[1]["error"] and records[2]["error"]


def test_html_records_carry_their_extracted_text_beside_the_contract():
    from pathlib import Path

    page = Path(__file__).resolve().parents[1] / "fixtures" / "page.html"
    record = _records(str(page))[0]
    model = Record.model_validate(record)
    assert set(record) - set(RECORD_FIELDS) == {"text"}
    fields = {"text": record["text"], "title": record["title"]}
    assert {p.field for p in model.places} == {"text", "title"}
    for place in model.places:
        assert fields[place.field][place.start : place.end] == place.text


def test_a_field_outside_the_contract_is_refused():
    import pytest
    from pydantic import ValidationError

    record = _records("--input-format", "jsonl", "-", stdin=b'{"text": "Rain in Oslo."}\n')[0]
    record["places"][0]["surprise"] = 1
    with pytest.raises(ValidationError):
        Record.model_validate(record)


def test_newstag_schema_prints_the_json_schema():
    out = subprocess.run([*CLI, "schema"], capture_output=True, check=True)
    schema = json.loads(out.stdout)
    assert schema == json.loads(json.dumps(record_json_schema()))
    assert set(schema["required"]) >= {"id", "general", "regions", "places", "versions", "error"}
    assert "PlaceRecord" in schema["$defs"]
