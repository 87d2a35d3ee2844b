from pathlib import Path

from newstag.parse import parse_document
from newstag.parse.readers import detect_format, jsonl_record, read_html, read_jsonl, read_path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_html_main_text_and_title():
    doc = read_html((FIXTURES / "page.html").read_text(), doc_id="page")
    assert doc.error is None
    assert "Harbour strike ends in Rotterdam" in doc.title
    assert "Dock workers in the Dutch port" in doc.text
    assert "All rights reserved" not in doc.text and "Home" not in doc.text.split()
    article = parse_document(doc)
    assert article.dateline is not None and article.dateline.text == "Rotterdam"


def test_html_file_detected_by_suffix():
    docs = list(read_path(str(FIXTURES / "page.html")))
    assert len(docs) == 1 and docs[0].kind == "html"


def test_jsonl_ids_and_line_numbers():
    lines = [b'{"id": "a", "text": "One."}', b'{"text": "Two."}', b'{"id": 7, "text": "Three.", "title": "T"}']
    docs = list(read_jsonl(lines))
    assert [d.id for d in docs] == ["a", "2", "7"]
    assert docs[2].title == "T"
    assert all(d.error is None for d in docs)


def test_bad_jsonl_lines_become_error_documents():
    cases = {
        b"": "empty",
        b"{not json": "not valid JSON",
        b'["a list"]': "not an object",
        b'{"id": "x"}': "no 'text'",
        b'{"id": "x", "text": 5}': "not a string",
        b'{"text": "caf\xe9"}': "not valid UTF-8",
        b'{"text": "a\x00b"}': "binary",
        b'{"id": "y", "text": "   "}': "empty 'text'",
    }
    for line, expected in cases.items():
        doc = jsonl_record(line, 3)
        assert doc.error is not None and expected in doc.error, (line, doc.error)
    assert jsonl_record(b'{"id": "x"}', 3).id == "x"  # the id is kept when it can be read


def test_overlong_line_is_refused_without_parsing():
    doc = jsonl_record(b'{"text": "' + b"a" * 2000 + b'"}', 9, max_line_bytes=1000)
    assert doc.error and "over the 1,000-byte limit" in doc.error and doc.id == "9"


def test_format_detection():
    assert detect_format("x.jsonl") == "jsonl"
    assert detect_format("x.HTML") == "html"
    assert detect_format("-", b'  {"text": 1}') == "jsonl"
    assert detect_format("-", b"<!DOCTYPE html><html>") == "html"
    assert detect_format("notes.txt", b"Title\n\nBody") == "raw"
