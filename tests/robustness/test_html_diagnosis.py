"""HTML records say why they have no text, and carry the extracted text their offsets index."""

from __future__ import annotations

from newstag.emit.record import to_record
from newstag.parse.readers import read_bytes
from newstag.pipeline import Tagger
from tests.robustness.conftest import jsonl_records, newstag

STORY = "<p>" + "Chile and Argentina agreed on a gas pipeline across the Andes, ministers said in Santiago. " * 4 + "</p>"


def test_html_nested_past_the_parser_limit_says_why_it_has_no_text():
    page = ("<html><body>" + "<div>" * 300 + STORY + "</div>" * 300 + "</body></html>").encode()
    doc = read_bytes(page, "deep.html", "html")
    assert "nest 30" in doc.error and "past the HTML parser's limit of 255" in doc.error


def test_html_without_an_article_says_so():
    doc = read_bytes(b"<html><body><form><input name=q></form></body></html>", "form.html", "html")
    assert doc.error.startswith("no article text found in the HTML of form.html (no main text block")


def test_html_records_carry_the_text_their_offsets_point_into(tmp_path):
    page = tmp_path / "p.html"
    page.write_text("<html><body><article><h1>Pipeline deal</h1>" + STORY + "</article></body></html>")
    for jobs in ("1", "2"):
        record = jsonl_records(newstag("tag", str(page), "--format", "jsonl", "--jobs", jobs).stdout)[0]
        assert record["places"]
        for place in record["places"]:
            assert record["text"][place["start"] : place["end"]] == place["text"]


def test_an_html_error_record_still_names_its_stage_and_versions():
    record = to_record(Tagger().tag(read_bytes(b"<html><body></body></html>", "empty.html", "html")))
    assert record["error_stage"] == "read" and record["versions"]["newstag"]
