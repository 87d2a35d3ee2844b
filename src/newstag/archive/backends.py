"""Connections to an archive: SQLite (the standard library) or PostgreSQL (psycopg 3).

    open_archive(url)   a Backend, its schema migrated to the latest version
    url                 a bare path or `sqlite:///relative.db` / `sqlite:////absolute.db` (SQLite),
                        or `postgresql://...` / `postgres://...`

The rest of the archive writes SQL once, with `?` placeholders, and the Backend runs it in its
dialect. What differs between the two is here and in schema.py only:
    full text  the backend adds and removes the rows of the full-text index in the article's
               transaction: SQLite's FTS5 table, PostgreSQL's `articles_fts` (to_tsvector, and
               the tag and date keys: at the transaction's end, read from the tag tables, or in
               a bulk load taken from the tag rows it copied)
    writes     one transaction per chunk, writers one at a time: SQLite `BEGIN IMMEDIATE` (its
               write lock, waited for up to `busy_timeout`), PostgreSQL a transaction-scoped
               advisory lock, so that two `archive add` runs decide added / replaced / unchanged
               against each other's committed chunks and never both insert one id
    bulk rows  SQLite `executemany`, PostgreSQL `COPY`
    SQLite     WAL journal: the page reads while `archive add` writes; `synchronous=NORMAL` keeps
               every committed transaction through a killed process (not through a power cut)
    bulk loads Backend.loading(), for store.Store.bulk: SQLite checkpoints its WAL from a thread
               of its own; PostgreSQL commits without waiting for the WAL flush
               (`synchronous_commit=off`) and has the text search vectors computed by two
               sessions beside the writing one, copied in by it inside the chunk's transaction
    PostgreSQL long texts and records are compressed with LZ4 where the server has it
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from newstag.archive.migrations import migrations
from newstag.archive.schema import (
    FTS_CONFIG, FULL_TEXT, PG_TAG_KEYS, deferrable_indexes, pg_date_keys_of, pg_document, pg_tag_key, pg_tag_keys_of, pg_words,
)
from newstag.errors import InputError

DEFAULT_DB = "newstag.db"
DB_ENV = "NEWSTAG_DB"
_MISSING_PSYCOPG = "a PostgreSQL archive needs psycopg, an optional extra: pip install 'newstag[postgres]'"
# Any constant would do: it names the archive's writer lock among the server's advisory locks.
_PG_WRITER_LOCK = 0x6E657773  # "news"
_FTS_COLUMNS = ", ".join(FULL_TEXT.columns)
# A writer waits this long for another writer's chunk (a chunk takes well under a second).
BUSY_TIMEOUT_S = 120
# SQLite pages of WAL between checkpoints during a bulk load (256 MB of 16 KB pages; SQLite's
# default is 1,000 pages). With 4,096 (64 MB) the commits of 30,000 articles took 0.7-1.4 s
# against 0.2-0.3 s (measured, load ~2.8): a checkpoint copies and syncs the WAL's pages.
BULK_CHECKPOINT_PAGES = 16384
_TAG_KEY_COLUMNS = {table: (prefix, column) for prefix, table, column in PG_TAG_KEYS}  # PostgreSQL: insert_rows
VECTOR_SESSIONS = 2  # PostgreSQL sessions computing a bulk load's text search vectors (one per core here)
CHECKPOINT_EVERY_S = 0.5  # a bulk load's checkpoints, by SqliteBackend.loading's thread
# FTS5's merge settings outside a bulk load into an empty archive (its defaults), and within it.
FTS_AUTOMERGE, FTS_CRISIS_MERGE, BULK_CRISIS_MERGE = 4, 16, 64
PAGE_SIZE = 16384  # bytes, of a new SQLite archive (see SqliteBackend)
CACHE_KIB = 262_144  # SQLite's page cache per connection, at most (256 MB)
# SQLite maps at most this much of the file (builds cap it: 2 GB, 0x7fff0000, in Python's here).
MMAP_BYTES = 8 * 1024**3


class ArchiveError(InputError):
    """The archive cannot be opened or used: a bad URL, an unreachable server, a newer schema."""


def default_url() -> str:
    return os.environ.get(DB_ENV) or DEFAULT_DB


def open_archive(url: str | None = None, *, create: bool = True) -> Backend:
    """The archive at `url` (default: $NEWSTAG_DB, else newstag.db here), migrated to the latest schema.
    `create=False`: a SQLite file that does not exist is an error instead of a new archive."""
    url = url or default_url()
    if url.startswith(("postgresql://", "postgres://")):
        backend: Backend = PostgresBackend(url)
    else:
        # As SQLAlchemy writes them: sqlite:///relative.db, sqlite:////absolute/path.db
        path = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else url
        if not create and not Path(path).exists():
            raise ArchiveError(f"no archive at {path}: store articles first with `newstag archive add --db {url} FILE`")
        backend = SqliteBackend(path)
    try:
        backend.migrate()
    except BaseException:
        backend.close()
        raise
    return backend


class Backend:
    dialect: str
    url: str

    # --- reading --------------------------------------------------------------------------------
    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        raise NotImplementedError

    def iterate(self, sql: str, params: Sequence[Any] = (), size: int = 1000) -> Iterator[tuple]:
        """Rows of a large result, fetched `size` at a time."""
        raise NotImplementedError

    # --- writing --------------------------------------------------------------------------------
    @contextmanager
    def writing(self) -> Iterator[None]:
        """One write transaction, writers one at a time (see the module docstring)."""
        raise NotImplementedError
        yield

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        raise NotImplementedError

    def execute_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        raise NotImplementedError

    def insert_rows(self, table: str, columns: Sequence[str], rows: list[Sequence[Any]], seq_base: int = 0) -> None:
        """Insert `rows` (values in the order of `columns`) into `table`; `seq_base` is added to
        each row's first value (store.ChunkRows: a position in the chunk, made a seq here)."""
        raise NotImplementedError

    def index_text(self, seqs: Sequence[int], documents: Iterable[tuple[int, str, str | None, str | None]] = ()) -> None:
        """Add the articles `seqs`, just inserted, to the full-text index. `documents`: the same
        articles' (seq, published, title, text), which a backend may index from instead of
        reading them back (PostgreSQL during a bulk load); left unread otherwise."""

    def unindex_text(self, seqs: Sequence[int]) -> None:
        """Take the articles `seqs`, about to be deleted, out of the full-text index."""

    @contextmanager
    def loading(self) -> Iterator[None]:
        """Session settings for a bulk load (store.Store.bulk), restored after it."""
        yield

    def close(self) -> None:
        raise NotImplementedError

    def optimize(self) -> None:
        """Refresh the planner's statistics after a large write (so that a tag filter on a
        million rows is planned as one): SQLite ANALYZE on a sample, PostgreSQL VACUUM ANALYZE."""
        raise NotImplementedError

    def __enter__(self) -> Backend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- schema ---------------------------------------------------------------------------------
    def schema_version(self) -> int:
        raise NotImplementedError

    def _set_schema_version(self, version: int) -> None:
        raise NotImplementedError

    def index_names(self) -> set[str]:
        """The names of the indexes the archive has."""
        raise NotImplementedError

    def create_missing_indexes(self) -> None:
        """Build the deferrable indexes (schema.deferrable_indexes) that are missing: a bulk load
        killed before its end dropped them (store.Store.bulk). When none is missing, a read of
        the catalogue only."""
        missing = [(name, sql) for name, sql in deferrable_indexes(self.dialect) if name not in self.index_names()]
        if not missing:
            return
        with self.writing():
            have = self.index_names()  # another process may have built them meanwhile
            for name, sql in missing:
                if name not in have:
                    self.execute(sql)

    def drop_deferrable_indexes(self) -> None:
        """Drop the deferrable indexes (inside writing(); store.Store.bulk)."""
        have = self.index_names()
        for name, _ in deferrable_indexes(self.dialect):
            if name in have:
                self.execute(f"DROP INDEX {name}")

    def migrate(self) -> None:
        """Apply the migrations above the database's version, in one transaction."""
        steps = migrations()
        if self.schema_version() == len(steps):
            return
        with self.writing():
            version = self.schema_version()  # another process may have migrated meanwhile
            if version > len(steps):
                raise ArchiveError(
                    f"{self.url} has archive schema version {version}, newer than this newstag knows "
                    f"({len(steps)}): upgrade newstag"
                )
            for step in steps[version:]:
                for statement in step.statements(self.dialect):
                    self.execute(statement)
                self._set_schema_version(step.VERSION)


