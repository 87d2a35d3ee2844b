"""The input format: a file's suffix decides it; only stdin and unknown suffixes are sniffed, and
sniffed JSON Lines must open with a JSON object."""

from __future__ import annotations

import orjson

from newstag.parse.readers import detect_format
from tests.robustness.conftest import jsonl_records, newstag

BRACED = '{Updated} Chile and Argentina agree on gas pipeline\n\nSANTIAGO - Chile and Argentina agreed on Monday.\n{"note": 1}\n'


def test_a_txt_article_that_opens_with_a_brace_is_one_raw_article(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(BRACED)
    result = newstag("tag", str(path), "--format", "jsonl", "--no-topics")
    records = jsonl_records(result.stdout)
    assert len(records) == 1 and records[0]["error"] is None
    assert records[0]["title"] == "{Updated} Chile and Argentina agree on gas pipeline"


def test_sniffed_stdin_whose_first_line_is_no_json_object_is_raw_text():
    records = jsonl_records(newstag("tag", "--format", "jsonl", "--no-topics", stdin=BRACED.encode()).stdout)
    assert len(records) == 1 and records[0]["error"] is None and records[0]["id"] == "-"


def test_sniffed_stdin_json_lines_still_read_as_json_lines():
    lines = b"".join(orjson.dumps({"id": f"s{i}", "text": "Chile and Peru signed a deal."}) + b"\n" for i in range(3))
    records = jsonl_records(newstag("tag", "--no-geo", "--no-topics", stdin=lines).stdout)
    assert [r["id"] for r in records] == ["s0", "s1", "s2"]


def test_suffix_decides_and_sniffing_needs_an_object():
    assert detect_format("story.txt", b'{"text": "x"}\n') == "raw"
    assert detect_format("story.TEXT", b"<html><body>") == "raw"
    assert detect_format("-", b'{"text": "x"}\n') == "jsonl"
    assert detect_format("-", b"{not json}\n{more}\n") == "raw"
    assert detect_format("dump", b'\xef\xbb\xbf{"text": "x"}\n') == "jsonl"  # a BOM before the first object
    assert detect_format("-", b'{"text": "' + b"x" * 70_000) == "jsonl"  # one long first line


def test_a_jsonl_file_saved_with_a_bom_reads_its_first_line(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + orjson.dumps({"id": "first", "text": "Chile and Peru signed a deal."}) + b"\n")
    record = jsonl_records(newstag("tag", str(path), "--no-geo", "--no-topics").stdout)[0]
    assert record["id"] == "first" and record["error"] is None
