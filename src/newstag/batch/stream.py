"""The batch's input stream: inputs -> items -> chunks, in constant memory.

An *item* is one input record not yet parsed:
    (number, line)   a JSON Lines line as raw bytes with its 1-based line number; the worker that
                     tags it turns it into a RawDocument (`parse.readers.jsonl_record`), so the
                     parent process only moves bytes
    DocumentBytes    a raw text or HTML file's bytes; decoded (and HTML extracted) by the worker
                     that tags it (`parse.readers.read_bytes`)
    RawDocument      a CSV / Parquet row, read by `parse.tables`; or an input already refused
                     here (a line over the size limit, a file that cannot be read)

A *chunk* is a list of items shipped to a worker at once, cut by count and by bytes so that a few
long lines cannot make one chunk huge.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO, TypeVar, Union

from newstag.errors import InputError
from newstag.parse.readers import (
    MAX_LINE_BYTES,
    SNIFF_BYTES,
    detect_format,
    format_from_suffix,
    jsonl_record,
    open_input,
    overlong_line,
    read_bytes,
    read_document_bytes,
    read_head,
    unreadable,
)
from newstag.types import RawDocument


@dataclass(frozen=True, slots=True)
class DocumentBytes:
    """A one-document input (a raw text or HTML file) as read: decoded and, for HTML, extracted
    (`parse.readers.read_bytes`) where it is tagged, in a worker under --jobs."""

    id: str
    data: bytes
    input_format: str  # "raw" | "html"


Item = Union[tuple[int, bytes], RawDocument, DocumentBytes]

# A chunk is cut at whichever comes first. 256 articles is one topic-model batch
# (TagOptions.batch_size); shipping them costs under 1 us per article, and chunks this small keep
# workers evenly loaded up to the end of a run and bring the first record out early. 8 MB bounds
# what one chunk holds in memory (a chunk holds at least one item, so one line up to the reader's
# 10 MB limit still passes).
CHUNK_DOCS = 256
CHUNK_BYTES = 8_000_000

# Long lines are read in slices this big when skipped, so a 50 MB line never sits in memory whole.
_SKIP_SLICE = 1 << 20


def iter_items(
    paths: Iterable[str],
    input_format: str | None = None,
    max_line_bytes: int = MAX_LINE_BYTES,
    unreadable_paths: list[str] | None = None,
) -> Iterator[Item]:
    """Every input record of every path, in order; "-" is stdin.

    A path that cannot be read (missing, a directory, a table without a 'text' column) gives one
    error record with the path as id, is added to `unreadable_paths`, and the next path is read.
    """
    for path in paths:
        try:
            yield from _path_items(path, input_format, max_line_bytes)
        except (OSError, InputError) as exc:
            if unreadable_paths is not None:
                unreadable_paths.append(path)
            yield unreadable(path, exc) if isinstance(exc, OSError) else RawDocument(id=path, text="", error=str(exc))


def _path_items(path: str, input_format: str | None, max_line_bytes: int) -> Iterator[Item]:
    fmt = input_format or sniff_format(path)
    if fmt == "jsonl":
        stream = open_input(path)
        try:
            yield from jsonl_lines(stream, max_line_bytes)
        finally:
            if path != "-":
                stream.close()
    elif fmt in ("raw", "html"):
        yield DocumentBytes(path, read_document_bytes(path, fmt), fmt)
    else:
        from newstag.parse.tables import read_table  # csv, tsv, parquet (pyarrow: an optional extra)

        yield from read_table(path, fmt)


def jsonl_lines(stream: BinaryIO, max_line_bytes: int = MAX_LINE_BYTES) -> Iterator[Item]:
    """(number, line) per line; a line over `max_line_bytes` becomes an error RawDocument (with the
    id it opens with, if any), read past in slices so that memory never holds more than
    `max_line_bytes` of it."""
    number = 0
    while line := stream.readline(max_line_bytes + 1):
        number += 1
        if len(line) > max_line_bytes and not line.endswith(b"\n"):
            size = len(line)
            head = line[:SNIFF_BYTES]
            del line
            while rest := stream.readline(_SKIP_SLICE):
                size += len(rest)
                if rest.endswith(b"\n"):
                    break
            yield overlong_line(head, number, size, max_line_bytes)
        else:
            yield number, line


def item_document(item: Item) -> RawDocument:
    """The RawDocument of an item (parses a JSON Lines line, decodes a file's bytes)."""
    if isinstance(item, RawDocument):
        return item
    if isinstance(item, DocumentBytes):
        return read_bytes(item.data, item.id, item.input_format)
    number, line = item
    return jsonl_record(line, number)


def item_id(item: Item) -> str:
    if isinstance(item, DocumentBytes):
        return item.id
    return item_document(item).id


def item_size(item: Item) -> int:
    if isinstance(item, tuple):
        return len(item[1])
    if isinstance(item, DocumentBytes):
        return len(item.data)
    return len(item.text)


def chunked(items: Iterable[Item], max_docs: int = CHUNK_DOCS, max_bytes: int = CHUNK_BYTES) -> Iterator[list[Item]]:
    chunk: list[Item] = []
    size = 0
    for item in items:
        chunk.append(item)
        size += item_size(item)
        if len(chunk) >= max_docs or size >= max_bytes:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


T = TypeVar("T")
_END = object()


def read_ahead(items: Iterable[T], depth: int = 1) -> Iterator[T]:
    """`items` in order, each made by a background thread up to `depth` ahead of the one the
    caller holds; an exception raised making one is raised here, where that one would be.

    For a loop whose body mostly waits outside Python (a database's writes: SQLite and libpq
    release the GIL while they work): the next chunk is read and parsed meanwhile, on the
    other core. The caller's thread alone uses what the body uses (a connection, a progress
    bar's output). Closing the iterator (a `break`, an exception in the loop) stops the thread
    at its next item."""
    slots: queue.Queue = queue.Queue(maxsize=max(1, depth))
    stopped = threading.Event()

    def put(entry: tuple[bool, object]) -> bool:
        while not stopped.is_set():
            try:
                slots.put(entry, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put((True, item)):
                    return
            put((True, _END))
        except BaseException as exc:  # handed to the caller's thread, raised there
            put((False, exc))

    thread = threading.Thread(target=produce, name="newstag-read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            ok, value = slots.get()
            if not ok:
                raise value  # type: ignore[misc]
            if value is _END:
                return
            yield value  # type: ignore[misc]
    finally:
        stopped.set()
        thread.join(timeout=5)


U = TypeVar("U")


def made_in_process(make: Callable[[T], U], items: Iterable[T], depth: int = 2) -> Iterator[U]:
    """`make(item)` of each of `items`, in order, computed in one worker process up to `depth`
    items ahead of the one the caller holds; an exception raised by `make` is raised here, where
    its result would be. `make` and the items must pickle (a module's function; bytes, tuples).

    For a loop whose body holds the GIL in many short turns (a database's executemany: the rows
    bound in Python, each stepped in C): a thread making the next chunk meanwhile takes the GIL
    between every two rows, and the two then run in turn, not side by side (read_ahead). A
    process runs beside it; the caller pays the pickled result's unpickling (measured: 6 us
    for one article's rows, against 39 us to build them). The worker is forked (it starts at
    once, with the modules loaded), stopped when the iteration ends or is closed, and killed
    when the caller's process dies however it dies (SIGKILL included: a worker left behind
    would hold the caller's output pipes open)."""
    import multiprocessing
    import os
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    with ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=_start_worker, initargs=(os.getpid(),)) as pool:
        pending: deque = deque()
        source = iter(items)
        try:
            while True:
                while len(pending) < max(1, depth):
                    item = next(source, _END)
                    if item is _END:
                        break
                    pending.append(pool.submit(make, item))
                if not pending:
                    return
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()


def _start_worker(parent: int) -> None:
    """made_in_process's worker: dies with its parent; Ctrl-C is the parent's to handle."""
    import signal

    from newstag.batch.parallel import die_with_parent

    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def sniff_format(path: str) -> str:
    """The input format of `path`: from its suffix, else from its first bytes ("-": stdin, left
    unread). Raises OSError when the file must be sniffed and cannot be read."""
    return format_from_suffix(path) or detect_format(path, read_head(path))
