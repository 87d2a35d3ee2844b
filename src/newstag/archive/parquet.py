"""The archive's records as Parquet: `archive export --format parquet`, and `archive add --tagged`
of such a file.

    columns   the record contract's fields, typed (`emit/arrow.py`: the Arrow schema the Spark job
              writes too), then `input_fields`: the fields a record carries beyond the contract
              (input fields passed through) as one JSON object, null when none
    rows      one per record, written ROW_GROUP at a time; read back a row group at a time

A record read back is the record written: map columns (`versions`) come back as objects, nulls
stay nulls (newstag writes every contract field, null or not; a record written without one, by an
older newstag, comes back with it null). `newstag tag --format parquet` writes flat
rows (strings, no scores or offsets): such a file is refused with a message, not misread.

pyarrow is the `parquet` extra (newstag/optional.py says what to install when it is missing).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson

from newstag.emit.arrow import INPUT_FIELDS, record_arrow_schema, record_columns
from newstag.errors import InputError
from newstag.optional import load_pyarrow, load_pyarrow_parquet

ROW_GROUP = 8192


def archive_parquet_schema():
    """The file's schema: the contract's columns, then `input_fields`."""
    pa = load_pyarrow()
    return pa.schema([*record_arrow_schema(), pa.field(INPUT_FIELDS, pa.string())])


def write_records(records: Iterable[dict[str, Any]], path: Path) -> int:
    """Write `records` (dicts as `newstag tag` writes them) to a Parquet file; returns how many."""
    pa, pq = load_pyarrow(), load_pyarrow_parquet()
    schema = archive_parquet_schema()
    n = 0
    with pq.ParquetWriter(str(path), schema, compression="zstd") as writer:
        batch: list[dict[str, Any]] = []

        def flush() -> None:
            columns = record_columns(batch, with_input_fields=True)
            writer.write_batch(pa.RecordBatch.from_arrays(columns, schema=schema))

        for record in records:
            batch.append(record)
            if len(batch) == ROW_GROUP:
                flush()
                n += len(batch)
                batch = []
        if batch:
            flush()
            n += len(batch)
    return n


def read_records(path: str) -> Iterator[tuple[int, bytes]]:
    """(row number from 1, the record as a JSON line) of each row of an archive Parquet file."""
    pq = load_pyarrow_parquet()
    try:
        file = pq.ParquetFile(path)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc}") from exc
    expected = record_arrow_schema()
    schema = file.schema_arrow
    missing = [f.name for f in expected if f.name not in schema.names or not schema.field(f.name).type.equals(f.type)]
    if missing:
        raise InputError(
            f"{path}: not an archive Parquet file (the record's typed columns; missing or of another type: "
            f"{', '.join(missing[:5])}). `newstag tag --format parquet` rows are flat (no scores, no offsets): "
            "tag to JSON Lines (--format jsonl), or write the file with `newstag archive export --format parquet`"
        )
    types = {f.name: f.type for f in expected}
    is_type = load_pyarrow().types  # once per file, not once per value (_python recurses per value)
    number = 0
    for batch in file.iter_batches(batch_size=ROW_GROUP):
        for row in batch.to_pylist():
            number += 1
            yield number, orjson.dumps(_record(row, types, is_type))


def _record(row: dict[str, Any], types: dict[str, Any], is_type: Any) -> dict[str, Any]:
    extra = row.pop(INPUT_FIELDS, None)
    record = {name: _python(value, types[name], is_type) for name, value in row.items() if name in types}
    if extra:
        record.update(orjson.loads(extra))
    return record


def _python(value: Any, arrow_type: Any, is_type: Any) -> Any:
    """A value as the JSON record has it: Arrow maps (lists of pairs in pyarrow) become objects.
    `is_type` is the `pyarrow.types` module."""
    if value is None:
        return None
    if is_type.is_map(arrow_type):
        return {k: _python(v, arrow_type.item_type, is_type) for k, v in value}
    if is_type.is_list(arrow_type):
        return [_python(v, arrow_type.value_type, is_type) for v in value]
    if is_type.is_struct(arrow_type):
        return {f.name: _python(value[f.name], f.type, is_type) for f in arrow_type}
    return value
