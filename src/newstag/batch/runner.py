"""The batch runner behind `newstag tag`: read -> Tagger.pipe -> write, streaming, in input order."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from newstag.emit.writers import Writer
from newstag.options import TagOptions
from newstag.parse.readers import detect_format, read_inputs
from newstag.pipeline import Tagger


@dataclass(frozen=True, slots=True)
class BatchSummary:
    records: int
    errors: int


def default_output_format(paths: list[str], input_format: str | None) -> str:
    """jsonl for JSON Lines (and table) input, text otherwise."""
    fmt = input_format
    if fmt is None:
        first = paths[0] if paths else "-"
        if first == "-":
            head = sys.stdin.buffer.peek(256)[:256] if hasattr(sys.stdin.buffer, "peek") else b""
            fmt = detect_format("-", head)
        else:
            fmt = detect_format(first)
    return "jsonl" if fmt in ("jsonl", "csv", "parquet", "tsv") else "text"


def run_tag(
    paths: Iterable[str],
    *,
    options: TagOptions,
    output_format: str,
    output: Path | None = None,
    input_format: str | None = None,
) -> BatchSummary:
    tagger = Tagger(options)
    out = open(output, "wb") if output else sys.stdout.buffer  # noqa: SIM115
    writer = Writer(out, output_format)
    errors = 0
    try:
        for tagged in tagger.pipe(read_inputs(paths, input_format)):
            writer.write(tagged)
            errors += tagged.error is not None
        writer.close()
    finally:
        if output:
            out.close()
    return BatchSummary(records=writer.count, errors=errors)
