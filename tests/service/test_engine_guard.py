"""The tagging thread never answers with a lost or extra record: a chunk that comes back short is
answered with error records (with the run's versions), one per input."""

from __future__ import annotations

import orjson

from newstag.batch.parallel import ChunkResult


def test_a_short_chunk_is_answered_with_error_records(api, monkeypatch):
    from newstag.batch.parallel import ChunkTagger

    real = ChunkTagger.__call__

    def drops_the_last(self, items):
        result = real(self, items)
        return ChunkResult(result.records[:-1], result.errors)

    monkeypatch.setattr(ChunkTagger, "__call__", drops_the_last)
    lines = b'{"id": "a", "text": "Talks in Oslo."}\n{"id": "b", "text": "Rain in Lima."}\n'
    answer = api.post("/v1/tag/batch", content=lines, headers={"Content-Type": "application/x-ndjson"})
    assert answer.status_code == 200
    records = [orjson.loads(line) for line in answer.content.splitlines()]
    assert [r["id"] for r in records] == ["a", "b"]
    assert all(r["error_stage"] == "batch" and "gave 1 records for 2" in r["error"] for r in records)
    assert all(r["versions"]["newstag"] for r in records)
