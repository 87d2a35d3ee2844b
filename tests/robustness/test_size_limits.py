"""Size and time bounds: HTML is capped like a JSON Lines line, its extraction is bounded in time
and runs where the article is tagged (a worker under --jobs), and an over-long line keeps its id."""

from __future__ import annotations

import io
import time

import orjson

import newstag.parse.readers as readers
from newstag.batch.stream import DocumentBytes, item_document, iter_items, jsonl_lines
from newstag.parse.readers import MAX_HTML_BYTES, read_bytes
from tests.robustness.conftest import jsonl_records, newstag

PARAGRAPH = "<p>Ministers from Chile and Argentina met in Santiago on Monday to discuss the pipeline.</p>\n"


def test_html_over_the_cap_is_an_error_record_and_fast(tmp_path):
    page = tmp_path / "huge.html"
    page.write_text("<html><body>" + PARAGRAPH * (MAX_HTML_BYTES // len(PARAGRAPH) + 10) + "</body></html>")
    started = time.monotonic()
    result = newstag("tag", str(page), str(page), "--format", "jsonl", "--no-geo", "--no-topics")
    assert time.monotonic() - started < 30  # the 20 MB page took 87 s; refused unparsed here
    records = jsonl_records(result.stdout)
    assert len(records) == 2
    assert "over the 5,000,000-byte limit for one page" in records[0]["error"]


def test_html_extraction_stops_after_its_time_limit(monkeypatch):
    import trafilatura

    def slow(*args, **kwargs):  # stands in for a page trafilatura spends minutes on
        time.sleep(5)

    monkeypatch.setattr(trafilatura, "bare_extraction", slow)
    monkeypatch.setattr(readers, "HTML_EXTRACT_SECONDS", 0.2)
    started = time.monotonic()
    doc = read_bytes(b"<html><body><p>x</p></body></html>", "slow.html", "html")
    assert time.monotonic() - started < 2
    assert doc.error is not None and "took over 0.2 s" in doc.error


def test_html_files_are_extracted_where_they_are_tagged(tmp_path):
    page = tmp_path / "p.html"
    page.write_text("<html><body><article><h1>Pipeline deal</h1>" + PARAGRAPH * 3 + "</article></body></html>")
    items = list(iter_items([str(page)]))
    # The parent only reads bytes; the worker that tags the item decodes and extracts it.
    assert items == [DocumentBytes(str(page), page.read_bytes(), "html")]
    assert "Santiago" in item_document(items[0]).text


def test_an_overlong_line_keeps_the_id_it_opens_with():
    line = orjson.dumps({"id": "wire-7", "text": "word " * 300}) + b"\n"
    short = orjson.dumps({"id": "next", "text": "Chile and Peru."}) + b"\n"
    items = list(jsonl_lines(io.BytesIO(line + short), max_line_bytes=1000))
    assert items[0].id == "wire-7" and "over the 1,000-byte limit" in items[0].error
    assert items[1] == (2, short)


def test_an_overlong_line_without_a_leading_id_is_named_by_its_number():
    line = orjson.dumps({"text": "word " * 300, "id": "late"}) + b"\n"
    assert list(jsonl_lines(io.BytesIO(line), max_line_bytes=1000))[0].id == "1"


def test_raw_text_over_its_cap_is_cut_with_a_warning(monkeypatch):
    monkeypatch.setattr(readers, "MAX_RAW_BYTES", 100)
    doc = read_bytes(("é" * 200).encode(), "long.txt", "raw")
    assert doc.error is None and doc.text == "é" * 50  # cut between characters, not inside one
    assert doc.warnings == ("input is 400 bytes; read only the first 100",)


def test_a_parquet_text_over_the_line_limit_is_an_error_record(tmp_path, monkeypatch):
    import pytest

    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    import newstag.parse.tables as tables

    monkeypatch.setattr(tables, "MAX_LINE_BYTES", 1000)
    path = tmp_path / "in.parquet"
    pq.write_table(pa.Table.from_pylist([{"id": "big", "text": "word " * 400}, {"id": "ok", "text": "Rain in Lima."}]), path)
    docs = list(tables.read_table(str(path), "parquet"))
    assert [d.id for d in docs] == ["big", "ok"]
    assert "over the 1,000 limit" in docs[0].error and docs[1].error is None
