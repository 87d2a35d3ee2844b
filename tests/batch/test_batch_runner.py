"""The batch runner: one record per input line, in order, whatever the lines hold, with or without workers."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import orjson
import pytest

from newstag.batch import parallel
from newstag.batch.runner import run_tag
from newstag.batch.stream import jsonl_lines
from newstag.options import TagOptions

# Short articles written for these tests.
ARTICLES = [
    {"id": "port", "title": "Dock strike ends", "text": "ROTTERDAM, March 3 - Dock workers in the Dutch port voted on Tuesday to end a week-long strike after the port authority agreed to raise wages by four percent."},
    {"id": "rice", "text": "BANGKOK - Thailand's rice exports rose sharply in the first quarter as buyers in Indonesia and the Philippines stocked up ahead of the monsoon, the commerce ministry said."},
    {"id": "court", "title": "Court rejects appeal", "text": "The supreme court in Nairobi rejected an appeal by the opposition on Friday, clearing the way for the president to be sworn in for a second term next week."},
    {"text": "OTTAWA, Jan 12 - Canada's central bank held its key interest rate steady, saying inflation was moving back towards its target faster than it had expected."},
    {"id": "match", "title": "Late goal wins derby", "text": "A late header from the captain gave the home side a 2-1 win in the derby on Saturday, lifting them to third place in the league table."},
]
FRENCH = (
    "Le gouvernement a annoncé mardi une nouvelle série de mesures pour soutenir les agriculteurs, qui "
    "manifestent depuis plusieurs semaines dans le sud du pays. Selon le ministre, ces aides seront versées "
    "avant la fin du mois et concerneront surtout les petites exploitations."
)


def _line(obj) -> bytes:
    return orjson.dumps(obj) + b"\n"


def garbage_lines(long_line_bytes: int) -> list[bytes]:
    """Two good articles, garbage, then the French and the other good articles."""
    good = [_line(a) for a in ARTICLES]
    garbage = [
        b"this is not json\n",  # line 3
        b"\n",  # 4: empty
        b'{"id": "no-text", "title": ""}\n',  # 5
        b'{"id": "nul", "text": "a\x00b"}\n',  # 6: binary
        b'{"id": "latin1", "text": "caf\xe9 au lait"}\n',  # 7: not UTF-8
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR binary\n",  # 8, 9, 10: a PNG header holds newlines
        b'{"id": "huge", "text": "' + b"word " * (long_line_bytes // 5) + b'"}\n',  # 11: too long
        b"[1, 2, 3]\n",  # 12: not an object
        _line({"id": "fr", "text": FRENCH}),  # 13
    ]
    return good[:2] + garbage + good[2:]


# Lines that cannot be read are named by their line number, but for the over-long line, whose id
# is read from its start; so is the article without an id (15).
EXPECTED_IDS = ["port", "rice", "3", "4", "no-text", "6", "7", "8", "9", "10", "huge", "12", "fr", "court", "15", "match"]
ERROR_IDS = {"3", "4", "no-text", "6", "7", "8", "9", "10", "huge", "12"}


@pytest.mark.parametrize("jobs", [1, 2])
def test_garbage_in_the_middle_keeps_count_and_order(tmp_path, jobs):
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"".join(garbage_lines(long_line_bytes=11_000_000)))
    out = tmp_path / "out.jsonl"

    summary = run_tag([str(source)], options=TagOptions(), output_format="jsonl", output=out, jobs=jobs, chunk_docs=3)

    records = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert [r["id"] for r in records] == EXPECTED_IDS
    assert summary.records == len(EXPECTED_IDS)
    assert {r["id"] for r in records if r["error"]} == ERROR_IDS
    assert summary.errors == len(ERROR_IDS)
    by_id = {r["id"]: r for r in records}
    assert "over the 10,000,000-byte limit" in by_id["huge"]["error"]
    assert "not valid UTF-8" in by_id["7"]["error"] and "binary" in by_id["6"]["error"]
    assert any(w.startswith("not English?") for w in by_id["fr"]["warnings"])
    # The good articles around the garbage are tagged as usual.
    assert by_id["port"]["dateline"]["text"] == "ROTTERDAM"
    assert by_id["port"]["title"] == "Dock strike ends"
    assert all(not r["warnings"] for r in records if r["id"] in {"port", "rice", "court", "15", "match"})


def test_jobs_give_the_same_bytes_as_one_process(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"".join(_line(a) for a in ARTICLES * 7))
    outputs = []
    for jobs in (1, 2):
        out = tmp_path / f"out{jobs}.jsonl"
        run_tag([str(source)], options=TagOptions(), output_format="jsonl", output=out, jobs=jobs, chunk_docs=4)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert outputs[0].count(b"\n") == 35


def _crash_on_marker(self, items):
    # Stands in for a crash in native code: the worker process dies without a word.
    if any(isinstance(item, tuple) and b"CRASH" in item[1] for item in items):
        os._exit(3)
    return _real_call(self, items)


def _marked_batch(tmp_path, marker: str, at: int):
    """A JSON Lines file of 16 articles, the one at `at` carrying `marker`; its path and docs."""
    docs = [dict(a, id=f"{n}") for n, a in enumerate(ARTICLES * 4)]
    docs[at]["text"] += f" {marker}"
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"".join(_line(d) for d in docs))
    return source, docs


_real_call = parallel.ChunkTagger.__call__


@pytest.mark.skipif("fork" not in __import__("multiprocessing").get_all_start_methods(), reason="needs fork to patch workers")
def test_a_worker_crash_loses_no_record(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel.ChunkTagger, "__call__", _crash_on_marker)
    source, docs = _marked_batch(tmp_path, "CRASH", 9)
    out = tmp_path / "out.jsonl"

    summary = run_tag([str(source)], options=TagOptions(), output_format="jsonl", output=out, jobs=2, chunk_docs=4)

    records = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert [r["id"] for r in records] == [d["id"] for d in docs]
    # Only the chunk holding the crashing article (items 8-11) is lost to errors; the chunks in
    # flight beside it are retried and tagged.
    failed = [r["id"] for r in records if r["error"]]
    assert failed == ["8", "9", "10", "11"]
    assert all(r["error_stage"] == "batch" for r in records if r["error"])
    assert summary.errors == 4


def _crash_once_on_marker(self, items):
    # A worker lost once to something outside the chunk (the OOM killer, say): a flag file marks it.
    flag = os.environ["NEWSTAG_TEST_CRASH_FLAG"]
    if any(isinstance(item, tuple) and b"CRASH" in item[1] for item in items) and not os.path.exists(flag):
        open(flag, "w").close()
        os._exit(3)
    return _real_call(self, items)


@pytest.mark.skipif("fork" not in __import__("multiprocessing").get_all_start_methods(), reason="needs fork to patch workers")
def test_a_chunk_whose_worker_died_once_is_tagged_again(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel.ChunkTagger, "__call__", _crash_once_on_marker)
    monkeypatch.setenv("NEWSTAG_TEST_CRASH_FLAG", str(tmp_path / "crashed"))
    source, docs = _marked_batch(tmp_path, "CRASH", 9)
    out = tmp_path / "out.jsonl"

    summary = run_tag([str(source)], options=TagOptions(), output_format="jsonl", output=out, jobs=2, chunk_docs=4)

    assert (tmp_path / "crashed").exists()
    assert [orjson.loads(line)["id"] for line in out.read_bytes().splitlines()] == [d["id"] for d in docs]
    assert summary.errors == 0


def _artifact_error_on_marker(self, items):
    from newstag.errors import ArtifactError

    if any(isinstance(item, tuple) and b"BROKEN" in item[1] for item in items):
        raise ArtifactError("the gazetteer is broken")
    return _real_call(self, items)


@pytest.mark.skipif("fork" not in __import__("multiprocessing").get_all_start_methods(), reason="needs fork to patch workers")
def test_an_artifact_error_in_a_worker_ends_the_run_and_its_workers(tmp_path, monkeypatch):
    import multiprocessing

    from newstag.errors import ArtifactError

    monkeypatch.setattr(parallel.ChunkTagger, "__call__", _artifact_error_on_marker)
    source, _ = _marked_batch(tmp_path, "BROKEN", 13)
    with pytest.raises(ArtifactError, match="broken"):
        run_tag([str(source)], options=TagOptions(), output_format="jsonl", output=tmp_path / "out.jsonl", jobs=2,
                chunk_docs=4)
    assert multiprocessing.active_children() == []


def test_a_consumer_that_stops_early_stops_the_workers():
    import multiprocessing

    chunks = ([(n, _line(a))] for n, a in enumerate(ARTICLES * 6, start=1))
    results = parallel.tag_chunks(chunks, TagOptions(geo=False, topics=False), "jsonl", jobs=2)
    next(results)
    results.close()
    assert multiprocessing.active_children() == []


def test_long_line_is_skipped_in_slices():
    stream = io.BytesIO(b'{"text": "short one"}\n' + b"x" * 3_000_000 + b"\n" + b'{"text": "after"}\n')
    items = list(jsonl_lines(stream, max_line_bytes=1_000_000))
    assert len(items) == 3
    assert items[0] == (1, b'{"text": "short one"}\n')
    assert items[1].error == "line 2 is 3,000,001 bytes, over the 1,000,000-byte limit for one article"
    assert items[2] == (3, b'{"text": "after"}\n')


def test_progress_goes_to_stderr_only(tmp_path, capfd):
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"".join(_line(a) for a in ARTICLES))
    run_tag([str(source)], options=TagOptions(geo=False, topics=False), output_format="jsonl", progress=True)
    captured = capfd.readouterr()
    assert [orjson.loads(line)["id"] for line in captured.out.splitlines()] == ["port", "rice", "court", "4", "match"]
    assert "5doc" in captured.err.replace(" ", "")


def test_progress_of_a_file_is_in_bytes_of_its_size(tmp_path, capfd):
    # A regular file has a known size: the bar counts bytes against it (an ETA), documents beside.
    source = tmp_path / "in.jsonl"
    data = b"".join(_line(a) for a in ARTICLES) + b"not json\n" * 3
    source.write_bytes(data)
    run_tag([str(source)], options=TagOptions(geo=False, topics=False), output_format="jsonl", progress=True,
            chunk_docs=3)
    captured = capfd.readouterr()
    assert [orjson.loads(line)["id"] for line in captured.out.splitlines()] == ["port", "rice", "court", "4", "match", "6", "7", "8"]
    final = captured.err.replace("\r", "\n").strip().splitlines()[-1]
    assert "100%" in final and f"{len(data)}/{len(data)}" in final.replace(".00", "") and "8 docs" in final


def test_progress_of_a_pipe_counts_documents(tmp_path):
    lines = b"".join(_line(a) for a in ARTICLES)
    result = subprocess.run([sys.executable, "-m", "newstag.cli", "tag", "--progress", "--no-geo", "--no-topics"],
                            input=lines, capture_output=True, check=True)
    assert [orjson.loads(line)["id"] for line in result.stdout.splitlines()] == ["port", "rice", "court", "4", "match"]
    assert "5doc" in result.stderr.decode().replace(" ", "")


def test_progress_of_a_resumed_run_starts_where_the_kept_records_end(tmp_path, capfd):
    source = tmp_path / "in.jsonl"
    data = b"".join(_line(a) for a in ARTICLES)
    source.write_bytes(data)
    out = tmp_path / "out.jsonl"
    options = TagOptions(geo=False, topics=False)
    run_tag([str(source)], options=options, output_format="jsonl", output=out)
    full = out.read_bytes()
    out.write_bytes(b"".join(full.splitlines(keepends=True)[:3]))
    capfd.readouterr()
    run_tag([str(source)], options=options, output_format="jsonl", output=out, resume=True, progress=True)
    captured = capfd.readouterr()
    assert captured.out == "" and out.read_bytes() == full
    final = captured.err.replace("\r", "\n").strip().splitlines()[-1]
    assert f"{len(data)}/{len(data)}" in final.replace(".00", "") and "2 docs" in final


def test_progress_of_a_resumed_run_starts_after_the_skipped_bytes(capfd):
    from newstag.batch.runner import Progress

    bar = Progress(total_bytes=100)
    read = bar.count_read(iter([(1, b"a" * 30), (2, b"b" * 30), (3, b"c" * 40)]))
    next(read), next(read)  # what --resume skips
    rest = bar.resumed(read, 2)
    assert next(rest) == (3, b"c" * 40) and bar.bar.n == 60
    bar.written([(3, b"c" * 40)])
    assert bar.bar.n == 100
    bar.close(complete=True)
    assert capfd.readouterr().out == ""


def test_no_progress_bar_unless_asked_or_a_terminal(tmp_path, capfd):
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"".join(_line(a) for a in ARTICLES))
    run_tag([str(source)], options=TagOptions(geo=False, topics=False), output_format="jsonl", output=tmp_path / "o.jsonl")
    assert capfd.readouterr().err == ""


class _FakeTagger:
    """Stands in for Tagger: `pipe` fails on a chunk holding a bad article, `tag` on the bad article."""

    def __init__(self, bad):
        self.bad, self.tag_calls = bad, 0
        from newstag.pipeline import Tagger

        self._real = Tagger(TagOptions(geo=False, topics=False))

    def pipe(self, docs):
        if any(self.bad(d) for d in docs):
            raise RuntimeError("stage bug")
        return self._real.pipe(docs)

    def failed(self, doc, reason, stage):
        return self._real.failed(doc, reason, stage)

    def tag(self, doc):
        self.tag_calls += 1
        if self.bad(doc):
            raise RuntimeError("stage bug")
        return self._real.tag(doc)


def _chunk(texts):
    return [(n, _line({"id": f"c{n}", "text": t})) for n, t in enumerate(texts, start=1)]


def test_a_stage_bug_on_one_article_fails_that_record_only():
    chunk_tagger = parallel.ChunkTagger(TagOptions(geo=False, topics=False), "jsonl")
    chunk_tagger.tagger = _FakeTagger(lambda d: "BOOM" in d.text)
    texts = [a["text"] for a in ARTICLES]
    texts[2] += " BOOM"
    result = chunk_tagger(_chunk(texts))
    records = [orjson.loads(r) for r in result.records]
    assert [r["id"] for r in records] == ["c1", "c2", "c3", "c4", "c5"]
    assert [r["error"] for r in records] == [None, None, "RuntimeError: stage bug", None, None]
    assert result.errors == 1


def test_a_stage_that_always_fails_is_not_retried_article_by_article():
    chunk_tagger = parallel.ChunkTagger(TagOptions(geo=False, topics=False), "jsonl")
    fake = chunk_tagger.tagger = _FakeTagger(lambda d: True)
    result = chunk_tagger(_chunk([a["text"] for a in ARTICLES] * 6))
    assert result.errors == len(result.records) == 30
    assert fake.tag_calls == parallel.SAME_FAILURE_LIMIT
    assert all(orjson.loads(r)["error"] == "RuntimeError: stage bug" for r in result.records)
