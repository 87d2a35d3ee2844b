"""Speed and size of the archive on SQLite and PostgreSQL.

    make bench-archive   (= python bench/bench_archive.py --shared ../shared --counts 100000)

1. The mix of bench_pipeline.py (every Reuters-21578 and BBC News dev article) is tagged once.
2. Copies of those records, each with a new id and a date of its own (rising over 2000-2024, so
   that month charts and date order have something to do), are stored into a new archive on
   each backend as `archive add --tagged` stores them (Store.bulk: chunks of 4,096 articles, one
   transaction each; into an empty archive the tag indexes are built once at the end):
   records/s is the time from tagged record to committed rows and built indexes (the record's
   JSON, its hash, the tag rows; tagging excluded; as `archive add --tagged`, the next chunk is
   made and its rows built in a worker process while one is written). --chunk 256 --no-bulk measures the way
   `archive add` writes as it tags. PostgreSQL runs on a server the benchmark starts and stops
   itself (archive/pgserver.py), with fsync off like the tests' server.
3. Size: the database (SQLite: the file and its WAL after a checkpoint; PostgreSQL:
   pg_database_size) per article.
4. Latency, p50 / p99 over --queries runs each, of what the pages ask (first 20 newest + total,
   counted up to queries.COUNT_CAP as the pages count it):
   a topic page, a region page (about), a full-text query, a full-text query with a topic and
   a region filter, the facet counts of a region page, a region page's month chart, and the
   50 commonest topics with their counts (`archive stats`, /v1/stats).
   Parameters are drawn (fixed seed) from the tags and title words of the records.
Prints a table with the load average beside it, and writes the figures to --out (JSON).

--keep DIR keeps the archives (SQLite files, the PostgreSQL server's directory) in DIR, and a run
given the same DIR again queries them instead of storing again (their store figures are those of
the run that built them): a million articles are stored once, then queried after each change.
Delete DIR to rebuild; a store that did not finish leaves no `built-*.json` and is redone.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import orjson

from newstag.archive.store import BULK_CHUNK

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
from bench_pipeline import build_mix  # noqa: E402

CHUNK = BULK_CHUNK  # what `archive add --tagged` writes per transaction (--chunk to change)
TARGETS = {"sqlite_records_per_s": 20_000, "postgresql_records_per_s": 10_000, "page_p99_ms": 50, "facets_p99_ms": 200}


def load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def tag_mix(shared: Path):
    """(RawDocument, record, record JSON) for every article of the mix, tagged once."""
    from newstag.batch.parallel import ChunkTagger
    from newstag.options import TagOptions
    from newstag.types import RawDocument

    articles = _originals(shared)
    docs = [RawDocument(id=a["id"], text=a["text"], title=a["title"], kind="jsonl") for a in articles]
    tagger = ChunkTagger(TagOptions(), "jsonl")
    out = []
    for start in range(0, len(docs), CHUNK):
        chunk = docs[start : start + CHUNK]
        for doc, encoded in zip(chunk, tagger(chunk).records):
            record = orjson.loads(encoded)
            if not record["error"]:
                out.append((doc, record))
    return out


def _originals(shared: Path) -> list[dict]:
    # build_mix repeats the corpora to a count; one pass over them is every article once.
    from bench_pipeline import CORPORA

    n = sum(1 for corpus in CORPORA for _ in open(shared / "data" / corpus / "dev.jsonl", "rb"))
    return [dict(a, id=a["id"].split("#")[0]) for a in build_mix(shared, n)]


def copies(tagged, count: int, start: int = 0, stop: int | None = None) -> list:
    """StoredArticles number `start` to `stop` of `count`: the tagged articles again and again
    with new ids and dates."""
    from newstag.archive.store import from_tagged
    from newstag.types import RawDocument

    first = date(2000, 1, 1)
    out = []
    for i in range(start, count if stop is None else stop):
        doc, record = tagged[i % len(tagged)]
        new_id = f"{doc.id}#{i // len(tagged)}"
        # Dates rise with the copy number, ~110 articles a day over 2000-2024 at a million: an
        # archive fed as the news comes in. (A backfill in random date order writes more index
        # pages per chunk: every tag's index is then inserted into at random.)
        published = (first + timedelta(days=i * 9125 // count)).isoformat()
        copy = dict(record, id=new_id)
        # The copy made directly (dataclasses.replace took ~7 us an article, none of it storing).
        copy_doc = RawDocument(id=new_id, text=doc.text, title=doc.title, kind=doc.kind)
        out.append(from_tagged(copy_doc, copy, orjson.dumps(copy), published))
    return out


_TAGGED: list = []  # the tagged mix, for prepared_copies in the forked worker


def prepared_copies(span: tuple[int, int, int]):
    """(start, stop, count) -> the rows of those copies (store.prepare_chunk), made in the worker
    process as `archive add --tagged` makes its chunks' (commands.add_tagged)."""
    from newstag.archive.store import prepare_chunk

    start, stop, count = span
    return prepare_chunk(copies(_TAGGED, count, start, stop))


