"""Invariants of the whole pipeline on arbitrary text (Hypothesis)."""

from __future__ import annotations

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newstag.emit.record import to_record
from newstag.parse.readers import read_jsonl
from newstag.pipeline import Tagger
from newstag.types import RawDocument

TAGGER = Tagger()

# Text that looks a little like news: words, place names, punctuation, newlines, odd unicode.
WORDS = st.sampled_from(
    ["Moscow", "-", "Cuba", "said", "the", "Paris,", "April", "8", "(AP)", "Georgia", "\n", "\n\n", "General:",
     "Regions:", "Washington", "é", "東京", "US", "Nice", "turkey", ".", "Reuter", "Flag", "Latin", "America"]
)
NEWSY = st.lists(WORDS, max_size=60).map(" ".join)
TEXT = st.one_of(NEWSY, st.text(max_size=300))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_offsets_lie_inside_the_text_and_scores_in_range(text):
    tagged = TAGGER.tag(RawDocument(id="p", text=text))
    record = to_record(tagged)
    assert record["id"] == "p"
    a = tagged.article
    assert 0 <= a.body.start <= a.body.end <= len(text)
    if a.dateline:
        assert text[a.dateline.start : a.dateline.end] == a.dateline.text
    for place in record["places"]:
        source = text if place["field"] == "text" else (a.title or "")
        assert source[place["start"] : place["end"]] == place["text"]
        assert 0.0 <= place["score"] <= 1.0
    for item in record["general"] + record["regions"]:
        assert 0.0 <= item["score"] <= 1.0
    assert [g["score"] for g in record["general"]] == sorted((g["score"] for g in record["general"]), reverse=True)
    assert [r["score"] for r in record["regions"]] == sorted((r["score"] for r in record["regions"]), reverse=True)


LINE = st.one_of(
    st.builds(lambda i, t: orjson.dumps({"id": f"id{i}", "text": t}), st.integers(0, 10**6), TEXT),
    st.builds(lambda t: orjson.dumps({"text": t}), TEXT),
    st.binary(max_size=40).filter(lambda b: b"\n" not in b),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(LINE, max_size=25))
def test_one_record_per_line_ids_and_order_kept(lines):
    records = [to_record(t) for t in TAGGER.pipe(read_jsonl(lines))]
    assert len(records) == len(lines)
    for number, (line, record) in enumerate(zip(lines, records), start=1):
        try:
            obj = orjson.loads(line)
        except orjson.JSONDecodeError:
            obj = None
        if isinstance(obj, dict) and obj.get("id"):
            assert record["id"] == obj["id"]
        else:
            assert record["id"] == str(number)
