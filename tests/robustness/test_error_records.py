"""Error records look alike whichever path made them: made by the pipeline, with the versions
of what produced them (the worker pool's carried `versions: {}`)."""

from __future__ import annotations

import os

import orjson

import newstag.batch.parallel as parallel
from newstag.batch.runner import run_tag
from newstag.options import TagOptions
from newstag.pipeline import Tagger
from tests.robustness.conftest import jsonl_records, write_jsonl

OPTIONS = TagOptions()


def test_records_of_a_chunk_whose_worker_died_twice_carry_versions(tmp_path, monkeypatch):
    source = write_jsonl(tmp_path / "in.jsonl", 6)
    real = parallel.ChunkTagger.__call__

    def dies_on_n3(self, items):  # a crash in native code, as far as the parent can tell
        if any(b'"n3"' in item[1] for item in items if isinstance(item, tuple)):
            os._exit(1)
        return real(self, items)

    monkeypatch.setattr(parallel.ChunkTagger, "__call__", dies_on_n3)
    out = tmp_path / "out.jsonl"
    run_tag([str(source)], options=OPTIONS, output_format="jsonl", output=out, jobs=2, chunk_docs=2)
    records = jsonl_records(out.read_bytes())
    assert [r["id"] for r in records] == [f"n{i}" for i in range(6)]
    failed = [r for r in records if r["error"]]
    assert [r["id"] for r in failed] == ["n2", "n3"]
    versions = Tagger(OPTIONS).versions()
    assert all(r["versions"] == versions and r["error_stage"] == "batch" for r in failed)


def test_records_of_a_stage_bug_carry_versions():
    chunk_tagger = parallel.ChunkTagger(OPTIONS, "jsonl")

    def broken(docs):
        raise RuntimeError("stage bug")

    chunk_tagger.tagger.pipe = broken  # a bug in a stage, seen from the batch
    chunk_tagger.tagger.tag = lambda doc: broken([doc])
    result = chunk_tagger([(1, orjson.dumps({"id": "x", "text": "Chile."}))])
    record = orjson.loads(result.records[0])
    assert record["error"] == "RuntimeError: stage bug" and record["versions"] == Tagger(OPTIONS).versions()


def test_a_reader_error_and_a_batch_error_have_the_same_fields(tmp_path):
    chunk_tagger = parallel.ChunkTagger(OPTIONS, "jsonl")
    read_error = orjson.loads(chunk_tagger([(1, b"{not json")]).records[0])
    batch_error = orjson.loads(parallel.failed_chunk([(1, b"{}")], "why", "jsonl", Tagger(OPTIONS).versions()).records[0])
    assert set(read_error) == set(batch_error)
    assert read_error["versions"] == batch_error["versions"]
