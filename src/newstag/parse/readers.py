"""Readers: files, streams and request bodies -> RawDocument, one per article, never raising for
one bad record.

    raw text  a file (or stdin) holding one scraped article; id = the path as given ("-" for stdin)
    HTML      a page; trafilatura extracts title and main text; id = the path
    JSONL     one object per line: `text` (required), `id`, `title` (optional); a missing id is the
              1-based line number as a string. A line that cannot be an article (bad JSON, no text,
              not UTF-8, binary, empty, too long) still yields a RawDocument, with `error` set, so
              that every input line yields exactly one output record.

`read_bytes` is the one entry point for the bytes of one document, wherever they come from (a
file here, an HTTP body in the service), so that every edge decodes and limits alike. The input
format is the caller's to give: a file's suffix decides it (`detect_format`); only stdin and
unknown suffixes are sniffed.

Limits (documented in the README):
    MAX_LINE_BYTES   one JSON Lines line (or CSV field): past it, an error record keeping the id
    MAX_HTML_BYTES   one HTML page: past it, an error record; extraction also stops after
                     HTML_EXTRACT_SECONDS where a timer can be set (the main thread of a process)
    MAX_RAW_BYTES    one raw text file: past it, only the first MAX_RAW_BYTES are read (warned)
"""

from __future__ import annotations

import codecs
import re
import signal
import sys
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import orjson

from newstag.parse.encodings import NotText, decode
from newstag.types import RawDocument

# A JSON Lines record longer than this is refused with an error record rather than parsed: no
# article is this long, and parsing it would hold a worker for seconds.
MAX_LINE_BYTES = 10_000_000
# HTML costs trafilatura ~0.35 s per MB of ordinary markup and far more for pathological markup
# (a 20 MB page took 87 s and 714 MB); real article pages are well under 2 MB.
MAX_HTML_BYTES = 5_000_000
HTML_EXTRACT_SECONDS = 30
# Text past 1,000,000 characters is cut by the parser anyway (TagOptions.max_chars); 10 MB holds
# that many characters in any encoding but UTF-32.
MAX_RAW_BYTES = 10_000_000

JSONL_SUFFIXES = {".jsonl", ".ndjson", ".jl"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
TEXT_SUFFIXES = {".txt", ".text"}
TABLE_FORMATS = ("csv", "tsv", "parquet")
INPUT_FORMATS = ("raw", "html", "jsonl", *TABLE_FORMATS)
# This much of stdin or of a file with an unknown suffix is read to sniff its format.
SNIFF_BYTES = 65_536

# An id at the start of a JSON Lines line too long to parse: `{"id": "a7", ...` or `{"id": 7, ...`.
_LEADING_ID_RE = re.compile(rb'\A\s*\{\s*"id"\s*:\s*(?:"((?:[^"\\]|\\.){1,200})"|(-?\d{1,30}))\s*,')


def detect_format(path: str, head: bytes = b"") -> str:
    """The input format of `path`: its suffix decides; for stdin and unknown suffixes, its first
    bytes. Sniffed JSON Lines must begin with a line that is a JSON object (a text article that
    opens with "{" is raw text)."""
    by_suffix = format_from_suffix(path)
    if by_suffix is not None:
        return by_suffix
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8) :]
    start = head.lstrip()[:64].lower()
    if start.startswith(b"{") and _first_line_is_object(head):
        return "jsonl"
    if start.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body")):
        return "html"
    return "raw"


def format_from_suffix(path: str) -> str | None:
    """The input format `path`'s suffix names, or None (stdin, an unknown suffix)."""
    suffix = Path(path).suffix.lower() if path != "-" else ""
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in TEXT_SUFFIXES:
        return "raw"
    if suffix[1:] in TABLE_FORMATS:
        return suffix[1:]
    return None


def _first_line_is_object(head: bytes) -> bool:
    line, newline, _ = head.lstrip().partition(b"\n")
    if not newline and len(head) >= SNIFF_BYTES:
        return line.startswith(b'{"')  # a first line longer than the sniffed head: trust its start
    try:
        return isinstance(orjson.loads(line), dict)
    except orjson.JSONDecodeError:
        return False


