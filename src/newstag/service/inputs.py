"""Request bodies -> the batch layer's items, with the limits and the errors a client can act on.

    JSON        {"text", "title"?, "id"?}: checked here (400 bad JSON, 422 no text), then tagged
                as the one line of a JSON Lines file, so the record is the CLI's for that line
    text/plain  scraped text, decoded as the CLI decodes a file (`raw_body_item`)
    text/html   a page; decoded, main text and title extracted as the CLI does for an .html file
    x-ndjson    JSON Lines, split into lines as they arrive; each line is an item that the batch
                layer's rules turn into a document or an error record (`jsonl_record`)
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import orjson
from starlette.requests import Request

from newstag.batch.stream import DocumentBytes, Item
from newstag.parse.readers import jsonl_record, read_bytes
from newstag.service.options import CHUNK_BYTES, CHUNK_DOCS
from newstag.service.problems import Problem

JSON_TYPES = {"application/json"}
RAW_TYPES = {"text/plain": "raw", "text/html": "html", "application/xhtml+xml": "html"}
JSONL_TYPES = {"application/x-ndjson", "application/jsonl", "application/json-lines", "application/x-jsonlines"}


def media_type(request: Request) -> tuple[str, str | None]:
    """The body's media type (lower case, no parameters) and its charset parameter, if any."""
    header = request.headers.get("content-type", "")
    kind, *params = header.split(";")
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"') or None
    return kind.strip().lower(), charset


async def raw_body_item(data: bytes, doc_id: str, input_format: str, charset: str | None = None) -> Item:
    """A raw or HTML body as the item `newstag tag` makes of a file holding these bytes.

    Decoding (a BOM, the declared charset, an HTML meta charset, UTF-8, a guess) and HTML
    extraction are `parse.readers.read_bytes`, as for the CLI's files. Without a declared charset
    the item is the batch layer's DocumentBytes, decoded on the tagging thread exactly as the CLI
    decodes a file; a Content-Type charset is one more input of read_bytes, run off the event loop.
    """
    if charset is None:
        return DocumentBytes(doc_id, data, input_format)
    return await asyncio.to_thread(read_bytes, data, doc_id, input_format, charset)


async def read_body(request: Request, limit: int, what: str) -> bytes:
    """The whole body, refused with 413 past `limit` bytes (before reading when Content-Length says so)."""
    _refuse_declared(request, limit, what)
    body = bytearray()
    async for data in request.stream():
        body += data
        if len(body) > limit:
            raise _too_large(None, limit, what)
    return bytes(body)


def _refuse_declared(request: Request, limit: int, what: str) -> None:
    """413 before reading when the body's Content-Length is past `limit`."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _too_large(int(declared), limit, what)


def _too_large(size: int | None, limit: int, what: str) -> Problem:
    got = f"{size:,} bytes" if size is not None else "more"
    return Problem(413, f"{what} is {got}; the limit is {limit:,} bytes: split it, or start the server with a larger limit")


def json_article(body: bytes) -> Item:
    """A JSON article body as the batch layer's item (line 1 of a JSON Lines input).

    Checked here so that the client hears what to fix: 400 when it is not JSON, 422 when it is
    not an object with a string `text`. Anything the batch layer still refuses (an empty text)
    is its error record, as the CLI gives it.
    """
    try:
        obj = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise Problem(400, f"the body is not valid JSON ({exc}): send an object like {{\"text\": \"...\"}}") from None
    if not isinstance(obj, dict):
        raise Problem(422, f"the body is a JSON {type(obj).__name__}: send an object with a 'text' field")
    if "text" not in obj:
        raise Problem(422, "the object has no 'text' field: put the article's text in 'text'")
    if not isinstance(obj["text"], str):
        raise Problem(422, f"'text' is a JSON {type(obj['text']).__name__}: it must be a string")
    # Pretty-printed JSON (with newlines) is one article too: the batch layer parses the item whole.
    return 1, body


async def jsonl_chunks(request: Request, max_line_bytes: int, max_batch_bytes: int) -> AsyncIterator[tuple[list[Item], int]]:
    """(items, their bytes) per chunk of up to CHUNK_DOCS lines / CHUNK_BYTES, as the body arrives."""
    chunk: list[Item] = []
    size = 0
    async for item in jsonl_items(request, max_line_bytes, max_batch_bytes):
        chunk.append(item)
        size += len(item[1]) if isinstance(item, tuple) else 0  # else an error record, unparsed
        if len(chunk) >= CHUNK_DOCS or size >= CHUNK_BYTES:
            yield chunk, size
            chunk, size = [], 0
    if chunk:
        yield chunk, size


async def jsonl_items(request: Request, max_line_bytes: int, max_batch_bytes: int) -> AsyncIterator[Item]:
    """One item per line of the body's JSON Lines, numbered from 1, as they arrive.

    Lines split as `newstag tag` splits a file: every line counts, an empty one included, and a
    last line without its newline too. A line over `max_line_bytes` becomes its error record
    without being parsed. The whole body is bounded by `max_batch_bytes`: 413 before any record
    goes out when Content-Length says so; a body sent without a length (chunked) that grows past
    the bound raises the same Problem mid-stream, which ends the answer early.
    """
    _refuse_declared(request, max_batch_bytes, "the batch")
    pending = bytearray()
    number = total = 0
    async for data in request.stream():
        total += len(data)
        if total > max_batch_bytes:
            raise _too_large(None, max_batch_bytes, "the batch")
        pending += data
        start = 0
        while (end := pending.find(b"\n", start)) >= 0:
            number += 1
            yield _line_item(bytes(pending[start : end + 1]), number, max_line_bytes)
            start = end + 1
        del pending[:start]
    if pending:
        number += 1
        yield _line_item(bytes(pending), number, max_line_bytes)


def _line_item(line: bytes, number: int, max_line_bytes: int) -> Item:
    if len(line) > max_line_bytes:
        return jsonl_record(line, number, max_line_bytes)  # the error record, unparsed
    return number, line