class SqliteBackend(Backend):
    dialect = "sqlite"

    def __init__(self, path: str) -> None:
        self.url = path
        try:
            # Autocommit (isolation_level=None): transactions are begun explicitly in writing().
            # check_same_thread=False: the web service's worker threads share one reader connection.
            self.conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_S, check_same_thread=False)
            # A new file's pages are 16 KB (SQLite's default 4 KB; ignored for an existing file):
            # an article's title, text and record (~3.8 KB) mostly fit one page instead of
            # spilling into a chain of overflow pages, so a bulk chunk writes fewer pages. At
            # 30,000 articles, measured twice each: 10,086 and 10,550 records/s stored against
            # 7,439 and 8,646 with 4 KB pages (its commits 0.18 s against 0.6-0.9 s in all).
            self.conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            # Reads of pages not in this connection's cache go through a memory map of the file
            # (the first MMAP_BYTES of it) instead of a read() and a copy each, and the cache
            # holds 256 MB: a full-text query with a tag filter looks up thousands of matches
            # at random in the tag tables. At a million articles (16 KB pages), with a 64 MB
            # cache and no map: 33-79 ms for three such queries; mapped: 10-13 ms; 256 MB and
            # mapped: 11-12 ms (measured, best of 3). The cache grows only as pages are read.
            self.conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
            self.conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        except sqlite3.Error as exc:
            raise ArchiveError(f"cannot open the SQLite archive {path}: {exc}") from exc

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        return self.conn.execute(sql, params).fetchall()

    def iterate(self, sql: str, params: Sequence[Any] = (), size: int = 1000) -> Iterator[tuple]:
        cursor = self.conn.execute(sql, params)
        while rows := cursor.fetchmany(size):
            yield from rows

    @contextmanager
    def writing(self) -> Iterator[None]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.conn.execute(sql, params)

    def execute_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self.conn.executemany(sql, rows)

    def insert_rows(self, table: str, columns: Sequence[str], rows: list[Sequence[Any]], seq_base: int = 0) -> None:
        if rows:
            # The base is a literal of the statement (one statement a chunk), not a value per
            # row: the rows are inserted as they were built, no tuple made again.
            marks = ", ".join([f"? + {int(seq_base)}" if seq_base else "?"] + ["?"] * (len(columns) - 1))
            self.conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)

    def index_text(self, seqs: Sequence[int], documents: Iterable[tuple[int, str, str | None, str | None]] = ()) -> None:
        if not seqs:
            return
        where, params = seqs_condition("seq", seqs)
        self.conn.execute(
            f"INSERT INTO {FULL_TEXT.fts_table} (rowid, {_FTS_COLUMNS}) "
            f"SELECT seq, {_FTS_COLUMNS} FROM {FULL_TEXT.table} WHERE {where}", params
        )

    def unindex_text(self, seqs: Sequence[int]) -> None:
        # An external-content FTS5 index deletes a row given the values it indexed.
        if seqs:
            self.conn.execute(
                f"INSERT INTO {FULL_TEXT.fts_table} ({FULL_TEXT.fts_table}, rowid, {_FTS_COLUMNS}) "
                f"SELECT 'delete', seq, {_FTS_COLUMNS} FROM {FULL_TEXT.table} WHERE seq IN ({placeholders(seqs)})", seqs
            )

    @contextmanager
    def loading(self) -> Iterator[None]:
        # Checkpoints (the WAL copied into the database, then synced) are made by a thread of
        # their own on a connection of its own, beside the writer, instead of by the commit that
        # crosses the WAL's threshold (~10 us an article of the writer's time at 200,000,
        # measured); each commit as safe as before. The writer's own checkpoint stays, at 256 MB
        # of WAL, should the thread fall behind. Sorts (the indexes built at the load's end) may
        # use a second thread.
        before = self.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
        self.conn.execute(f"PRAGMA wal_autocheckpoint = {BULK_CHECKPOINT_PAGES}")
        self.conn.execute("PRAGMA threads = 2")
        stop = threading.Event()
        checkpointer = threading.Thread(target=self._checkpoint_until, args=(stop,), name="newstag-checkpoint", daemon=True)
        checkpointer.start()
        try:
            yield
        finally:
            stop.set()
            checkpointer.join()
            self.conn.execute("PRAGMA threads = 0")
            self.conn.execute(f"PRAGMA wal_autocheckpoint = {int(before)}")

    def _checkpoint_until(self, stop: threading.Event) -> None:
        """PASSIVE checkpoints every CHECKPOINT_EVERY_S until `stop`: they copy what is committed
        and never wait for (nor block) the writer or a reader."""
        try:
            conn = sqlite3.connect(self.url, isolation_level=None, timeout=BUSY_TIMEOUT_S)
        except sqlite3.Error:
            return  # the writer's own checkpoints remain
        try:
            while not stop.wait(CHECKPOINT_EVERY_S):
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        except sqlite3.Error:
            pass  # as above
        finally:
            conn.close()

    def drop_deferrable_indexes(self) -> None:
        # And FTS5's merges of its segments: a bulk chunk writes one segment (migration 2), and
        # automerge merged them 4 at a time, level by level, as they came: every entry written
        # again at each level (index_text 36 -> 25 us an article at 200,000 without, measured).
        # create_missing_indexes merges them all once (`optimize`) and turns automerge back on.
        # Crisis merges stay, of 64 segments (FTS5 allows 2,000 at most).
        super().drop_deferrable_indexes()
        fts = FULL_TEXT.fts_table
        self.conn.execute(f"INSERT INTO {fts} ({fts}, rank) VALUES ('automerge', 0)")
        self.conn.execute(f"INSERT INTO {fts} ({fts}, rank) VALUES ('crisismerge', {BULK_CRISIS_MERGE})")

    def create_missing_indexes(self) -> None:
        super().create_missing_indexes()
        fts = FULL_TEXT.fts_table
        if self._fts_automerge_off():
            with self.writing():
                if self._fts_automerge_off():  # another process may have merged meanwhile
                    self.conn.execute(f"INSERT INTO {fts} ({fts}) VALUES ('optimize')")
                    self.conn.execute(f"INSERT INTO {fts} ({fts}, rank) VALUES ('automerge', {FTS_AUTOMERGE})")
                    self.conn.execute(f"INSERT INTO {fts} ({fts}, rank) VALUES ('crisismerge', {FTS_CRISIS_MERGE})")

    def _fts_automerge_off(self) -> bool:
        rows = self.conn.execute(f"SELECT v FROM {FULL_TEXT.fts_table}_config WHERE k = 'automerge'").fetchall()
        return bool(rows) and int(rows[0][0]) == 0

    def close(self) -> None:
        self.conn.close()

    def optimize(self) -> None:
        # A sample of 1,000 rows per index: milliseconds at a million articles, and enough.
        self.conn.execute("PRAGMA analysis_limit=1000")
        self.conn.execute("ANALYZE")

    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def index_names(self) -> set[str]:
        return {name for (name,) in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}

    def _set_schema_version(self, version: int) -> None:
        self.conn.execute(f"PRAGMA user_version = {int(version)}")


