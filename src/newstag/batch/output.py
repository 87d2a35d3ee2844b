"""Batch output: each record encoded where it was tagged (in a worker), written in order by the parent.

    encode()  (emit/writers.py) TaggedArticle -> one encoded record (bytes; a row dict for
              Parquet); runs in workers, so the parent only writes bytes
    Output    the output file or stdout: writes encoded records in order and frames the document
              (CSV header, JSON array, text separators, Parquet row groups)

A new output file is written under a temporary name in its directory and renamed into place when
the run ends, so that a failed run leaves no half-written or empty file where the user expects a
result (and an existing file stays as it was). An interrupted JSON Lines run is renamed into place
too, holding complete records only, for `--resume` to continue (which also takes up the
temporary file of a run killed before it could rename it: batch/runner.py). Appending (--resume) and
non-regular targets (/dev/stdout, a FIFO) are written in place.

Formats are those of `emit/writers.py`.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import BinaryIO

from newstag.emit.table import csv_header
from newstag.emit.text import SEPARATOR
from newstag.emit.writers import OUTPUT_FORMATS as BATCH_FORMATS
from newstag.emit.writers import Encoded, encode
from newstag.errors import OutputClosed, OutputError, UsageError

__all__ = ["BATCH_FORMATS", "Encoded", "Output", "check_output_path", "encode", "format_for_path"]


# The temporary file of out.jsonl is .out.jsonl.<random>.part, in the same directory.
TEMPORARY_PREFIX, TEMPORARY_SUFFIX = ".", ".part"


def check_output_path(path: Path) -> None:
    """Raise OutputError, before any work, when `path` cannot be an output file."""
    parent = path.parent
    if not parent.is_dir():
        what = "is not a directory" if parent.exists() else "does not exist"
        raise OutputError(f"cannot write {path}: the directory {parent} {what}; create it first (mkdir -p {parent})")
    if path.is_dir():
        raise OutputError(f"cannot write {path}: it is a directory; give a file name (-o {path / 'tagged.jsonl'})")


def write_error(path: Path | None, exc: OSError) -> OutputError:
    """The OutputError for a failed write: stdout closed by its reader, or a one-line reason."""
    if exc.errno in (errno.EPIPE, errno.ECONNRESET):  # only a pipe's reader can go away
        return OutputClosed(f"{path or 'stdout'} was closed by its reader")
    where = str(path) if path is not None else "stdout"
    reason = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        fix = "free some space or write elsewhere (-o PATH)"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        fix = "write somewhere you may write (-o PATH)"
    else:
        fix = "check the path, or write elsewhere (-o PATH)"
    return OutputError(f"cannot write {where}: {reason}; {fix}")


def format_for_path(path: Path | None) -> str | None:
    """The output format a file name asks for (`out.parquet` -> parquet), or None."""
    if path is None:
        return None
    return {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet", ".json": "json"}.get(
        path.suffix.lower()
    )


class Output:
    """Encoded records to `path` (stdout when None), in the order given. Every failure to write is
    an OutputError (OutputClosed when stdout's reader went away)."""

    def __init__(self, path: Path | None, fmt: str, append: bool = False) -> None:
        if fmt not in BATCH_FORMATS:
            raise ValueError(f"unknown output format {fmt!r}; choose one of {', '.join(BATCH_FORMATS)}")
        if fmt == "parquet" and path is None:
            raise UsageError("Parquet output needs a file: give -o FILE.parquet")
        self.fmt, self.path, self.count = fmt, path, 0
        self._parquet = None
        self._out: BinaryIO | None = None
        self._pending: bytes | None = None  # json: the first record, held until we know if there is a second
        self._temp: Path | None = None  # written here, renamed to `path` at the end
        if path is not None:
            check_output_path(path)
            if not append and _renameable(path):
                self._temp = _temporary_beside(path)
        target = self._temp or path
        try:
            if fmt == "parquet":
                from newstag.emit.parquet import ParquetWriter

                self._parquet = ParquetWriter(target)
                return
            self._out = open(target, "ab" if append else "wb") if target else sys.stdout.buffer  # noqa: SIM115
            if fmt == "csv" and not append:
                self._out.write(csv_header().encode())
        except OSError as exc:
            self._discard()
            raise write_error(path, exc) from exc

    def write(self, records: list[Encoded]) -> None:
        try:
            self._write(records)
        except OSError as exc:
            raise write_error(self.path, exc) from exc

    def _write(self, records: list[Encoded]) -> None:
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
            try:
                self._out.flush()
            except OSError as exc:
                raise write_error(self.path, exc) from exc

    def close(self, complete: bool = True, keep_partial: bool = False) -> None:
        """Finish the document and put the file in place.

        complete=False: the run did not finish. With `keep_partial` (an interrupted JSON Lines
        run) the records written so far are kept, for --resume; otherwise a new file is removed
        and the path keeps what it held before. Raises OutputError if the end cannot be written.
        """
        # (An interrupted run that wrote nothing leaves the path as it was.)
        keep = complete or (keep_partial and self.fmt == "jsonl" and self.count > 0)
        try:
            self._finish(complete)
        except OSError as exc:
            self._discard()
            raise write_error(self.path, exc) from exc
        if self._temp is None:
            return
        if not keep:
            self._discard()
            return
        try:
            os.replace(self._temp, self.path)
        except OSError as exc:
            self._discard()
            raise write_error(self.path, exc) from exc
        self._temp = None

    def _finish(self, complete: bool) -> None:
        if self._parquet is not None:
            parquet, self._parquet = self._parquet, None
            parquet.close()
            return
        out = self._out
        if out is None:
            return
        if complete and self.fmt == "json":
            if self._pending is not None:
                out.write(self._pending + b"\n")
            elif self.count:
                out.write(b"\n]\n")
            else:
                out.write(b"[]\n")
        try:
            out.flush()
        finally:
            if self.path is not None:
                self._out = None
                out.close()

    def _discard(self) -> None:
        """Close and remove the temporary file, if any (the target path is left as it was)."""
        for closing in (self._out if self.path is not None else None, self._parquet):
            if closing is not None:
                try:
                    closing.close()
                except (OSError, ValueError):
                    pass
        self._out = self._parquet = None
        if self._temp is not None:
            try:
                self._temp.unlink()
            except OSError:
                pass
            self._temp = None


def _renameable(path: Path) -> bool:
    """A regular file, or nothing yet: written beside and renamed. Not /dev/stdout, a FIFO, ..."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except FileNotFoundError:
        return True
    except OSError:
        return False


def _temporary_beside(path: Path) -> Path:
    """A new empty file in `path`'s directory, with the permissions `path` has or would get."""
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    try:
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f"{TEMPORARY_PREFIX}{path.name}.", suffix=TEMPORARY_SUFFIX)
    except OSError as exc:
        raise write_error(path, exc) from exc
    os.fchmod(fd, mode)
    os.close(fd)
    return Path(name)
