"""Writers: a stream of TaggedArticle to an output stream in one format.

    jsonl  one record per line (the batch format: every input line gives exactly one output line)
    json   one article: the record, indented; several: a JSON array of records
    text   the article with its footer filled (emit/text.py)
    csv    one flat row per article (emit/table.py)
"""

from __future__ import annotations

from typing import IO

import orjson

from newstag.emit.record import to_record
from newstag.emit.table import csv_header, csv_rows
from newstag.emit.text import SEPARATOR, to_text
from newstag.types import TaggedArticle

OUTPUT_FORMATS = ("text", "json", "jsonl", "csv")


class Writer:
    """Writes articles one at a time; `close()` finishes the document (the JSON array, say)."""

    def __init__(self, out: IO[bytes], fmt: str, header: bool = True) -> None:
        if fmt not in OUTPUT_FORMATS:
            raise ValueError(f"unknown output format {fmt!r}; choose one of {', '.join(OUTPUT_FORMATS)}")
        self.out, self.fmt, self.count = out, fmt, 0
        self._pending: bytes | None = None  # json: the first record, held until we know if there is a second
        if fmt == "csv" and header:
            out.write(csv_header().encode())

    def write(self, tagged: TaggedArticle) -> None:
        fmt, out = self.fmt, self.out
        if fmt == "jsonl":
            out.write(orjson.dumps(to_record(tagged)) + b"\n")
        elif fmt == "csv":
            out.write(csv_rows([tagged]).encode())
        elif fmt == "text":
            if self.count:
                out.write(f"{SEPARATOR}\n".encode())
            out.write(to_text(tagged).encode())
        else:
            record = orjson.dumps(to_record(tagged), option=orjson.OPT_INDENT_2)
            if self.count == 0:
                self._pending = record
            else:
                if self._pending is not None:
                    out.write(b"[\n" + self._pending)
                    self._pending = None
                out.write(b",\n" + record)
        self.count += 1

    def close(self) -> None:
        if self.fmt == "json":
            if self._pending is not None:
                self.out.write(self._pending + b"\n")
            elif self.count:
                self.out.write(b"\n]\n")
            else:
                self.out.write(b"[]\n")
        self.out.flush()
