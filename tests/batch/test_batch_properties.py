"""Invariants of a batch on arbitrary input lines (Hypothesis): one record per line, in order, ids kept."""

from __future__ import annotations

import tempfile
from pathlib import Path

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newstag.batch.runner import run_tag
from newstag.options import TagOptions

# A line is an article with an id, an article without one, or garbage that cannot be JSON (it
# starts with a byte that is never valid UTF-8). Text may hold any character, newlines included
# (JSON escapes them, so a record stays on one line).
ARTICLE = st.fixed_dictionaries(
    {"id": st.text(min_size=1, max_size=12), "text": st.text(min_size=1, max_size=200)},
    optional={"title": st.text(max_size=40)},
)
NO_ID = st.fixed_dictionaries({"text": st.text(min_size=1, max_size=200)})
GARBAGE = st.binary(max_size=80).map(lambda b: b"\xff" + b.replace(b"\n", b" ").replace(b"\r", b" "))
LINE = st.one_of(ARTICLE, NO_ID, GARBAGE)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(LINE, max_size=25), st.sampled_from([1, 3, 256]))
def test_one_record_per_line_in_order(lines, chunk_docs):
    encoded = [line if isinstance(line, bytes) else orjson.dumps(line) for line in lines]
    with tempfile.TemporaryDirectory() as tmp:
        source, out = Path(tmp) / "in.jsonl", Path(tmp) / "out.jsonl"
        source.write_bytes(b"".join(e + b"\n" for e in encoded))
        summary = run_tag(
            [str(source)], options=TagOptions(geo=False, topics=False), output_format="jsonl", output=out, chunk_docs=chunk_docs
        )
        records = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert len(records) == len(lines) == summary.records
    for number, (line, record) in enumerate(zip(lines, records), start=1):
        if isinstance(line, bytes):
            assert record["id"] == str(number) and record["error"]
        elif "id" in line:
            assert record["id"] == line["id"]
        else:
            assert record["id"] == str(number)
    assert summary.errors == sum(1 for r in records if r["error"])
