"""Tables in: CSV / TSV (standard library) and Parquet (pyarrow, the `parquet` extra).

Columns `text` (required), `id`, `title` (optional), one article per row. Like a JSON Lines line,
a row that cannot be an article yields a RawDocument with `error` set; a missing id is the 1-based
row number. Rows are streamed (Parquet by record batch), never loaded whole. Writing tables is the
emit stage's (emit/table.py, emit/parquet.py).
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace
import re
import sys
from collections.abc import Iterator
from typing import Any

from newstag.errors import InputError
from newstag.optional import load_pyarrow_parquet
from newstag.parse.encodings import NotText, stream_encoding
from newstag.parse.readers import MAX_LINE_BYTES, TITLE_ONLY, read_head
from newstag.types import RawDocument

PARQUET_BATCH_ROWS = 1024

_SURROGATE_RE = re.compile("[\udc80-\udcff]")


def read_table(path: str, fmt: str) -> Iterator[RawDocument]:
    """One RawDocument per row of a CSV, TSV or Parquet file ("-": CSV / TSV on stdin)."""
    if fmt == "parquet":
        yield from _read_parquet(path)
    elif fmt in ("csv", "tsv"):
        yield from _read_csv(path, delimiter="\t" if fmt == "tsv" else ",")
    else:
        raise InputError(f"unknown table format {fmt!r} for {path}: use csv, tsv or parquet")


def table_record(row: dict[str, Any], number: int) -> RawDocument:
    """The document of row `number` (1-based); mirrors `parse.readers.jsonl_record`."""
    raw_id = row.get("id")
    doc_id = str(number) if raw_id is None or raw_id == "" else str(raw_id)
    text, title = row.get("text"), row.get("title")
    if title is not None and not isinstance(title, str):
        title = str(title)
    title = title or None
    for value in (text, title, doc_id):
        if isinstance(value, str) and _has_bad_bytes(value):
            return RawDocument(id=_printable(doc_id), text="", kind="jsonl", error=f"row {number} is not valid UTF-8")
    if not isinstance(text, str) or not text.strip():
        if title and title.strip() and (text is None or isinstance(text, str)):
            # As in JSON Lines: the title is tagged in its own field; the text stays as given.
            return RawDocument(id=doc_id, text=text or "", title=title, kind="jsonl", warnings=(TITLE_ONLY,), encoding="utf-8")
        what = "has no 'text'" if text is None or isinstance(text, str) else f"has a 'text' that is a {type(text).__name__}"
        return RawDocument(id=doc_id, text="", title=title, kind="jsonl", error=f"row {number} {what}")
    if len(text) > MAX_LINE_BYTES:  # as a JSON Lines line: no article is this long
        return RawDocument(id=doc_id, text="", title=title, kind="jsonl",
                           error=f"row {number}'s text is {len(text):,} characters, over the {MAX_LINE_BYTES:,} limit for one article")
    if "\x00" in text:
        return RawDocument(id=doc_id, text="", title=title, kind="jsonl", error=f"row {number} holds binary data (NUL characters)")
    # kind "jsonl": the title is given apart from the text, as in JSON Lines.
    return RawDocument(id=doc_id, text=text, title=title, kind="jsonl", encoding="utf-8")


def _read_csv(path: str, delimiter: str) -> Iterator[RawDocument]:
    # The file's encoding from its head (parse/encodings.py): UTF-8 mostly; a file saved in
    # another encoding is read in the guessed one and every row warns (it was refused row by row).
    # surrogateescape: a byte that does not fit spoils its row only (flagged by table_record).
    try:
        found = stream_encoding(read_head(path))
    except NotText as exc:
        raise InputError(f"{path} is {exc}") from exc
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from exc
    codec = "utf-8-sig" if found.encoding == "utf-8" else found.encoding
    if path == "-":
        stream = io.TextIOWrapper(sys.stdin.buffer, encoding=codec, errors="surrogateescape", newline="")
    else:
        try:
            stream = open(path, encoding=codec, errors="surrogateescape", newline="")  # noqa: SIM115
        except OSError as exc:
            raise InputError(f"cannot read {path}: {exc.strerror}") from exc
    guessed = found.warnings
    record_encoding = codec.replace("utf-8-sig", "utf-8")
    # One field may be as long as one JSON Lines line may be.
    csv.field_size_limit(MAX_LINE_BYTES)
    try:
        tap = _LineTap(stream)
        reader = csv.reader(tap, delimiter=delimiter)
        header = next(reader, None)
        if header is None:
            return
        if "text" not in header:
            raise InputError(f"{path} has no 'text' column (columns: {', '.join(header[:10])}); name the article column 'text'")
        number = 0
        while True:
            number += 1
            tap.start_row()
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield RawDocument(id=str(number), text="", kind="jsonl", error=f"row {number} cannot be read: {exc}")
                continue
            if tap.cut_by_end_of_file():
                # A quote opened and never closed: the csv module reads every line to the end of the
                # file into that one field, silently. The row gets an error record, and the lines
                # after its first are read again as rows of their own.
                lines = len(tap.row)
                yield RawDocument(
                    id=str(number), text="", kind="jsonl",
                    error=f"row {number} opens a quoted field that is never closed (line {tap.row_line:,} of the file); "
                          f"the {lines - 1:,} lines after it were read again as rows",
                )
                tap.replay(tap.row[1:])
                reader = csv.reader(tap, delimiter=delimiter)
                continue
            doc = table_record(dict(zip(header, values)), number)
            if guessed or record_encoding != "utf-8":
                doc = replace(doc, warnings=doc.warnings + guessed, encoding=record_encoding)
            yield doc
    finally:
        if path == "-":
            stream.detach()
        else:
            stream.close()


class _LineTap:
    """The lines of a text stream, for csv.reader, keeping those of the current row (to tell a
    row cut short by the end of the file, and to read its lines again)."""

    def __init__(self, stream) -> None:
        self.stream = stream
        self.row: list[str] = []
        self.row_line = 1  # the file's line number of the current row's first line
        self.line = 0  # lines read from the stream
        self._replayed: list[str] = []
        self._ended_in_row = False

    def __iter__(self) -> _LineTap:
        return self

    def __next__(self) -> str:
        if self._replayed:
            line = self._replayed.pop()
        else:
            line = self.stream.readline()
            if not line:
                self._ended_in_row = bool(self.row)
                raise StopIteration
            self.line += 1
        self.row.append(line)
        return line

    def start_row(self) -> None:
        self.row_line = self.line - len(self._replayed) + 1
        self.row = []
        self._ended_in_row = False

    def cut_by_end_of_file(self) -> bool:
        """The row just read ran into the end of the file inside a quoted field."""
        return self._ended_in_row and sum(line.count('"') for line in self.row) % 2 == 1

    def replay(self, lines: list[str]) -> None:
        self._replayed = list(reversed(lines)) + self._replayed


def _read_parquet(path: str) -> Iterator[RawDocument]:
    pq = load_pyarrow_parquet()
    try:
        source = pq.ParquetFile(path)
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read {path} as Parquet: {exc}") from exc
    names = set(source.schema_arrow.names)
    if "text" not in names:
        raise InputError(f"{path} has no 'text' column (columns: {', '.join(sorted(names)[:10])}); name the article column 'text'")
    columns = [c for c in ("id", "title", "text") if c in names]
    number = 0
    # Row group by row group: the metadata says how many rows each holds, so a damaged one still
    # gives one (error) record per row and the groups after it are read.
    for group in range(source.num_row_groups):
        group_rows = source.metadata.row_group(group).num_rows
        done = 0
        try:
            for batch in source.iter_batches(batch_size=PARQUET_BATCH_ROWS, row_groups=[group], columns=columns):
                for row in batch.to_pylist():
                    number += 1
                    done += 1
                    yield table_record(row, number)
        except (OSError, ValueError) as exc:  # pyarrow's errors are both
            reason = f"row group {group + 1} of {path} is damaged: {' '.join(str(exc).split())}"
            for _ in range(group_rows - done):
                number += 1
                yield RawDocument(id=str(number), text="", kind="jsonl", error=f"row {number} cannot be read: {reason}")


def _has_bad_bytes(value: str) -> bool:
    # Bytes that were not UTF-8 come back from surrogateescape as lone surrogates U+DC80-U+DCFF.
    return not value.isascii() and _SURROGATE_RE.search(value) is not None


def _printable(value: str) -> str:
    return value.encode("utf-8", "replace").decode("utf-8") if _has_bad_bytes(value) else value