def read_bytes(data: bytes, doc_id: str, input_format: str, charset: str | None = None) -> RawDocument:
    """The document in `data`, the bytes of one document; never raises for bad bytes.

    input_format  "raw" (scraped text), "html" (a page: main text and title extracted), or "jsonl"
                  (one JSON object with `text`, `id`?, `title`?; its id wins over `doc_id`; JSON is
                  UTF-8, so `charset` is not used for it)
    charset       the charset its sender declared (an HTTP Content-Type parameter), if any

    Decoding (parse/encodings.py): a byte order mark, then `charset`, then an HTML page's own
    <meta charset>, then UTF-8, then a guess by charset-normalizer with a warning naming it; the
    record's `encoding` says which. Bytes that are no text give an error document. Size: HTML past
    MAX_HTML_BYTES is an error document; raw text past MAX_RAW_BYTES is cut, with a warning.
    """
    if input_format == "jsonl":
        return jsonl_record(data, 1, fallback_id=doc_id)
    if input_format not in ("raw", "html"):
        return RawDocument(id=doc_id, text="", error=f"unknown input format {input_format!r} for one document: use raw, html or jsonl")
    kind = "html" if input_format == "html" else "raw"
    warnings: list[str] = []
    if kind == "html" and len(data) > MAX_HTML_BYTES:
        return RawDocument(
            id=doc_id, text="", kind="html",
            error=f"{doc_id} is {len(data):,} bytes of HTML, over the {MAX_HTML_BYTES:,}-byte limit for one page",
        )
    if len(data) > MAX_RAW_BYTES:
        warnings.append(f"input is {len(data):,} bytes; read only the first {MAX_RAW_BYTES:,}")
        data = _cut_at_character(data, MAX_RAW_BYTES)
    try:
        decoded = decode(data, declared=charset, html=kind == "html")
    except NotText as exc:
        return RawDocument(id=doc_id, text="", kind=kind, error=f"{doc_id} is {exc}")
    warnings.extend(decoded.warnings)
    if kind == "html":
        return read_html(decoded.text, doc_id, encoding=decoded.encoding, warnings=tuple(warnings))
    return RawDocument(id=doc_id, text=decoded.text, kind="raw", warnings=tuple(warnings), encoding=decoded.encoding)


def _cut_at_character(data: bytes, limit: int) -> bytes:
    """`data[:limit]`, backed off so as not to split a UTF-8 character (other encodings: as cut)."""
    end = limit
    while end > limit - 4 and end > 0 and 0x80 <= data[end] < 0xC0:
        end -= 1
    return data[:end]


def read_path(path: str, input_format: str | None = None) -> Iterator[RawDocument]:
    """Every document of one file ("-": stdin). A file that cannot be opened or read gives one error
    document with the path as id; tables without a 'text' column raise InputError (tables.py)."""
    fmt = input_format
    if fmt is None:
        try:
            fmt = detect_format(path, read_head(path))
        except OSError as exc:
            yield unreadable(path, exc)
            return
    if fmt == "jsonl":
        try:
            stream = open_input(path)
        except OSError as exc:
            yield unreadable(path, exc)
            return
        try:
            yield from read_jsonl(stream)
        finally:
            if stream is not sys.stdin.buffer:
                stream.close()
    elif fmt in ("html", "raw"):
        try:
            data = read_document_bytes(path, fmt)
        except OSError as exc:
            yield unreadable(path, exc)
            return
        yield read_bytes(data, path, fmt)
    else:
        from newstag.parse.tables import read_table  # csv, tsv, parquet (pyarrow: an optional extra)

        yield from read_table(path, fmt)


def open_input(path: str) -> BinaryIO:
    """The binary stream of `path` ("-": stdin). Raises OSError."""
    if path == "-":
        return sys.stdin.buffer
    return open(path, "rb")  # noqa: SIM115 - closed by the caller


def read_head(path: str, size: int = SNIFF_BYTES) -> bytes:
    """The first bytes of `path`, for sniffing; stdin is left unread (peeked). Raises OSError."""
    if path == "-":
        stream = sys.stdin.buffer
        if hasattr(stream, "peek"):  # a pipe or file: BufferedReader
            return stream.peek(size)[:size]
        if stream.seekable():  # an in-memory stream (tests, embedding)
            at = stream.tell()
            head = stream.read(size)
            stream.seek(at)
            return head
        return b""
    with open(path, "rb") as stream:
        return stream.read(size)


def read_document_bytes(path: str, input_format: str) -> bytes:
    """The bytes of a one-document file, up to one byte past its format's limit (so that
    `read_bytes` can tell it is over). Raises OSError."""
    limit = (MAX_HTML_BYTES if input_format == "html" else MAX_RAW_BYTES) + 1
    stream = open_input(path)
    try:
        return stream.read(limit)
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def unreadable(path: str, exc: OSError) -> RawDocument:
    """The error document of a file that cannot be opened or read."""
    reason = exc.strerror or str(exc)
    return RawDocument(id=path, text="", error=f"cannot read {path}: {reason}")


