"""One record in one output format: the encoding every writer shares.

    jsonl    one record per line (the batch format: every input line gives exactly one output line)
    json     the record, indented (the batch output frames several as a JSON array)
    text     the article with its footer filled (emit/text.py)
    csv      one flat row (emit/table.py)
    parquet  the same row as a dict, for the Parquet writer

Framing a whole document (CSV header, JSON array, text separators, files) is the batch layer's
job: `batch/output.py`.
"""

from __future__ import annotations

from typing import Any

import orjson

from newstag.emit.record import to_record
from newstag.emit.table import csv_rows, to_row
from newstag.emit.text import to_text
from newstag.types import TaggedArticle

OUTPUT_FORMATS = ("text", "json", "jsonl", "csv", "parquet")

Encoded = Any  # bytes, or a row dict for Parquet


def encode(tagged: TaggedArticle, fmt: str) -> Encoded:
    if fmt == "jsonl":
        return orjson.dumps(to_record(tagged)) + b"\n"
    if fmt == "csv":
        return csv_rows([tagged]).encode()
    if fmt == "text":
        return to_text(tagged).encode()
    if fmt == "json":
        return orjson.dumps(to_record(tagged), option=orjson.OPT_INDENT_2)
    if fmt == "parquet":
        return to_row(tagged)
    raise ValueError(f"unknown output format {fmt!r}; choose one of {', '.join(OUTPUT_FORMATS)}")
