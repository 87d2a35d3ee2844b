"""Encodings: honoured when declared (BOM, HTTP charset, HTML meta), detected with a warning when
not, refused only for bytes that are no text. Offsets index the decoded text; the record says
which encoding was used."""

from __future__ import annotations

import codecs

import pytest

from newstag.emit.record import to_record
from newstag.parse.readers import read_bytes
from newstag.pipeline import Tagger
from newstag.types import RawDocument
from tests.robustness.conftest import jsonl_records, newstag

TEXT = "Café owners in Paris protest\n\nPARIS - Café owners in France said on Monday that the new tax on terraces was unfair and hurt their business.\n"
HTML = (
    '<html><head><meta charset="windows-1252"><title>Café owners protest</title></head><body><article>'
    "<h1>Café owners protest in Paris</h1>"
    "<p>PARIS - Café owners in France said on Monday that the new tax on terraces was unfair, and that "
    "“the government” had not listened to them. They plan to close their terraces for a day in protest.</p>"
    "<p>The union said the tax would cost a small café more than a month of its profits each year.</p>"
    "</article></body></html>"
)


def _record(doc: RawDocument) -> dict:
    return to_record(Tagger().tag(doc))


def _offsets_hold(record: dict, text: str) -> None:
    for place in record["places"]:
        field = text if place["field"] == "text" else record["title"]
        assert field[place["start"] : place["end"]] == place["text"]


def test_html_declaring_windows_1252_is_read_in_it(tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes(HTML.encode("cp1252"))
    record = jsonl_records(newstag("tag", str(page), "--format", "jsonl").stdout)[0]
    assert record["error"] is None
    assert record["encoding"] == "cp1252" and record["warnings"] == []
    assert "“the government”" in record["text"]
    assert any(p["text"] == "Paris" or p["text"] == "France" for p in record["places"])
    _offsets_hold(record, record["text"])


@pytest.mark.parametrize("codec, bom", [("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE),
                                        ("utf-32-le", codecs.BOM_UTF32_LE), ("utf-8", codecs.BOM_UTF8)])
def test_text_with_a_byte_order_mark_is_read_in_its_encoding(codec, bom):
    doc = read_bytes(bom + TEXT.encode(codec), "a.txt", "raw")
    assert (doc.error, doc.encoding, doc.text, doc.warnings) == (None, codec, TEXT, ())


def test_undeclared_non_utf8_is_guessed_with_a_warning_naming_the_guess():
    doc = read_bytes(TEXT.encode("cp1252"), "a.txt", "raw")
    assert doc.error is None and doc.text == TEXT
    assert doc.warnings == (f"encoding not declared and not UTF-8: decoded as {doc.encoding} (a guess by charset-normalizer)",)
    record = _record(doc)
    assert record["encoding"] == doc.encoding
    _offsets_hold(record, doc.text)


def test_a_declared_charset_wins_over_a_guess():
    data = "Zażółć: władze Warszawy i Krakowa ogłosiły nowy plan.".encode("cp1250")
    doc = read_bytes(data, "body", "raw", charset="windows-1250")
    assert (doc.encoding, doc.warnings) == ("cp1250", ())
    assert doc.text.startswith("Zażółć")


def test_a_wrong_declaration_is_passed_over_with_a_warning():
    doc = read_bytes(TEXT.encode("utf-8"), "body", "raw", charset="no-such-charset")
    assert doc.text == TEXT and doc.encoding == "utf-8"
    assert doc.warnings == ("declared charset 'no-such-charset', which is not an encoding Python knows",)


def test_binary_bytes_are_an_error_record_not_a_crash():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 4
    doc = read_bytes(png, "image.txt", "raw")
    assert doc.error is not None and "not text" in doc.error
    record = _record(doc)
    assert record["error_stage"] == "read" and record["places"] == []


def test_utf8_input_says_so():
    record = _record(read_bytes(TEXT.encode(), "a.txt", "raw"))
    assert record["encoding"] == "utf-8" and record["warnings"] == []


def test_utf8_with_one_stray_byte_is_not_garbled_by_a_guess():
    data = "Zürich and São Paulo: café owners said ".encode() + b"\xe9" + " the tax was unfair.".encode()
    doc = read_bytes(data, "a.txt", "raw")
    assert doc.encoding == "utf-8" and doc.text.startswith("Zürich and São Paulo")
    assert doc.text.count("\ufffd") == 1
    assert doc.warnings == ("byte 0xe9 at offset 42 (and any like it) is not UTF-8: replaced with U+FFFD",)