def read_html(html: str, doc_id: str, encoding: str | None = None, warnings: tuple[str, ...] = ()) -> RawDocument:
    """Main text and title of an HTML page. The record's offsets point into the extracted text,
    which it carries as `text`."""
    import trafilatura  # lazy: costs ~0.3 s to import

    try:
        with _time_limit(HTML_EXTRACT_SECONDS):
            doc = trafilatura.bare_extraction(html, include_comments=False, with_metadata=True)
    except _ExtractionTimeout:
        return RawDocument(id=doc_id, text="", kind="html", warnings=warnings, encoding=encoding,
                           error=f"extracting the text of {doc_id} took over {HTML_EXTRACT_SECONDS} s: the page is not an ordinary article")
    if doc is None:
        return RawDocument(id=doc_id, text="", kind="html", warnings=warnings, encoding=encoding,
                           error=f"no article text found in the HTML of {doc_id}{_why_no_text(html)}")
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
        warnings=warnings,
        # HTML offsets are into the extracted text, so the record carries that text.
        extra=(("text", text),),
        encoding=encoding,
    )


# libxml2, under lxml and so under trafilatura, stops building the tree this deep: whatever lies
# deeper is dropped, so a page nested past it loses its text.
PARSER_MAX_DEPTH = 255


def _why_no_text(html: str) -> str:
    depth = _nesting_depth(html)
    if depth > PARSER_MAX_DEPTH:
        return (f": its tags nest {depth:,} levels deep, past the HTML parser's limit of {PARSER_MAX_DEPTH}, "
                "so the text inside them is lost (flatten the page or extract its text first)")
    return " (no main text block: an index page, a form, or text built by scripts?)"


def _nesting_depth(html: str) -> int:
    """How deep the page's tags nest (void elements and self-closed tags do not open a level)."""
    from html.parser import HTMLParser

    void = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "p", "li"}

    class Depth(HTMLParser):
        depth = deepest = 0

        def handle_starttag(self, tag, attrs):
            if tag not in void:
                self.depth += 1
                self.deepest = max(self.deepest, self.depth)

        def handle_endtag(self, tag):
            if tag not in void:
                self.depth = max(self.depth - 1, 0)

    parser = Depth()
    try:
        parser.feed(html)
    except Exception:  # noqa: BLE001 - only a diagnosis; the stdlib parser rarely raises
        pass
    return parser.deepest


class _ExtractionTimeout(Exception):
    pass


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise _ExtractionTimeout inside after `seconds`, where a timer can be set: the main thread
    (the CLI and its workers). Elsewhere (a service's worker threads) only the size limit holds."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expired(signum, frame):
        raise _ExtractionTimeout

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def read_jsonl(lines: Iterable[bytes], max_line_bytes: int = MAX_LINE_BYTES) -> Iterator[RawDocument]:
    """One RawDocument per line of JSON Lines; a bad line becomes a RawDocument with `error` set."""
    for number, line in enumerate(lines, start=1):
        yield jsonl_record(line, number, max_line_bytes)


def jsonl_record(line: bytes, number: int, max_line_bytes: int = MAX_LINE_BYTES, fallback_id: str | None = None) -> RawDocument:
    """The document of line `number` (1-based) of a JSON Lines input; without an id of its own it
    takes `fallback_id`, by default the line number."""
    fallback_id = fallback_id or str(number)
    if len(line) > max_line_bytes:
        return overlong_line(line[:SNIFF_BYTES], number, len(line), max_line_bytes, fallback_id)
    stripped = line.strip()
    if number == 1 and stripped.startswith(codecs.BOM_UTF8):
        stripped = stripped[len(codecs.BOM_UTF8) :]  # a file saved "UTF-8 with BOM"
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
        # A headline-only record (a BRIEF wire item): the title is tagged, in its own field; the
        # text stays as given, so that no offset points into a text the input does not have.
        return RawDocument(id=doc_id, text=text, title=title, kind="jsonl", warnings=(TITLE_ONLY,), encoding="utf-8")
    return RawDocument(id=doc_id, text=text, title=title, kind="jsonl", encoding="utf-8")


TITLE_ONLY = "no body text; tagged the title alone"


def overlong_line(head: bytes, number: int, size: int, max_line_bytes: int, fallback_id: str | None = None) -> RawDocument:
    """The error document of a line over the limit; its id recovered from `head`, the line's first
    bytes, when the line opens with it ({"id": ...)."""
    doc_id = fallback_id or str(number)
    found = _LEADING_ID_RE.match(head)
    if found:
        try:
            doc_id = str(orjson.loads(found.group(0)[found.group(0).index(b":") + 1 : -1]))
        except orjson.JSONDecodeError:
            pass
    return RawDocument(
        id=doc_id,
        text="",
        kind="jsonl",
        error=f"line {number} is {size:,} bytes, over the {max_line_bytes:,}-byte limit for one article",
    )
