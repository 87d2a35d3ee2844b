"""Connections to an archive: SQLite (the standard library) or PostgreSQL (psycopg 3).

    open_archive(url)   a Backend, its schema migrated to the latest version
    url                 a bare path or `sqlite:///relative.db` / `sqlite:////absolute.db` (SQLite),
                        or `postgresql://...` / `postgres://...`

The rest of the archive writes SQL once, with `?` placeholders, and the Backend runs it in its
dialect. What differs between the two is here and in schema.py only:
    writes     one transaction per chunk, writers one at a time: SQLite `BEGIN IMMEDIATE` (its
               write lock, waited for up to `busy_timeout`), PostgreSQL a transaction-scoped
               advisory lock, so that two `archive add` runs decide added / replaced / unchanged
               against each other's committed chunks and never both insert one id
    bulk rows  SQLite `executemany`, PostgreSQL `COPY`
    SQLite     WAL journal: the page reads while `archive add` writes; `synchronous=NORMAL` keeps
               every committed transaction through a killed process (not through a power cut)
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from newstag.archive.migrations import migrations
from newstag.errors import InputError

DEFAULT_DB = "newstag.db"
DB_ENV = "NEWSTAG_DB"
_MISSING_PSYCOPG = "a PostgreSQL archive needs psycopg, an optional extra: pip install 'newstag[postgres]'"
# Any constant would do: it names the archive's writer lock among the server's advisory locks.
_PG_WRITER_LOCK = 0x6E657773  # "news"
# A writer waits this long for another writer's chunk (a chunk takes well under a second).
BUSY_TIMEOUT_S = 120


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

    def insert_rows(self, table: str, columns: Sequence[str], rows: list[Sequence[Any]]) -> None:
        raise NotImplementedError

    def close(self) -> None:
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
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA cache_size=-65536")  # 64 MB of page cache
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

    def insert_rows(self, table: str, columns: Sequence[str], rows: list[Sequence[Any]]) -> None:
        if rows:
            marks = ", ".join("?" * len(columns))
            self.conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)

    def close(self) -> None:
        self.conn.close()

    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

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
        try:
            # Autocommit outside writing(): a read is never left holding a transaction open.
            self.conn = psycopg.connect(url, autocommit=True)
        except psycopg.Error as exc:
            raise ArchiveError(f"cannot connect to the PostgreSQL archive {_without_password(url)}: {exc}") from exc

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
        with self.conn.transaction():
            self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (_PG_WRITER_LOCK,))
            yield

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.conn.execute(self._sql(sql), params)

    def execute_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        with self.conn.cursor() as cursor:
            cursor.executemany(self._sql(sql), list(rows))

    def insert_rows(self, table: str, columns: Sequence[str], rows: list[Sequence[Any]]) -> None:
        if not rows:
            return
        with self.conn.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def close(self) -> None:
        self.conn.close()

    def schema_version(self) -> int:
        if self.query("SELECT to_regclass('archive_schema')")[0][0] is None:
            return 0
        rows = self.query("SELECT version FROM archive_schema")
        return rows[0][0] if rows else 0

    def _set_schema_version(self, version: int) -> None:
        self.execute("CREATE TABLE IF NOT EXISTS archive_schema (version INTEGER NOT NULL)")
        self.execute("DELETE FROM archive_schema")
        self.execute("INSERT INTO archive_schema (version) VALUES (?)", (version,))


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
