"""The least an article costs to store on this machine, for the archive's store-rate targets.

    python bench/bench_archive_floor.py --shared ../shared [--count 100000]

1. SQLite: the one writer's time per article with the rows built beforehand and nothing else to
   do (Store.bulk and Store.write as `archive add --tagged` calls them, the mix of
   bench_archive.py copied to --count), split by table (Backend.insert_rows, index_text timed),
   and the end of the load (indexes built, FTS5 merged). SQLite has one writer per database, so
   this time bounds the store rate: 1 / (writes + end).
2. PostgreSQL: the server's CPU time per article (its process's user + system time, from
   /proc) of the text search vectors alone (schema.pg_words, then to_tsvector), of COPYing title, text and record alone, and of building the GIN
   index over the vectors alone, one session at a time on a server this script starts. Their sum
   bounds the store rate on N cores at N / sum, before every other cost.
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import tempfile
import time
from pathlib import Path

import orjson

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
import bench_archive  # noqa: E402


def sqlite_writer(tagged, count: int, where: Path) -> dict:
    from newstag.archive.backends import open_archive
    from newstag.archive.store import BULK_CHUNK, Store, prepare_chunk

    chunks = [prepare_chunk(bench_archive.copies(tagged, count, i, min(i + BULK_CHUNK, count))) for i in range(0, count, BULK_CHUNK)]
    spent: collections.Counter = collections.Counter()
    with open_archive(str(where / "floor.db")) as backend:
        insert_rows, index_text = backend.insert_rows, backend.index_text

        def timed_insert(table, *args, **kwargs):
            t0 = time.perf_counter()
            insert_rows(table, *args, **kwargs)
            spent[table] += time.perf_counter() - t0

        def timed_index(*args, **kwargs):
            t0 = time.perf_counter()
            index_text(*args, **kwargs)
            spent["full text (FTS5)"] += time.perf_counter() - t0

        backend.insert_rows, backend.index_text = timed_insert, timed_index
        store = Store(backend)
        t0 = time.perf_counter()
        with store.bulk():
            for chunk in chunks:
                store.write(chunk)
            t1 = time.perf_counter()
        t2 = time.perf_counter()
    us = {name: round(seconds / count * 1e6, 1) for name, seconds in spent.most_common()}
    writes, end = (t1 - t0) / count * 1e6, (t2 - t1) / count * 1e6
    us["the rest of the writes (id lookup, commit, ...)"] = round(writes - sum(spent.values()) / count * 1e6, 1)
    return {"articles": count, "writes_us": round(writes, 1), "end_us": round(end, 1), "by_part_us": us,
            "at_most_per_s": round(1e6 / (writes + end))}


def postgresql_server_cpu(tagged, repeat: int) -> dict:
    import psycopg

    from newstag.archive.backends import open_archive
    from newstag.archive.pgserver import temporary_server
    from newstag.archive.schema import FTS_CONFIG, pg_words

    docs = [f"{doc.title or ''} {doc.text or ''}" for doc, _ in tagged] * repeat
    records = [orjson.dumps(record).decode() for _, record in tagged] * repeat
    out: dict = {"articles": len(docs), "mean_chars": round(sum(map(len, docs)) / len(docs))}
    with temporary_server({"shared_buffers": "512MB", "maintenance_work_mem": "512MB"}) as server:
        url = server.new_database()
        open_archive(url).close()  # the archive's schema: its text search configuration
        with psycopg.connect(url, autocommit=True) as conn:
            pid = conn.execute("SELECT pg_backend_pid()").fetchone()[0]

            def cpu() -> float:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

            def per_article(run) -> float:
                before = cpu()
                run()
                return round((cpu() - before) / len(docs) * 1e6, 1)

            # As the archive computes them: punctuation split (schema.pg_words), then to_tsvector.
            out["to_tsvector_us"] = min(per_article(lambda: conn.execute(
                f"SELECT sum(length(to_tsvector('{FTS_CONFIG}', {pg_words('d')}))) FROM unnest(%s::text[]) d", (docs,)).fetchone())
                for _ in range(2))
            conn.execute("SET default_toast_compression = 'lz4'")
            conn.execute("CREATE TABLE bodies (seq BIGINT PRIMARY KEY, text TEXT, record TEXT)")

            def copy_bodies() -> None:
                with conn.cursor() as cursor, cursor.copy("COPY bodies FROM STDIN") as copy:
                    for i, (doc, record) in enumerate(zip(docs, records)):
                        copy.write_row((i, doc, record))

            out["copy_text_and_record_us"] = per_article(copy_bodies)
            conn.execute(f"CREATE TABLE vectors AS SELECT seq, to_tsvector('{FTS_CONFIG}', {pg_words('text')}) AS fts FROM bodies")
            out["gin_build_us"] = per_article(lambda: conn.execute("CREATE INDEX vectors_gin ON vectors USING GIN (fts)"))
    total = out["to_tsvector_us"] + out["copy_text_and_record_us"] + out["gin_build_us"]
    out["sum_us"] = round(total, 1)
    out["at_most_per_s_on_this_machine"] = round(os.cpu_count() * 1e6 / total)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--count", type=int, default=100_000, help="articles stored into SQLite")
    parser.add_argument("--repeat", type=int, default=10, help="copies of the mix sent to PostgreSQL")
    args = parser.parse_args()
    tagged = bench_archive.tag_mix(args.shared)
    print(f"{bench_archive.load()}; {os.cpu_count()} cores", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        sqlite = sqlite_writer(tagged, args.count, Path(tmp))
    print("SQLite, the one writer, us per article:", orjson.dumps(sqlite, option=orjson.OPT_INDENT_2).decode(), flush=True)
    postgresql = postgresql_server_cpu(tagged, args.repeat)
    print("PostgreSQL, server CPU us per article:", orjson.dumps(postgresql, option=orjson.OPT_INDENT_2).decode())
    print(bench_archive.load())


if __name__ == "__main__":
    main()
