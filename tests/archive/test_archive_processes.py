"""Real processes against both backends: `archive add` killed with SIGKILL mid-run and added again,
and two `archive add` runs at once."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time

import orjson
import pytest

from newstag.archive.backends import open_archive
from newstag.archive.filters import Filters
from newstag.archive.queries import count, total

CHUNK = 256  # the batch layer's chunk: one transaction each
CLI = [sys.executable, "-m", "newstag.cli", "archive", "add", "--no-progress"]


def _copies(article_lines: list[bytes], n: int) -> list[bytes]:
    """`n` lines: the test articles again and again, each copy with an id of its own."""
    out = []
    for i in range(n):
        obj = orjson.loads(article_lines[i % len(article_lines)])
        obj["id"] = f"{obj['id']}-{i}"
        out.append(orjson.dumps(obj) + b"\n")
    return out


def _counts(stdout: str) -> dict[str, int]:
    return {k: int(v) for v, k in ((m.group(2), m.group(1)) for m in re.finditer(r"(\w+) (\d+)", stdout))}


def _check_whole(url: str, lines: list[bytes]) -> int:
    """Every stored article is whole (its tag rows and full text there); returns how many."""
    with open_archive(url) as backend:
        stored = total(backend)
        records = [orjson.loads(r) for (r,) in backend.iterate("SELECT record FROM article_bodies")]
        assert len({r["id"] for r in records}) == stored  # no id twice
        topics = backend.query("SELECT count(*) FROM article_topics")[0][0]
        regions = backend.query("SELECT count(*) FROM article_regions")[0][0]
        assert topics == sum(len({t["code"] for t in r["general"]}) for r in records)
        assert regions == sum(len({x["code"] for x in r["regions"]}) for r in records)
        assert backend.query("SELECT count(*) FROM article_topics WHERE seq NOT IN (SELECT seq FROM articles)")[0][0] == 0
        stored_ids = {r["id"] for r in records}
        assert count(backend, Filters(query="embargo")) == sum(
            b"embargo" in line for line in lines if orjson.loads(line)["id"] in stored_ids)
    return stored


def _kill_once_stored(command: list[str], url: str, at_least: int) -> None:
    """Run `command` and SIGKILL it as soon as the archive at `url` holds `at_least` articles."""
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with open_archive(url) as backend:
                    stored = total(backend)
            except Exception:  # the schema may not be there yet
                stored = 0
            if stored >= at_least:
                break
            time.sleep(0.02)
        assert proc.poll() is None, "the run finished before it could be killed: give it more input"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.communicate()
    assert proc.returncode == -signal.SIGKILL


def test_sigkill_during_add_then_add_again(archive_url, article_lines, tmp_path):
    lines = _copies(article_lines, 8 * CHUNK)
    path = tmp_path / "many.jsonl"
    path.write_bytes(b"".join(lines))
    _kill_once_stored([*CLI, "--db", archive_url, str(path)], archive_url, CHUNK)
    stored = _check_whole(archive_url, lines)
    assert 0 < stored < len(lines) and stored % CHUNK == 0  # whole chunks only
    with open_archive(archive_url) as backend:
        ids = {i for (i,) in backend.query("SELECT id FROM articles")}
    assert ids == {orjson.loads(line)["id"] for line in lines[:stored]}  # the first chunks, in order

    again = subprocess.run([*CLI, "--db", archive_url, str(path)], capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert _counts(again.stdout) == {"added": len(lines) - stored, "replaced": 0, "unchanged": stored, "errors": 0}
    assert _check_whole(archive_url, lines) == len(lines)


@pytest.mark.slow
def test_two_processes_adding_at_once(archive_url, article_lines, tmp_path):
    lines = _copies(article_lines, 4 * CHUNK)
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_bytes(b"".join(lines[: 3 * CHUNK]))  # the two inputs share 2 chunks of articles
    second.write_bytes(b"".join(lines[CHUNK:]))
    with open_archive(archive_url):
        pass  # the schema made once, before both start
    procs = [subprocess.Popen([*CLI, "--db", archive_url, str(p)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for p in (first, second)]
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0, err
    counts = [_counts(out) for out, _ in outs]
    assert sum(c["added"] for c in counts) == len(lines)
    assert sum(c["unchanged"] for c in counts) == 2 * CHUNK  # the shared articles: stored once, unchanged once
    assert sum(c["replaced"] + c["errors"] for c in counts) == 0
    assert _check_whole(archive_url, lines) == len(lines)


_BULK_THEN_KILLED = """
import os, signal, sys
import orjson
from newstag.archive.backends import open_archive
from newstag.archive.commands import AddSummary, record_articles
from newstag.archive.store import Store

