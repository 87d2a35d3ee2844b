"""Fuzzing the readers and the whole pipeline with arbitrary bytes and text: no exception
escapes, every input gives exactly one record, every offset lies inside its field."""

from __future__ import annotations

import io

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newstag.batch.parallel import ChunkTagger
from newstag.batch.stream import jsonl_lines
from newstag.emit.record import to_record
from newstag.options import TagOptions
from newstag.parse.readers import jsonl_record, read_bytes
from newstag.pipeline import Tagger

TAGGER = Tagger()
CHUNKS = ChunkTagger(TagOptions(), "jsonl")
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text that reaches the stages: place names, datelines, titles, odd whitespace and scripts.
WORDS = st.sampled_from(["Chile", "Paris", "Georgia", "New York", "SANTIAGO -", "(Reuters)", "Москва", "東京",
                         "\n", "\r\n", "  ", "\t", "\u00a0", "\u2028", "é", "{", '"', "General:", "Regions:", "the"])
NEWSY = st.lists(st.one_of(WORDS, st.text(max_size=12)), max_size=40).map(" ".join)


def _offsets_inside(record: dict, text: str) -> None:
    for place in record["places"]:
        field = text if place["field"] == "text" else (record["title"] or "")
        assert 0 <= place["start"] <= place["end"] <= len(field)
        assert field[place["start"] : place["end"]] == place["text"]


@FUZZ
@given(data=st.binary(max_size=3000), fmt=st.sampled_from(["raw", "html", "jsonl"]),
       charset=st.one_of(st.none(), st.sampled_from(["utf-8", "latin-1", "utf-16", "bogus", "cp1252"])))
def test_read_bytes_never_raises_and_gives_one_record(data, fmt, charset):
    doc = read_bytes(data, "fuzz", fmt, charset=charset)
    record = to_record(TAGGER.tag(doc))
    assert record["id"]
    assert (record["error"] is None) == (doc.error is None) or record["error_stage"] in ("parse", "read")
    _offsets_inside(record, doc.text)


@FUZZ
@given(text=NEWSY, title=st.one_of(st.none(), NEWSY), fmt=st.sampled_from(["raw", "html"]))
def test_any_text_in_any_encoding_gives_one_record_with_offsets_inside(text, title, fmt):
    body = text if title is None else f"{title}\n\n{text}"
    for codec in ("utf-8", "utf-16", "cp1252"):
        try:
            data = body.encode(codec)
        except UnicodeEncodeError:
            continue
        doc = read_bytes(data, "t", fmt)
        _offsets_inside(to_record(TAGGER.tag(doc)), doc.text)


@FUZZ
@given(lines=st.lists(st.one_of(
    st.binary(max_size=200).filter(lambda b: b"\n" not in b),
    st.builds(lambda t, ti, i: orjson.dumps({"id": i, "title": ti, "text": t}), NEWSY, st.one_of(st.none(), NEWSY),
              st.one_of(st.none(), st.integers(-(2**63), 2**63 - 1), st.text(max_size=5))),
), max_size=12))
def test_json_lines_one_record_per_line_with_offsets_inside(lines):
    stream = io.BytesIO(b"".join(line + b"\n" for line in lines))
    items = list(jsonl_lines(stream, max_line_bytes=500))
    assert len(items) == len(lines)
    records = [orjson.loads(r) for r in CHUNKS(items).records]
    assert len(records) == len(lines)
    for line, record in zip(lines, records):
        given_doc = jsonl_record(line, 1)
        _offsets_inside(record, given_doc.text)
