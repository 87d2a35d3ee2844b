"""--resume: continue an interrupted run into the same JSON Lines output file.

A batch writes exactly one record per input record, in input order. So an interrupted output file
holds the records of the first N inputs, possibly followed by part of one more line (the process
was killed mid-write). Resuming:
    1. drops that partial line (the file is cut back to its last complete record),
    2. checks, input record by output record, that the first N ids agree, and skips those inputs,
    3. appends the records of the rest.
The result is byte for byte the output of an uninterrupted run.

Ids are matched by position, not looked up in a set, so memory stays constant however large the
file, and duplicate ids are handled as they come: if "a7" occurs twice in the input and once in
the output, the first occurrence is skipped and the second tagged. An output file whose ids
disagree with the input (another input, or the same input reordered) is refused rather than
guessed at, since a guess could lose or duplicate records.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import orjson

from newstag.batch.stream import Item, item_id
from newstag.errors import InputError


def complete_records(path: Path) -> int:
    """Cut `path` back to its last complete record; return how many records it holds.

    A record is complete when its line ends with a newline and parses as a JSON object with an id.
    Only the last line may be incomplete; a bad line before it means the file is not ours.
    """
    count = 0
    good_end = 0
    bad_line: int | None = None
    with open(path, "rb") as f:
        while line := f.readline():
            if bad_line is not None:
                raise InputError(
                    f"{path} line {bad_line} is not a complete newstag record, and more lines follow it: "
                    "this is not an interrupted newstag output; write to a new file or remove it"
                )
            if line.endswith(b"\n") and _record_id(line) is not None:
                count += 1
                good_end = f.tell()
            else:
                bad_line = count + 1
    if bad_line is not None:
        with open(path, "r+b") as f:
            f.truncate(good_end)
    return count


def skip_done(items: Iterable[Item], path: Path, count: int) -> Iterator[Item]:
    """`items` without the first `count`, after checking they are the ones recorded in `path`."""
    items = iter(items)
    with open(path, "rb") as f:
        for number in range(1, count + 1):
            recorded = _record_id(f.readline())
            item = next(items, None)
            if item is None:
                raise InputError(
                    f"{path} holds {count:,} records but the input has only {number - 1:,}: it was not made "
                    "from this input; write to a new file or remove it"
                )
            given = item_id(item)
            if given != recorded:
                raise InputError(
                    f"record {number:,} of {path} has id {recorded!r} but input record {number:,} has id {given!r}: "
                    "the file was made from another input (or the input changed); write to a new file or remove it"
                )
    yield from items


def _record_id(line: bytes) -> str | None:
    try:
        record = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(record, dict) or not isinstance(record.get("id"), str):
        return None
    return record["id"]