def store_all(url: str, tagged, count: int, bulk: bool = True) -> dict:
    from contextlib import nullcontext

    from newstag.archive.backends import open_archive
    from newstag.archive.store import Store
    from newstag.batch.stream import made_in_process

    with open_archive(url) as backend:
        store = Store(backend)
        start = time.perf_counter()
        prepare = 0.0
        # As `archive add --tagged` does (commands.add_tagged): the next chunks made and their
        # rows built (prepare_chunk) in a worker process while this one is written; "preparing"
        # is the time spent waiting for them.
        _TAGGED[:] = tagged
        chunks = made_in_process(prepared_copies, ((i, min(i + CHUNK, count), count) for i in range(0, count, CHUNK)))
        with store.bulk() if bulk else nullcontext():
            while True:
                t0 = time.perf_counter()
                chunk = next(chunks, None)
                prepare += time.perf_counter() - t0
                if chunk is None:
                    break
                store.write(chunk)
        seconds = time.perf_counter() - start
        t0 = time.perf_counter()
        backend.optimize()
        analyze_s = time.perf_counter() - t0
    return {"seconds": round(seconds, 2), "records_per_s": round(count / seconds), "of_which_preparing_s": round(prepare, 2),
            "analyze_s": round(analyze_s, 2), "load": load()}


def size_bytes(url: str) -> int:
    from newstag.archive.backends import open_archive

    with open_archive(url) as backend:
        if backend.dialect == "sqlite":
            backend.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            return sum(os.path.getsize(p) for p in (url, url + "-wal") if os.path.exists(p))
        return backend.query("SELECT pg_database_size(current_database())")[0][0]


def query_pools(tagged, seed: int = 7):
    topics = Counter(t["code"] for _, r in tagged for t in r["general"])
    regions = Counter(x["code"] for _, r in tagged for x in r["regions"] if x["relevance"] == "about")
    words = Counter(w.lower() for doc, _ in tagged for w in (doc.title or "").split() if w.isalpha() and len(w) >= 5)
    rng = random.Random(seed)
    mid_words = [w for w, n in words.most_common(400)[40:]]  # neither the commonest nor hapaxes
    combos = []
    for doc, record in tagged:
        about = [x["code"] for x in record["regions"] if x["relevance"] == "about" and x["kind"] == "country"]
        title_words = [w for w in (doc.title or "").split() if w.isalpha() and len(w) >= 5]
        if record["general"] and about and title_words:
            combos.append((title_words[0].lower(), record["general"][0]["code"], about[0]))
    return {
        "topics": [c for c, _ in topics.most_common(12)],
        "regions": [c for c, _ in regions.most_common(25)],
        "words": mid_words,
        "combos": rng.sample(combos, min(200, len(combos))),
        "rng": rng,
    }


