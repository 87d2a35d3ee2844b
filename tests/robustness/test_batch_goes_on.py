"""One unreadable input costs its own record only: the batch goes on, every input has a record,
the count goes to stderr and the run ends with exit 3 (an input cannot be read)."""

from __future__ import annotations

import orjson

from newstag.batch.runner import run_tag
from newstag.options import TagOptions
from tests.robustness.conftest import ARTICLE, jsonl_records, newstag


def test_a_missing_and_a_non_utf8_file_do_not_end_a_multi_file_batch(tmp_path, article_file):
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Café owners in Paris protest\n\nPARIS - Café owners said the new tax was unfair.\n".encode("latin-1"))
    a3 = tmp_path / "a3.txt"
    a3.write_text(ARTICLE)
    out = tmp_path / "out.jsonl"
    paths = [str(article_file), str(latin1), str(tmp_path / "missing.txt"), str(tmp_path), str(a3)]
    result = newstag("tag", *paths, "-o", str(out))
    assert result.returncode == 3
    records = jsonl_records(out.read_bytes())
    assert [r["id"] for r in records] == paths
    by_id = {r["id"]: r for r in records}
    assert by_id[str(latin1)]["error"] is None  # decoded (a guess, warned), not refused
    assert by_id[str(tmp_path / "missing.txt")]["error"] == f"cannot read {tmp_path / 'missing.txt'}: No such file or directory"
    assert by_id[str(tmp_path)]["error_stage"] == "read"  # a directory
    assert by_id[str(a3)]["regions"] and by_id[str(article_file)]["regions"]
    assert b"2 of 5 inputs cannot be read" in result.stderr


def test_a_missing_jsonl_file_between_two_others(tmp_path):
    first, last = tmp_path / "1.jsonl", tmp_path / "3.jsonl"
    first.write_bytes(orjson.dumps({"id": "a", "text": ARTICLE}) + b"\n")
    last.write_bytes(orjson.dumps({"id": "c", "text": ARTICLE}) + b"\n")
    out = tmp_path / "out.jsonl"
    summary = run_tag([str(first), str(tmp_path / "2.jsonl"), str(last)], options=TagOptions(geo=False, topics=False),
                      output_format="jsonl", output=out, jobs=2)
    assert [r["id"] for r in jsonl_records(out.read_bytes())] == ["a", str(tmp_path / "2.jsonl"), "c"]
    assert summary.unreadable == (str(tmp_path / "2.jsonl"),)


def test_a_broken_table_among_other_inputs(tmp_path, article_file):
    table = tmp_path / "t.csv"
    table.write_text("id,body\n1,no text column here\n")
    out = tmp_path / "out.jsonl"
    result = newstag("tag", str(table), str(article_file), "-o", str(out), "--no-geo", "--no-topics")
    assert result.returncode == 3
    records = jsonl_records(out.read_bytes())
    assert [r["id"] for r in records] == [str(table), str(article_file)]
    assert "no 'text' column" in records[0]["error"] and records[1]["error"] is None


def test_text_output_of_a_batch_with_a_missing_file(tmp_path, article_file):
    result = newstag("tag", str(tmp_path / "gone.txt"), str(article_file), "--no-topics")
    assert result.returncode == 3
    assert b"Regions: Chile, Argentina" in result.stdout
