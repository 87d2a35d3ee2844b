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

import os
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from newstag.batch.output import TEMPORARY_PREFIX, TEMPORARY_SUFFIX, Output, check_output_path, format_for_path
from newstag.batch.parallel import ChunkResult, failed_chunk, tag_chunks
from newstag.batch.stream import CHUNK_DOCS, Item, chunked, iter_items, sniff_format
from newstag.errors import UsageError
from newstag.options import TagOptions
from newstag.parse.readers import INPUT_FORMATS


@dataclass(frozen=True, slots=True)
class BatchSummary:
    records: int  # records written by this run
    errors: int  # of which carry an error
    skipped: int = 0  # inputs skipped by --resume (their records were already in the output)
    unreadable: tuple[str, ...] = ()  # input paths that could not be read (each gave an error record)


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
        except OSError:
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

    Raises UsageError for options that cannot work together (before reading or writing
    anything), OutputError when the output cannot be written, KeyboardInterrupt when interrupted
    (a JSON Lines output then holds the complete records written so far, for `resume`).
    """
    paths = list(paths)
    check_options(paths, output=output, output_format=output_format, input_format=input_format, resume=resume)
    unreadable: list[str] = []
    items = iter_items(paths, input_format, unreadable_paths=unreadable)
    bar = Progress.start(progress, paths, input_format)
    if bar is not None:
        items = bar.count_read(items)
    skipped = 0
    if resume:
        if not output.exists():
            adopt_leftover(output)
        if output.exists():
            from newstag.batch.resume import complete_records, skip_done

            skipped = complete_records(output)
            items = skip_done(items, output, skipped)
            if bar is not None:
                items = bar.resumed(items, skipped)

    sink = Output(output, output_format, append=resume and skipped > 0)
    records = errors = 0
    complete = interrupted = False
    try:
        for chunk, result in tagged_chunks(items, options, output_format, jobs, chunk_docs):
            sink.write(result.records)
            records += len(result.records)
            errors += result.errors
            if bar is not None:
                bar.written(chunk)
        complete = True
    except KeyboardInterrupt:
        interrupted = True
        raise
    finally:
        if bar is not None:
            bar.close(complete)
        sink.close(complete=complete, keep_partial=interrupted)
    return BatchSummary(records=records, errors=errors, skipped=skipped, unreadable=tuple(unreadable))


def adopt_leftover(output: Path) -> bool:
    """Put the newest leftover temporary file of `output` (a run killed with SIGKILL never renamed
    it, see batch/output.py) in its place, so that --resume continues from it. True if one was."""
    leftovers = sorted(output.parent.glob(f"{TEMPORARY_PREFIX}{output.name}.*{TEMPORARY_SUFFIX}"),
                       key=lambda p: p.stat().st_mtime)
    if not leftovers:
        return False
    os.replace(leftovers[-1], output)
    return True


def check_options(
    paths: list[str], *, output: Path | None, output_format: str, input_format: str | None, resume: bool
) -> None:
    """Raise UsageError for a run that cannot do what it is asked, OutputError for an output path
    that cannot be written (a missing directory)."""
    if input_format is not None and input_format not in INPUT_FORMATS:
        raise UsageError(f"unknown --input-format {input_format!r}: choose one of {', '.join(INPUT_FORMATS)}")
    if resume and (output is None or output_format != "jsonl"):
        raise UsageError("--resume continues a JSON Lines output file: give -o FILE.jsonl (and --format jsonl)")
    if output is None:
        return
    check_output_path(output)  # before --resume reads it, and before any work
    for path in paths:
        if path != "-" and _same_file(path, output):
            raise UsageError(
                f"the output {output} is the input {path}: writing it would destroy the input; give another -o file"
            )


def _same_file(a: str | Path, b: str | Path) -> bool:
    """The same file, through a symlink or a hard link too (False when either does not exist)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def tagged_chunks(
    items: Iterable[Item], options: TagOptions, output_format: str, jobs: int = 1, chunk_docs: int = CHUNK_DOCS
) -> Iterator[tuple[list[Item], ChunkResult]]:
    """Steps 3-4 for any consumer of records (`run_tag`, the archive): (chunk, its result) in
    input order, each result exactly one encoded record per item."""
    for chunk, result in tag_chunks(chunked(items, max_docs=chunk_docs), options, output_format, jobs):
        if len(result.records) != len(chunk):
            # Never pass on a chunk that lost or gained records: replace it with error records.
            from newstag.pipeline import Tagger

            reason = f"tagging gave {len(result.records)} records for {len(chunk)} inputs"
            result = failed_chunk(chunk, reason, output_format, Tagger(options).versions())
        yield chunk, result


class Progress:
    """The progress bar on stderr, never on stdout (stdout may be the output).

    JSON Lines read from regular files: in bytes of input written out, against the files' total
    size, so that the bar shows how far the run is and an ETA. Otherwise (stdin, a pipe, other
    formats) the total is unknown: documents written, as a count.
    """

    def __init__(self, total_bytes: int | None) -> None:
        from tqdm import tqdm

        self.total_bytes = total_bytes
        self.read = 0  # bytes of the lines read so far (JSON Lines)
        self.docs = 0  # documents written by this run
        if total_bytes is None:
            self.bar = tqdm(file=sys.stderr, unit="doc", dynamic_ncols=True, smoothing=0.1)
        else:
            self.bar = tqdm(file=sys.stderr, total=total_bytes, unit="B", unit_scale=True, unit_divisor=1024,
                            dynamic_ncols=True, smoothing=0.1)

    @classmethod
    def start(cls, progress: bool | None, paths: list[str], input_format: str | None) -> Progress | None:
        if progress is None:
            progress = sys.stderr.isatty()
        if not progress:
            return None
        return cls(_jsonl_file_bytes(paths, input_format))

    def count_read(self, items: Iterable[Item]) -> Iterator[Item]:
        """`items` unchanged; counts the bytes of the lines read."""
        for item in items:
            if isinstance(item, tuple):
                self.read += len(item[1])
            yield item

    def resumed(self, items: Iterable[Item], skipped: int) -> Iterator[Item]:
        """`items` after --resume skipped `skipped` of them: the bar starts where they end."""
        if self.total_bytes is None:
            self.bar.update(skipped)
            yield from items
            return
        for item in items:
            # The first item left: every byte read before it was skipped.
            self.bar.update(self.read - (len(item[1]) if isinstance(item, tuple) else 0))
            yield item
            break
        yield from items

    def written(self, chunk: list[Item]) -> None:
        if self.total_bytes is None:
            self.bar.update(len(chunk))
            return
        self.docs += len(chunk)
        # A line over the size limit is an error item without its bytes: close() squares the count.
        self.bar.update(sum(len(i[1]) for i in chunk if isinstance(i, tuple)))
        self.bar.set_postfix_str(f"{self.docs:,} docs", refresh=False)

    def close(self, complete: bool) -> None:
        if complete and self.total_bytes is not None and self.bar.n < self.total_bytes:
            self.bar.update(self.total_bytes - self.bar.n)
        self.bar.close()


def _jsonl_file_bytes(paths: list[str], input_format: str | None) -> int | None:
    """The total size of `paths` when all are JSON Lines regular files; else None."""
    total = 0
    for path in paths:
        try:
            if path == "-" or not stat.S_ISREG(os.stat(path).st_mode) or (input_format or sniff_format(path)) != "jsonl":
                return None
            total += os.path.getsize(path)
        except (OSError, InputError):
            return None  # reported when the input is read
    return total
