"""Offsets index the field exactly as given, once: titles with leading whitespace, and records
that have only a title."""

from __future__ import annotations

import orjson
import pytest

from newstag.batch.runner import run_tag
from newstag.emit.record import to_record
from newstag.options import TagOptions
from newstag.parse.readers import jsonl_record
from newstag.pipeline import Tagger
from tests.robustness.conftest import jsonl_records

TAGGER = Tagger()


def _tag(line: dict) -> dict:
    return to_record(TAGGER.tag(jsonl_record(orjson.dumps(line), 1)))


def _check(record: dict, given: dict) -> None:
    for place in record["places"]:
        field = given.get(place["field"]) or ""
        assert field[place["start"] : place["end"]] == place["text"], place


@pytest.mark.parametrize("title", ["   Chile and Argentina revive gas pipeline", "\n\tChile and Argentina revive gas pipeline  "])
def test_title_offsets_count_from_the_title_as_given(title):
    given = {"id": "t", "title": title, "text": "SANTIAGO - Chile and Argentina agreed on Monday to revive a gas pipeline across the Andes."}
    record = _tag(given)
    assert record["title"] == title
    in_title = [p for p in record["places"] if p["field"] == "title"]
    assert {p["text"] for p in in_title} >= {"Chile", "Argentina"}
    _check(record, given)


def test_a_title_only_record_lists_each_place_once_in_its_title():
    given = {"id": "brief", "title": "  Chile and Argentina sign gas deal", "text": ""}
    record = _tag(given)
    assert record["error"] is None and "no body text; tagged the title alone" in record["warnings"]
    assert [(p["text"], p["field"]) for p in record["places"]] == [("Chile", "title"), ("Argentina", "title")]
    _check(record, given)
    assert {r["code"] for r in record["regions"] if r["kind"] == "country"} == {"CL", "AR"}


def test_a_title_only_table_row_too(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text('id,title,text\nb1,"  Chile and Argentina sign gas deal",\n')
    out = tmp_path / "out.jsonl"
    run_tag([str(source)], options=TagOptions(), output_format="jsonl", output=out)
    record = jsonl_records(out.read_bytes())[0]
    assert [(p["text"], p["field"]) for p in record["places"]] == [("Chile", "title"), ("Argentina", "title")]
    _check(record, {"title": "  Chile and Argentina sign gas deal", "text": ""})
