"""Parquet and CSV in and out: the same articles give the same records whatever the container."""

from __future__ import annotations

import csv

import orjson
import pytest

from newstag.batch.runner import default_output_format, run_tag
from newstag.emit.table import COLUMNS
from newstag.options import TagOptions

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

# Written for these tests.
ROWS = [
    {"id": "w1", "title": "Floods close roads", "text": "DHAKA, Aug 4 - Floods in northern Bangladesh closed roads and cut power to thousands of homes after days of heavy rain."},
    {"id": "w2", "title": None, "text": "Shares in Tokyo rose for a third day as exporters gained on a weaker yen and hopes for more stimulus from the Bank of Japan."},
    {"id": "w3", "title": "Empty", "text": ""},
    {"id": None, "title": "Talks resume", "text": "Negotiators from Chile and Peru met in Lima on Monday to resume talks on a new trade agreement."},
    {"id": "w5", "title": "Ceasefire holds", "text": "A ceasefire between the two sides held for a second night, the United Nations said, as aid convoys reached the city."},
]


def _write_parquet(path):
    table = pa.table({k: [r[k] for r in ROWS] for k in ("id", "title", "text")})
    pq.write_table(table, path)


def _write_jsonl(path):
    path.write_bytes(b"".join(orjson.dumps({k: v for k, v in r.items() if v is not None}) + b"\n" for r in ROWS))


def test_parquet_round_trip(tmp_path):
    source = tmp_path / "in.parquet"
    _write_parquet(source)
    out = tmp_path / "out.parquet"
    assert default_output_format([str(source)], None, out) == "parquet"

    summary = run_tag([str(source)], options=TagOptions(), output_format="parquet", output=out)

    rows = pq.read_table(out).to_pylist()
    assert summary.records == len(ROWS) == len(rows)
    assert [r["id"] for r in rows] == ["w1", "w2", "w3", "4", "w5"]  # a missing id is the row number
    assert list(rows[0]) == list(COLUMNS)
    assert rows[0]["dateline"] == "DHAKA" and rows[0]["title"] == "Floods close roads"
    # A row whose text is empty but whose title is not is tagged on its title, like a JSON Lines brief.
    assert rows[2]["error"] == "" and rows[2]["title"] == "Empty"

    # The same articles as JSON Lines, written as CSV, give the same rows.
    jsonl = tmp_path / "in.jsonl"
    _write_jsonl(jsonl)
    csv_out = tmp_path / "out.csv"
    run_tag([str(jsonl)], options=TagOptions(), output_format="csv", output=csv_out)
    with open(csv_out, newline="") as f:
        assert list(csv.DictReader(f)) == rows


def test_parquet_and_jsonl_inputs_give_the_same_records(tmp_path):
    parquet_in, jsonl_in = tmp_path / "in.parquet", tmp_path / "in.jsonl"
    _write_parquet(parquet_in)
    _write_jsonl(jsonl_in)
    outputs = []
    for source in (parquet_in, jsonl_in):
        out = tmp_path / f"{source.suffix[1:]}.jsonl"
        run_tag([str(source)], options=TagOptions(), output_format="jsonl", output=out, jobs=2)
        outputs.append([orjson.loads(line) for line in out.read_bytes().splitlines()])
    assert outputs[0] == outputs[1]


def test_csv_input_with_a_bad_row(tmp_path):
    source = tmp_path / "in.csv"
    with open(source, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "text", "source"])
        writer.writerow(["c1", ROWS[0]["text"], "São Paulo"])  # the file is UTF-8 ...
        writer.writerow(["c2", "PLACEHOLDER", "test"])
        writer.writerow(["c3", ROWS[4]["text"], "test"])
    source.write_bytes(source.read_bytes().replace(b"PLACEHOLDER", b"caf\xe9 cr\xe8me"))  # ... but for one Latin-1 row
    out = tmp_path / "out.jsonl"
    summary = run_tag([str(source)], options=TagOptions(), output_format="jsonl", output=out)
    records = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert [r["id"] for r in records] == ["c1", "c2", "c3"]
    assert [bool(r["error"]) for r in records] == [False, True, False]
    assert "not valid UTF-8" in records[1]["error"]
    assert summary.errors == 1


def test_a_table_without_a_text_column_gets_one_error_record(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("id,body\n1,Some text here.\n")
    out = tmp_path / "o.jsonl"
    summary = run_tag([str(source)], options=TagOptions(), output_format="jsonl", output=out)
    records = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert [r["id"] for r in records] == [str(source)]
    assert "no 'text' column" in records[0]["error"] and records[0]["error_stage"] == "read"
    assert summary.unreadable == (str(source),)
