"""The batch's input stream: inputs -> items -> chunks, in constant memory.

An *item* is one input record not yet parsed:
    (number, line)   a JSON Lines line as raw bytes with its 1-based line number; the worker that
                     tags it turns it into a RawDocument (`parse.readers.jsonl_record`), so the
                     parent process only moves bytes
    RawDocument      any other input (raw text, HTML, CSV / Parquet rows), or a JSON Lines line
                     already refused here (over the size limit), read by `parse.readers`

A *chunk* is a list of items shipped to a worker at once, cut by count and by bytes so that a few
long lines cannot make one chunk huge.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import BinaryIO, Union

from newstag.errors import InputError
from newstag.parse.readers import MAX_LINE_BYTES, detect_format, jsonl_record, read_path
from newstag.types import RawDocument

Item = Union[tuple[int, bytes], RawDocument]

# A chunk is cut at whichever comes first. 256 articles is one topic-model batch
# (TagOptions.batch_size); shipping them costs under 1 us per article, and chunks this small keep
# workers evenly loaded up to the end of a run and bring the first record out early. 8 MB bounds
# what one chunk holds in memory (a chunk holds at least one item, so one line up to the reader's
# 10 MB limit still passes).
CHUNK_DOCS = 256
CHUNK_BYTES = 8_000_000

# Long lines are read in slices this big when skipped, so a 50 MB line never sits in memory whole.
_SKIP_SLICE = 1 << 20


def iter_items(paths: Iterable[str], input_format: str | None = None, max_line_bytes: int = MAX_LINE_BYTES) -> Iterator[Item]:
    """Every input record of every path, in order; "-" is stdin."""
    for path in paths:
        fmt = input_format or sniff_format(path)
        if fmt == "jsonl":
            stream = sys.stdin.buffer if path == "-" else _open(path)
            try:
                yield from jsonl_lines(stream, max_line_bytes)
            finally:
                if path != "-":
                    stream.close()
        else:
            yield from read_path(path, fmt)


def jsonl_lines(stream: BinaryIO, max_line_bytes: int = MAX_LINE_BYTES) -> Iterator[Item]:
    """(number, line) per line; a line over `max_line_bytes` becomes an error RawDocument, read past
    in slices so that memory never holds more than `max_line_bytes` of it."""
    number = 0
    while line := stream.readline(max_line_bytes + 1):
        number += 1
        if len(line) > max_line_bytes and not line.endswith(b"\n"):
            size = len(line)
            del line
            while rest := stream.readline(_SKIP_SLICE):
                size += len(rest)
                if rest.endswith(b"\n"):
                    break
            yield RawDocument(
                id=str(number),
                text="",
                kind="jsonl",
                error=f"line {number} is {size:,} bytes, over the {max_line_bytes:,}-byte limit for one article",
            )
        else:
            yield number, line


def item_document(item: Item) -> RawDocument:
    """The RawDocument of an item (parses a JSON Lines line)."""
    if isinstance(item, RawDocument):
        return item
    number, line = item
    return jsonl_record(line, number)


def item_id(item: Item) -> str:
    return item_document(item).id


def chunked(items: Iterable[Item], max_docs: int = CHUNK_DOCS, max_bytes: int = CHUNK_BYTES) -> Iterator[list[Item]]:
    chunk: list[Item] = []
    size = 0
    for item in items:
        chunk.append(item)
        size += len(item[1]) if isinstance(item, tuple) else len(item.text)
        if len(chunk) >= max_docs or size >= max_bytes:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def sniff_format(path: str) -> str:
    """The input format of `path`: from its suffix, else from its first bytes ("-": stdin, left unread)."""
    if path == "-":
        return detect_format(path, stdin_head())
    fmt = detect_format(path)
    if fmt != "raw":
        return fmt  # known from the suffix
    with _open(path) as stream:
        return detect_format(path, stream.read(256))


def stdin_head(size: int = 256) -> bytes:
    """The first bytes of stdin, left unread for whoever reads it next."""
    stream = sys.stdin.buffer
    if hasattr(stream, "peek"):  # a pipe or file: BufferedReader
        return stream.peek(size)[:size]
    if stream.seekable():  # an in-memory stream (tests, embedding)
        at = stream.tell()
        head = stream.read(size)
        stream.seek(at)
        return head
    return b""


def _open(path: str) -> BinaryIO:
    try:
        return open(path, "rb")  # noqa: SIM115 - closed by the caller
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from exc
