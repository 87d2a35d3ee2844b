"""The batch runner behind `newstag tag`: read -> tag -> write, streaming, in input order.

    1. read     inputs -> items (JSON Lines lines as bytes, other inputs as RawDocument)  stream.py
    2. resume   skip the inputs whose records the output file already holds            resume.py
    3. chunk    items -> chunks of up to 256 items / 8 MB                               stream.py
    4. tag      chunk -> encoded records, here or in `jobs` worker processes            parallel.py
                (Tagger.pipe: parse -> geo -> topics)
    5. write    records in input order; progress on stderr                              output.py

Every input record gives exactly one output record with its id; a record that cannot be tagged
carries an `error`. Memory stays flat: a bounded number of chunks is ever in flight.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from newstag.batch.output import Output, format_for_path
from newstag.batch.parallel import failed_chunk, tag_chunks
from newstag.batch.stream import CHUNK_DOCS, chunked, iter_items, sniff_format
from newstag.errors import InputError
from newstag.options import TagOptions


@dataclass(frozen=True, slots=True)
class BatchSummary:
    records: int  # records written by this run
    errors: int  # of which carry an error
    skipped: int = 0  # inputs skipped by --resume (their records were already in the output)


def default_output_format(paths: list[str], input_format: str | None, output: Path | None = None) -> str:
    """The output file's suffix decides (out.parquet, out.csv); else jsonl for JSON Lines and
    table input, text otherwise."""
    by_name = format_for_path(output)
    if by_name is not None:
        return by_name
    fmt = input_format
    if fmt is None:
        try:
            fmt = sniff_format(paths[0] if paths else "-")
        except InputError:
            fmt = "raw"  # unreadable: reported when the input is read
    return "jsonl" if fmt in ("jsonl", "csv", "parquet", "tsv") else "text"


def run_tag(
    paths: Iterable[str],
    *,
    options: TagOptions,
    output_format: str,
    output: Path | None = None,
    input_format: str | None = None,
    jobs: int = 1,
    resume: bool = False,
    progress: bool | None = None,
    chunk_docs: int = CHUNK_DOCS,
) -> BatchSummary:
    """Tag every input record into `output` (stdout when None).

    jobs      worker processes (1: tag in this process)
    resume    continue an interrupted run: `output` must be a JSON Lines file; records it already
              holds are kept and their inputs skipped (see batch/resume.py)
    progress  a progress bar on stderr; None: only when stderr is a terminal
    """
    items = iter_items(list(paths), input_format)
    skipped = 0
    if resume:
        if output is None or output_format != "jsonl":
            raise InputError("--resume continues a JSON Lines output file: give -o FILE.jsonl (and --format jsonl)")
        if output.exists():
            from newstag.batch.resume import complete_records, skip_done

            skipped = complete_records(output)
            items = skip_done(items, output, skipped)

    sink = Output(output, output_format, append=resume and skipped > 0)
    bar = _progress_bar(progress, skipped)
    records = errors = 0
    complete = False
    try:
        for chunk, result in tag_chunks(chunked(items, max_docs=chunk_docs), options, output_format, jobs):
            if len(result.records) != len(chunk):
                # Never write a chunk that lost or gained records: replace it with error records.
                reason = f"tagging gave {len(result.records)} records for {len(chunk)} inputs"
                result = failed_chunk(chunk, reason, output_format)
            sink.write(result.records)
            records += len(result.records)
            errors += result.errors
            if bar is not None:
                bar.update(len(result.records))
        complete = True
    finally:
        if bar is not None:
            bar.close()
        sink.close(complete=complete)
    return BatchSummary(records=records, errors=errors, skipped=skipped)


def _progress_bar(progress: bool | None, initial: int):
    if progress is None:
        progress = sys.stderr.isatty()
    if not progress:
        return None
    from tqdm import tqdm

    # stderr, never stdout: stdout may be the output.
    return tqdm(file=sys.stderr, unit="doc", initial=initial, dynamic_ncols=True, smoothing=0.1)