def latencies(url: str, pools: dict, runs: int) -> dict:
    from newstag.archive.backends import open_archive
    from newstag.archive.facets import facet_counts
    from newstag.archive.filters import Filters
    from newstag.archive.queries import months, search_page, stats

    rng = pools["rng"]

    def page(filters):
        search_page(backend, filters, limit=20)  # what a page shows: the newest 20, the total up to its cap

    classes = {
        "topic page": lambda: page(Filters(topic=rng.choice(pools["topics"]))),
        "region page (about)": lambda: page(Filters(region=rng.choice(pools["regions"]), relevance="about")),
        "full-text query": lambda: page(Filters(query=rng.choice(pools["words"]))),
        "full text + topic + region": lambda: page(Filters(**dict(zip(("query", "topic", "region"), rng.choice(pools["combos"]))))),
        "facets of a region page": lambda: facet_counts(backend, Filters(region=rng.choice(pools["regions"]), relevance="about")),
        "month chart of a region page": lambda: months(backend, Filters(region=rng.choice(pools["regions"]), relevance="about")),
        "stats by topic (top 50)": lambda: stats(backend, "topic", 50),
    }
    out = {}
    with open_archive(url) as backend:
        for name, run in classes.items():
            for _ in range(min(5, runs)):
                run()  # warm the caches
            times = []
            for _ in range(runs):
                t0 = time.perf_counter()
                run()
                times.append((time.perf_counter() - t0) * 1000)
            times.sort()
            out[name] = {"p50_ms": round(statistics.median(times), 2), "p99_ms": round(times[int(0.99 * (len(times) - 1))], 2),
                         "max_ms": round(times[-1], 2)}
        out["load"] = load()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--counts", type=int, nargs="+", default=[100_000])
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"])
    parser.add_argument("--chunk", type=int, default=BULK_CHUNK, help="articles per transaction")
    parser.add_argument("--no-bulk", action="store_true", help="write chunk by chunk with every index in place")
    parser.add_argument("--queries", type=int, default=200, help="runs per query class")
    parser.add_argument("--dir", type=Path, default=None, help="where the SQLite files go (default: a temporary directory)")
    parser.add_argument("--keep", type=Path, default=None, metavar="DIR",
                        help="keep the archives in DIR and query those already built there instead of storing again")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results_archive.json")
    args = parser.parse_args()
    global CHUNK
    CHUNK = args.chunk
    # SIGTERM (a timeout, a Ctrl-C from make) unwinds like an exception, so that the PostgreSQL
    # server this benchmark started is stopped and its files removed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("bench: terminated"))

    print(f"tagging the mix once ({load()})", flush=True)
    t0 = time.perf_counter()
    tagged = tag_mix(args.shared)
    print(f"  {len(tagged):,} records in {time.perf_counter() - t0:.1f} s", flush=True)
    pools = query_pools(tagged)
    results = {"targets": TARGETS, "records_tagged": len(tagged), "chunk": CHUNK, "bulk": not args.no_bulk, "runs": []}
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        where = args.keep or Path(tmp)
        where.mkdir(parents=True, exist_ok=True)
        server_cm = None
        if "postgresql" in args.backends:
            from newstag.archive.pgserver import temporary_server

            # Memory for sorting and building the GIN index; the rest PostgreSQL's defaults.
            server_cm = temporary_server({"shared_buffers": "512MB", "maintenance_work_mem": "512MB", "work_mem": "32MB"},
                                         keep=args.keep and args.keep / "pg")
            server = server_cm.__enter__()
        try:
            for n in args.counts:
                for backend in args.backends:
                    built = where / f"built-{backend}-{n}.json"
                    if args.keep and built.exists():
                        url = str(where / f"archive-{n}.db") if backend == "sqlite" else server.url(f"archive_{n}")
                        stored = dict(orjson.loads(built.read_bytes()), reused=str(args.keep))
                        print(f"{backend}: {n:,} records kept in {args.keep} ({load()})", flush=True)
                    else:
                        url = str(where / f"archive-{n}.db") if backend == "sqlite" else server.new_database(f"archive_{n}" if args.keep else None)
                        if backend == "sqlite" and os.path.exists(url):
                            os.remove(url)  # a store that did not finish
                        print(f"{backend}: storing {n:,} records ({load()})", flush=True)
                        stored = store_all(url, tagged, n, bulk=not args.no_bulk)
                        if args.keep:
                            built.write_bytes(orjson.dumps(stored))
                    size = size_bytes(url)
                    print(f"  {stored['records_per_s']:,} records/s ({stored['seconds']} s; analyze {stored['analyze_s']} s); "
                          f"{size / n:,.0f} bytes per article ({size / 1e9:.2f} GB); {stored['load']}", flush=True)
                    lat = latencies(url, pools, args.queries)
                    for name, figures in lat.items():
                        if name != "load":
                            print(f"  {name:<30} p50 {figures['p50_ms']:>8.2f} ms   p99 {figures['p99_ms']:>8.2f} ms", flush=True)
                    print(f"  ({lat['load']})", flush=True)
                    results["runs"].append({"backend": backend, "articles": n, "store": stored,
                                            "bytes_per_article": round(size / n), "latency": lat})
                    # After every run: a long run stopped half-way keeps what it measured.
                    args.out.write_text(orjson.dumps(results, option=orjson.OPT_INDENT_2).decode() + "\n")
                    if backend == "sqlite" and not args.keep:
                        for suffix in ("", "-wal", "-shm"):
                            if os.path.exists(url + suffix):
                                os.remove(url + suffix)
        finally:
            if server_cm is not None:
                server_cm.__exit__(None, None, None)
    args.out.write_text(orjson.dumps(results, option=orjson.OPT_INDENT_2).decode() + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
