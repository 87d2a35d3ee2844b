"""Parquet out: the CSV row's columns (emit/table.py), all strings, written in row groups.

pyarrow is the `parquet` extra (newstag/optional.py says what to install when it is missing).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from newstag.emit.table import COLUMNS
from newstag.optional import load_pyarrow, load_pyarrow_parquet

PARQUET_ROW_GROUP = 8192


class ParquetWriter:
    """Writes rows (dicts with the CSV columns) to a Parquet file, one row group at a time."""

    def __init__(self, path: Path) -> None:
        pa = load_pyarrow()
        pq = load_pyarrow_parquet()
        self._pa = pa
        self.schema = pa.schema([(name, pa.string()) for name in COLUMNS])
        self._writer = pq.ParquetWriter(str(path), self.schema, compression="zstd")
        self._rows: list[dict[str, Any]] = []
        self.count = 0

    def write_rows(self, rows: list[dict[str, Any]]) -> None:
        self._rows.extend(rows)
        self.count += len(rows)
        if len(self._rows) >= PARQUET_ROW_GROUP:
            self._flush()

    def _flush(self) -> None:
        if self._rows:
            self._writer.write_table(self._pa.Table.from_pylist(self._rows, schema=self.schema))
            self._rows = []

    def close(self) -> None:
        self._flush()
        self._writer.close()


def read_parquet_rows(path: Path) -> list[dict[str, Any]]:
    """All rows of a Parquet file as dicts (for tests and small files)."""
    return load_pyarrow_parquet().read_table(str(path)).to_pylist()
