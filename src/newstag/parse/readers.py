"""Readers: files and streams -> RawDocument, one per article, never raising for one bad record.

    raw text  a file (or stdin) holding one scraped article; id = the path as given ("-" for stdin)
    HTML      a page; trafilatura extracts title and main text; id = the path
    JSONL     one object per line: `text` (required), `id`, `title` (optional); a missing id is the
              1-based line number as a string. A line that cannot be an article (bad JSON, no text,
              not UTF-8, binary, empty, too long) still yields a RawDocument, with `error` set, so
              that every input line yields exactly one output record.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

import orjson

from newstag.errors import InputError
from newstag.types import RawDocument

# A JSON Lines record longer than this is refused with an error record rather than parsed: no
# article is this long, and parsing it would hold a worker for seconds.
MAX_LINE_BYTES = 10_000_000

JSONL_SUFFIXES = {".jsonl", ".ndjson", ".jl"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
FORMATS = ("raw", "html", "jsonl")


def detect_format(path: str, head: bytes = b"") -> str:
    """The input format of `path` from its suffix, or for stdin / unknown suffixes from its first bytes."""
    suffix = Path(path).suffix.lower() if path != "-" else ""
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in {".parquet", ".csv", ".tsv"}:
        return suffix[1:]
    start = head.lstrip()[:64].lower()
    if start.startswith(b"{"):
        return "jsonl"
    if start.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body")):
        return "html"
    return "raw"


def read_path(path: str, input_format: str | None = None) -> Iterator[RawDocument]:
    stream = _open(path)
    try:
        head = stream.peek(256)[:256] if hasattr(stream, "peek") else b""
        fmt = input_format or detect_format(path, head)
        if fmt == "jsonl":
            yield from read_jsonl(stream)
        elif fmt == "html":
            yield read_html(_decode(stream.read(), path), doc_id=path)
        elif fmt == "raw":
            yield RawDocument(id=path, text=_decode(stream.read(), path), kind="raw")
        else:
            from newstag.parse.tables import read_table  # csv, tsv, parquet (pyarrow: an optional extra)

            yield from read_table(path, fmt)
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def _open(path: str) -> BinaryIO:
    if path == "-":
        return sys.stdin.buffer
    try:
        return open(path, "rb")  # noqa: SIM115 - closed by the caller
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from exc


def _decode(data: bytes, path: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path} is not UTF-8 text (byte {data[exc.start]:#04x} at offset {exc.start}): convert it to UTF-8") from exc


def read_html(html: str, doc_id: str) -> RawDocument:
    """Main text and title of an HTML page. The record's offsets point into the extracted text."""
    import trafilatura  # lazy: costs ~0.3 s to import

    doc = trafilatura.bare_extraction(html, include_comments=False, with_metadata=True)
    if doc is None:
        return RawDocument(id=doc_id, text="", kind="html", error=f"no article text found in the HTML of {doc_id}")
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    text = data.get("text") or ""
    title = data.get("title") or None
    first, _, rest = text.partition("\n")
    # trafilatura keeps the page's <h1> as the first line of the text. It is the headline: take it
    # as the title (cleaner than <title>, which often carries " | Site name") and out of the body.
    if first.strip() and rest and (title is None or first.strip() in title):
        title, text = first.strip(), rest
    return RawDocument(
        id=doc_id,
        text=text,
        title=title,
        kind="html",
        # HTML offsets are into the extracted text, so the record carries that text.
        extra=(("text", text),),
    )


def read_jsonl(lines: Iterable[bytes], max_line_bytes: int = MAX_LINE_BYTES) -> Iterator[RawDocument]:
    """One RawDocument per line of JSON Lines; a bad line becomes a RawDocument with `error` set."""
    for number, line in enumerate(lines, start=1):
        yield jsonl_record(line, number, max_line_bytes)


def jsonl_record(line: bytes, number: int, max_line_bytes: int = MAX_LINE_BYTES) -> RawDocument:
    """The document of line `number` (1-based) of a JSON Lines input."""
    fallback_id = str(number)
    if len(line) > max_line_bytes:
        return RawDocument(
            id=fallback_id,
            text="",
            kind="jsonl",
            error=f"line {number} is {len(line):,} bytes, over the {max_line_bytes:,}-byte limit for one article",
        )
    stripped = line.strip()
    if not stripped:
        return RawDocument(id=fallback_id, text="", kind="jsonl", error=f"line {number} is empty")
    if b"\x00" in stripped:
        return RawDocument(id=fallback_id, text="", kind="jsonl", error=f"line {number} holds binary data (NUL bytes), not JSON")
    try:
        obj = orjson.loads(stripped)
    except orjson.JSONDecodeError as exc:
        try:
            stripped.decode("utf-8")
        except UnicodeDecodeError as uexc:
            return RawDocument(
                id=fallback_id,
                text="",
                kind="jsonl",
                error=f"line {number} is not valid UTF-8 (byte {stripped[uexc.start]:#04x} at offset {uexc.start})",
            )
        return RawDocument(id=fallback_id, text="", kind="jsonl", error=f"line {number} is not valid JSON: {exc}")
    if not isinstance(obj, dict):
        return RawDocument(id=fallback_id, text="", kind="jsonl", error=f"line {number} is a JSON {type(obj).__name__}, not an object with a 'text' field")
    raw_id = obj.get("id")
    doc_id = fallback_id if raw_id is None or raw_id == "" else str(raw_id)
    text = obj.get("text")
    title = obj.get("title")
    if title is not None and not isinstance(title, str):
        title = str(title)
    if not isinstance(text, str):
        what = "has no 'text' field" if text is None else f"has a 'text' that is a {type(text).__name__}, not a string"
        return RawDocument(id=doc_id, text="", title=title, kind="jsonl", error=f"line {number} {what}")
    if not text.strip() and not (title or "").strip():
        return RawDocument(id=doc_id, text=text, title=title, kind="jsonl", error=f"line {number} has an empty 'text'")
    if not text.strip():
        # A headline-only record (a BRIEF wire item): tag the headline as the text.
        return RawDocument(id=doc_id, text=title or "", title=title, kind="jsonl", warnings=("no body text; tagged the title alone",))
    return RawDocument(id=doc_id, text=text, title=title, kind="jsonl")