url, path = sys.argv[1], sys.argv[2]
items = list(enumerate(open(path, "rb").read().splitlines(), start=1))
with open_archive(url) as backend:
    store = Store(backend)
    with store.bulk():
        store.write(record_articles(items[:5], AddSummary()))
        os.kill(os.getpid(), signal.SIGKILL)  # after one committed chunk, before the indexes are built
"""


def test_a_bulk_load_killed_keeps_its_chunks_and_the_next_write_builds_the_indexes(archive_url, tagged_records, tmp_path):
    from newstag.archive import commands
    from newstag.archive.schema import deferrable_indexes

    path = tmp_path / "tagged.jsonl"
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in tagged_records))
    proc = subprocess.run([sys.executable, "-c", _BULK_THEN_KILLED, archive_url, str(path)], capture_output=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    with open_archive(archive_url) as backend:
        wanted = {name for name, _ in deferrable_indexes(backend.dialect)}
        assert total(backend) == 5 and count(backend, Filters(region="JP")) >= 0  # whole and readable
        assert not wanted & backend.index_names()  # a reader does not build them
        if backend.dialect == "sqlite":  # FTS5's merges were deferred too
            assert _fts_setting(backend, "automerge") == "0"
        summary = commands.add_tagged(backend, [str(path)])  # not empty: no indexes dropped
        assert (summary.counts.added, summary.counts.unchanged) == (5, 5)
        assert wanted <= backend.index_names()
        if backend.dialect == "sqlite":  # merged, and merging again as it writes
            assert _fts_setting(backend, "automerge") == "4"
        word = re.findall(r"\w+", tagged_records[0]["title"])[-1]
        assert count(backend, Filters(query=word)) >= 1
        ids = [r["id"] for r in tagged_records]
        assert sorted(i for (i,) in backend.query("SELECT id FROM articles")) == sorted(ids)
        assert count(backend, Filters(topic=tagged_records[0]["general"][0]["code"])) == sum(
            any(t["code"] == tagged_records[0]["general"][0]["code"] for t in r["general"]) for r in tagged_records)


def _fts_setting(backend, key: str) -> str | None:
    rows = backend.query("SELECT v FROM articles_fts_config WHERE k = ?", (key,))
    return str(rows[0][0]) if rows else None


_ADD_TAGGED = """
import sys
from newstag.archive.backends import open_archive
from newstag.archive.commands import add_tagged

url, path, chunk = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open_archive(url) as backend:
    add_tagged(backend, [path], progress=False, chunk_docs=chunk)
"""


def test_sigkill_during_a_bulk_load_then_add_again(archive_url, tagged_records, tmp_path):
    """`archive add --tagged` (Store.bulk into an empty archive) killed while it writes its chunks:
    whole chunks only, in input order, and the next add stores the rest and builds the indexes."""
    from newstag.archive import commands
    from newstag.archive.schema import deferrable_indexes

    chunk = 50
    records = [dict(r, id=f"{r['id']}-{i}") for i in range(60) for r in tagged_records]  # 12 chunks at least
    path = tmp_path / "tagged.jsonl"
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    _kill_once_stored([sys.executable, "-c", _ADD_TAGGED, archive_url, str(path), str(chunk)], archive_url, chunk)

    def check_whole(backend) -> list[str]:
        ids = [i for (i,) in backend.query("SELECT id FROM articles ORDER BY seq")]
        by_id = {r["id"]: r for r in records}
        assert backend.query("SELECT count(*) FROM article_topics")[0][0] == sum(
            len({t["code"] for t in by_id[i]["general"]}) for i in ids)
        assert backend.query("SELECT count(*) FROM article_regions")[0][0] == sum(
            len({x["code"] for x in by_id[i]["regions"]}) for i in ids)
        word = next(w for w in tagged_records[0]["title"].split() if w.isalpha() and len(w) > 3)
        assert count(backend, Filters(query=word)) == sum(
            word.lower() in by_id[i]["title"].lower().split() for i in ids)  # --tagged: the title is its text
        return ids

    with open_archive(archive_url) as backend:
        ids = check_whole(backend)
        assert 0 < len(ids) < len(records) and len(ids) % chunk == 0  # whole chunks only
        assert ids == [r["id"] for r in records[: len(ids)]]  # the first chunks, in order
        summary = commands.add_tagged(backend, [str(path)], progress=False, chunk_docs=chunk)
        assert (summary.counts.added, summary.counts.unchanged, summary.counts.replaced, summary.errors) == (
            len(records) - len(ids), len(ids), 0, 0)
        assert check_whole(backend) == [r["id"] for r in records]
        assert {name for name, _ in deferrable_indexes(backend.dialect)} <= backend.index_names()
