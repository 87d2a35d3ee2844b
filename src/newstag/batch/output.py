"""Batch output: each record encoded where it was tagged (in a worker), written in order by the parent.

    encode()  (emit/writers.py) TaggedArticle -> one encoded record (bytes; a row dict for
              Parquet); runs in workers, so the parent only writes bytes
    Output    the output file or stdout: writes encoded records in order and frames the document
              (CSV header, JSON array, text separators, Parquet row groups)

Formats are those of `emit/writers.py`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import BinaryIO

from newstag.emit.table import csv_header
from newstag.emit.text import SEPARATOR
from newstag.emit.writers import OUTPUT_FORMATS as BATCH_FORMATS
from newstag.emit.writers import Encoded, encode

__all__ = ["BATCH_FORMATS", "Encoded", "Output", "encode", "format_for_path"]


def format_for_path(path: Path | None) -> str | None:
    """The output format a file name asks for (`out.parquet` -> parquet), or None."""
    if path is None:
        return None
    return {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet", ".json": "json"}.get(
        path.suffix.lower()
    )


class Output:
    """Encoded records to `path` (stdout when None), in the order given."""

    def __init__(self, path: Path | None, fmt: str, append: bool = False) -> None:
        if fmt not in BATCH_FORMATS:
            raise ValueError(f"unknown output format {fmt!r}; choose one of {', '.join(BATCH_FORMATS)}")
        if fmt == "parquet" and path is None:
            from newstag.errors import InputError

            raise InputError("Parquet output needs a file: give -o FILE.parquet")
        self.fmt, self.path, self.count = fmt, path, 0
        self._parquet = None
        self._out: BinaryIO | None = None
        self._pending: bytes | None = None  # json: the first record, held until we know if there is a second
        if fmt == "parquet":
            from newstag.emit.parquet import ParquetWriter

            self._parquet = ParquetWriter(path)
            return
        self._out = open(path, "ab" if append else "wb") if path else sys.stdout.buffer  # noqa: SIM115
        if fmt == "csv" and not append:
            self._out.write(csv_header().encode())

    def write(self, records: list[Encoded]) -> None:
        if not records:
            return
        fmt, out = self.fmt, self._out
        if fmt in ("jsonl", "csv"):
            out.write(b"".join(records))
        elif fmt == "text":
            sep = f"{SEPARATOR}\n".encode()
            out.write((sep if self.count else b"") + sep.join(records))
        elif fmt == "json":
            for n, record in enumerate(records, start=self.count):
                if n == 0:
                    self._pending = record
                    continue
                if self._pending is not None:
                    out.write(b"[\n" + self._pending)
                    self._pending = None
                out.write(b",\n" + record)
        else:
            self._parquet.write_rows(records)
        self.count += len(records)

    def flush(self) -> None:
        if self._out is not None:
            self._out.flush()

    def close(self, complete: bool = True) -> None:
        """Finish the document; `complete=False` (an interrupted run) only flushes what was written."""
        if self._parquet is not None:
            self._parquet.close()
            return
        out = self._out
        if complete and self.fmt == "json":
            if self._pending is not None:
                out.write(self._pending + b"\n")
            elif self.count:
                out.write(b"\n]\n")
            else:
                out.write(b"[]\n")
        out.flush()
        if self.path is not None:
            out.close()