class PostgresBackend(Backend):
    dialect = "postgresql"

    def __init__(self, url: str) -> None:
        try:
            import psycopg
        except ImportError as exc:
            raise ArchiveError(_MISSING_PSYCOPG) from exc
        self.url = url
        self._vector_sessions: list = []  # Backend.loading's (see there)
        self._vectors_pending: list = []  # futures of (seq, published, vector text) rows
        self._vector_pool = None
        self._text_pending: list[tuple[str, list[int]]] = []  # index_text's (seq condition, params)
        self._chunk_keys: dict[int, list[str]] = {}  # seq -> the tag keys of the rows insert_rows copied (loading)
        try:
            # Autocommit outside writing(): a read is never left holding a transaction open.
            # prepare_threshold=None: every query is planned for its own values. Prepared after 5
            # runs, the generic plan of a tag filter is the same for a region of 30 stories and one
            # of 300,000: the slowest full text + topic + region query of the benchmark took 10x longer.
            self.conn = psycopg.connect(url, autocommit=True, prepare_threshold=None)
        except psycopg.Error as exc:
            raise ArchiveError(f"cannot connect to the PostgreSQL archive {_without_password(url)}: {exc}") from exc
        try:
            # Texts and records over ~2 KB are compressed as they are stored: LZ4 takes half the
            # time of the default pglz (37 against 77 us per article copied, measured). Servers
            # built without LZ4 keep pglz.
            self.conn.execute("SET default_toast_compression = 'lz4'")
        except psycopg.Error:
            pass

    @staticmethod
    def _sql(sql: str) -> str:
        # The archive's SQL uses `?` placeholders and no literal `?` or `%`.
        return sql.replace("?", "%s")

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        with self.conn.cursor() as cursor:
            cursor.execute(self._sql(sql), params)
            return cursor.fetchall()

    def iterate(self, sql: str, params: Sequence[Any] = (), size: int = 1000) -> Iterator[tuple]:
        # A server-side cursor: a million records are never held in memory at once.
        with self.conn.transaction(), self.conn.cursor(name="newstag_iterate") as cursor:
            cursor.itersize = size
            cursor.execute(self._sql(sql), params)
            yield from cursor

    @contextmanager
    def writing(self) -> Iterator[None]:
        try:
            with self.conn.transaction():
                self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (_PG_WRITER_LOCK,))
                yield
                # articles_fts rows are written last: their tag keys are read from the tag rows
                # the chunk has inserted since index_text (store.Store.write writes them after).
                self._insert_pending_text()
                self._copy_vectors()  # those index_text had computed beside: in this transaction
        finally:
            self._text_pending = []
            self._chunk_keys = {}
            self._drop_vectors()

    def _index_text_beside(self, documents: list[tuple[int, str, str | None, str | None]]) -> None:
        """The vectors of `documents` computed by the vector sessions, each a share, while this
        session goes on with the chunk's other rows; writing() copies them in before it commits."""
        share = -(-len(documents) // len(self._vector_sessions))
        for i, session in enumerate(self._vector_sessions):
            part = documents[i * share : (i + 1) * share]
            if part:
                self._vectors_pending.append(self._vector_pool.submit(_vectors, session, part))

    def _copy_vectors(self) -> None:
        if not self._vectors_pending:
            return
        # Each row with its keys (schema.pg_tag_keys_of), from the tag rows this chunk copied in
        # (insert_rows kept them). Read back from the tag tables instead (a subquery each, in an
        # INSERT ... SELECT from a temporary table the vectors were copied to), storing 100,000
        # took 38.0 / 46.0 s against 30.7 / 33.1 s without keys; this way 40.6 / 35.0 s against
        # 34.6 / 31.5 s (runs alternating with the code before the keys, load 1.4-2.0, measured).
        keys = self._chunk_keys
        with self.conn.cursor() as cursor, cursor.copy(f"COPY {FULL_TEXT.fts_table} (seq, published, fts, tags) FROM STDIN") as copy:
            while self._vectors_pending:
                for seq, published, vector in self._vectors_pending.pop(0).result():
                    copy.write_row((seq, published, vector, [*keys.get(seq, ()), *pg_date_keys_of(published)]))

    def _insert_pending_text(self) -> None:
        document = pg_document(FULL_TEXT, "b.")
        for where, params in self._text_pending:
            self.execute(
                f"INSERT INTO {FULL_TEXT.fts_table} (seq, published, fts, tags) SELECT b.seq, a.published, "
                f"to_tsvector('{FTS_CONFIG}', {document}), {pg_tag_keys_of('b.seq', 'a.published')} "
                f"FROM {FULL_TEXT.table} b JOIN articles a ON a.seq = b.seq WHERE {where}", params
            )
        self._text_pending = []

    def _drop_vectors(self) -> None:
        while self._vectors_pending:  # a chunk that failed: its vectors are waited for, not stored
            future = self._vectors_pending.pop(0)
            if not future.cancel():
                future.exception()

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.conn.execute(self._sql(sql), params)

    def execute_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        with self.conn.cursor() as cursor:
            cursor.executemany(self._sql(sql), list(rows))

    def insert_rows(self, table: str, columns: Sequence[str], rows: list[Sequence[Any]], seq_base: int = 0) -> None:
        if not rows:
            return
        if self._vector_sessions and table in _TAG_KEY_COLUMNS:  # a bulk load: _copy_vectors writes these keys
            prefix, column = _TAG_KEY_COLUMNS[table]
            at, relevance_at = columns.index(column), columns.index("relevance") if table == "article_regions" else None
            keys = self._chunk_keys
            for row in rows:
                article_keys = keys.setdefault(row[0] + seq_base, [])
                article_keys.append(pg_tag_key(prefix, row[at]))
                if relevance_at is not None:
                    article_keys.append(pg_tag_key(prefix, row[at], row[relevance_at]))
        with self.conn.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            if seq_base:
                for row in rows:
                    copy.write_row((row[0] + seq_base, *row[1:]))
            else:
                for row in rows:
                    copy.write_row(row)

    def index_text(self, seqs: Sequence[int], documents: Iterable[tuple[int, str, str | None, str | None]] = ()) -> None:
        if not seqs:
            return
        if self._vector_sessions:
            self._index_text_beside(list(documents))
            return
        self._text_pending.append(seqs_condition("b.seq", seqs))  # inserted at the end of writing()

    def unindex_text(self, seqs: Sequence[int]) -> None:
        if seqs:
            self.execute(f"DELETE FROM {FULL_TEXT.fts_table} WHERE {FULL_TEXT.key} IN ({placeholders(seqs)})", list(seqs))

    @contextmanager
    def loading(self) -> Iterator[None]:
        # Commits do not wait for the server's WAL flush: a crash of the *server* may lose the
        # last chunks it acknowledged (never half a chunk; adding again stores them), a killed
        # client loses nothing committed.
        before = self.query("SHOW synchronous_commit")[0][0]
        self.execute("SET synchronous_commit = off")
        # The text search vectors (to_tsvector: ~200 us an article, most of a chunk's time in the
        # server) computed by VECTOR_SESSIONS sessions of their own, each a share of the chunk, in
        # parallel with this session's COPY of the other rows; this session copies the vectors
        # in (their text form read back: the same vector) inside the chunk's transaction.
        import psycopg
        from concurrent.futures import ThreadPoolExecutor

        self._vector_sessions = [psycopg.connect(self.url, autocommit=True, prepare_threshold=None) for _ in range(VECTOR_SESSIONS)]
        self._vector_pool = ThreadPoolExecutor(max_workers=max(1, VECTOR_SESSIONS), thread_name_prefix="newstag-vectors")
        try:
            yield
        finally:
            self._vector_pool.shutdown(wait=True)
            for session in self._vector_sessions:
                session.close()
            self._vector_sessions = []
            self.execute(f"SET synchronous_commit = {before}")

    def close(self) -> None:
        self.conn.close()

    def optimize(self) -> None:
        # VACUUM too: it sets the visibility map, without which a count over a tag's index
        # visits every matching row in the table (index-only scans need it).
        self.conn.execute("VACUUM (ANALYZE)")

    def index_names(self) -> set[str]:
        return {name for (name,) in self.query("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")}

    def schema_version(self) -> int:
        if self.query("SELECT to_regclass('archive_schema')")[0][0] is None:
            return 0
        rows = self.query("SELECT version FROM archive_schema")
        return rows[0][0] if rows else 0

    def _set_schema_version(self, version: int) -> None:
        self.execute("CREATE TABLE IF NOT EXISTS archive_schema (version INTEGER NOT NULL)")
        self.execute("DELETE FROM archive_schema")
        self.execute("INSERT INTO archive_schema (version) VALUES (?)", (version,))


def _vectors(session: Any, documents: list[tuple[int, str, str | None, str | None]]) -> list[tuple[int, str, str]]:
    """(seq, published, to_tsvector of title and text as text) of `documents`, computed by
    `session` (PostgresBackend.loading's): the document joined and split as schema.pg_document does."""
    texts = [f"{title or ''} {text or ''}" for _, _, title, text in documents]
    with session.cursor() as cursor:
        cursor.execute(
            f"SELECT to_tsvector('{FTS_CONFIG}', {pg_words('d')})::text FROM unnest(%s::text[]) WITH ORDINALITY AS u(d, i) ORDER BY i",
            (texts,),
        )
        vectors = cursor.fetchall()
    return [(seq, published, vector) for (seq, published, _, _), (vector,) in zip(documents, vectors, strict=True)]


def _without_password(url: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


def placeholders(values: Sequence[Any]) -> str:
    """`?, ?, ?` for an IN list of `values`."""
    return ", ".join("?" * len(values))


def seqs_condition(column: str, seqs: Sequence[int]) -> tuple[str, list[int]]:
    """`column` among `seqs`, with its parameters: a consecutive range (a chunk's new seqs) as
    bounds, which the index scans as a range with no IN list, else an IN list."""
    if isinstance(seqs, range) and seqs.step == 1:
        return f"{column} >= ? AND {column} < ?", [seqs.start, seqs.stop]
    return f"{column} IN ({placeholders(seqs)})", list(seqs)
