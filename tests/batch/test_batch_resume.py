"""--resume: an interrupted run, resumed, gives byte for byte the output of an uninterrupted run."""

from __future__ import annotations

import orjson
import pytest

from newstag.batch.resume import complete_records
from newstag.batch.runner import run_tag
from newstag.errors import InputError, UsageError
from newstag.options import TagOptions

# Short articles written for these tests; ids repeat on purpose (see test_duplicate_ids).
TEXTS = [
    ("a1", "LAGOS - Nigeria's oil output fell in May after a pipeline leak in the Niger Delta, the state oil company said."),
    ("a2", "Farmers in Kenya's Rift Valley expect a smaller maize harvest this year because the long rains came late."),
    ("a3", "MADRID, June 2 - Spain's jobless rate dropped to its lowest level in a decade, official figures showed on Friday."),
    ("a4", "The European Central Bank left interest rates unchanged and said it would keep buying bonds until the end of the year."),
    ("a5", "SEOUL - South Korea and Japan agreed to resume talks on fishing rights in the waters between the two countries."),
]


def write_input(path, n=23, duplicate_every=0):
    lines = []
    for i in range(n):
        doc_id, text = TEXTS[i % len(TEXTS)]
        doc_id = f"{doc_id}-{i // len(TEXTS)}" if not duplicate_every else f"d{i % duplicate_every}"
        lines.append(orjson.dumps({"id": doc_id, "text": text}) + b"\n")
    lines.insert(7, b"{broken json\n")  # a bad line is a record too, and must be resumed like one
    path.write_bytes(b"".join(lines))


def tag(source, out, resume=False, jobs=1):
    return run_tag([str(source)], options=TagOptions(), output_format="jsonl", output=out, resume=resume, jobs=jobs, chunk_docs=4)


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("resume")
    source = tmp / "in.jsonl"
    write_input(source)
    out = tmp / "full.jsonl"
    tag(source, out)
    return source, out.read_bytes()


def _cut_points(full: bytes) -> list[int]:
    ends = [i + 1 for i, b in enumerate(full) if b == ord("\n")]
    mid_line = [(a + b) // 2 for a, b in zip([0] + ends, ends)]
    # Empty, mid first line, mid-line and exactly at line ends through the file, and complete.
    return sorted({0, 1, ends[0], mid_line[3], ends[5], mid_line[9], ends[14], mid_line[-1], len(full) - 1, len(full)})


@pytest.mark.parametrize("jobs", [1, 2])
def test_resumed_run_equals_uninterrupted_run(tmp_path, uninterrupted, jobs):
    source, full = uninterrupted
    for cut in _cut_points(full):
        out = tmp_path / f"cut{cut}.jsonl"
        out.write_bytes(full[:cut])
        summary = tag(source, out, resume=True, jobs=jobs)
        assert out.read_bytes() == full, f"cut at byte {cut}"
        done = full[:cut].count(b"\n")
        assert summary.skipped == done
        assert summary.records == full.count(b"\n") - done


def test_resume_without_an_output_file_starts_afresh(tmp_path, uninterrupted):
    source, full = uninterrupted
    out = tmp_path / "new.jsonl"
    tag(source, out, resume=True)
    assert out.read_bytes() == full


def test_duplicate_ids_are_matched_by_position(tmp_path):
    source = tmp_path / "dup.jsonl"
    write_input(source, n=12, duplicate_every=3)  # ids d0 d1 d2 d0 d1 d2 ...
    full = tmp_path / "full.jsonl"
    tag(source, full)
    out = tmp_path / "out.jsonl"
    lines = full.read_bytes().splitlines(keepends=True)
    out.write_bytes(b"".join(lines[:5]))
    tag(source, out, resume=True)
    assert out.read_bytes() == full.read_bytes()


def test_output_of_another_input_is_refused(tmp_path, uninterrupted):
    source, full = uninterrupted
    other = tmp_path / "other.jsonl"
    other.write_bytes(b"".join(orjson.dumps({"id": f"x{i}", "text": t}) + b"\n" for i, (_, t) in enumerate(TEXTS)))
    out = tmp_path / "out.jsonl"
    out.write_bytes(full[: full.index(b"\n", 2000) + 1])
    before = out.read_bytes()
    with pytest.raises(InputError, match="another input"):
        tag(other, out, resume=True)
    assert out.read_bytes() == before  # nothing written, nothing lost


def test_a_damaged_line_before_the_end_is_refused(tmp_path, uninterrupted):
    _, full = uninterrupted
    lines = full.splitlines(keepends=True)
    out = tmp_path / "out.jsonl"
    out.write_bytes(lines[0] + b"garbage\n" + lines[1])
    with pytest.raises(InputError, match="not an interrupted newstag output"):
        complete_records(out)


def test_resume_needs_a_jsonl_file(tmp_path, uninterrupted):
    source, _ = uninterrupted
    with pytest.raises(UsageError, match="--resume"):
        run_tag([str(source)], options=TagOptions(), output_format="csv", output=tmp_path / "o.csv", resume=True)
