"""A throwaway PostgreSQL server in a temporary directory, for the tests and the benchmark.

    with temporary_server() as server:      # initdb + pg_ctl start; stopped and removed after
        url = server.new_database()         # postgresql://postgres@/archive_1?host=/tmp/newstag-pg-...

`initdb` refuses to run as root, so as root the server's commands run as the `postgres` user
(runuser). The server listens on a unix socket in its directory only (listen_addresses=''), with
fsync off: it holds nothing worth keeping, and a killed *client* (the SIGKILL test) is what is
tested, not a crashed server.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

PG_BIN = Path(os.environ.get("NEWSTAG_PG_BIN", "/usr/lib/postgresql/15/bin"))


def server_binaries_missing() -> str | None:
    """Why no server can be started here, or None."""
    if not (PG_BIN / "initdb").exists():
        return f"PostgreSQL server binaries not found in {PG_BIN} (apt-get install postgresql, or set NEWSTAG_PG_BIN)"
    return None


def _as_postgres(*command: str) -> None:
    if os.geteuid() == 0:
        command = ("runuser", "-u", "postgres", "--", *command)
    subprocess.run(command, check=True, capture_output=True, text=True)


@dataclass
class TemporaryServer:
    socket_dir: Path
    _numbers: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def url(self, database: str) -> str:
        return f"postgresql://postgres@/{database}?host={self.socket_dir}"

    def new_database(self, name: str | None = None) -> str:
        """The URL of a new, empty database on this server (named `name`, else a fresh name)."""
        import psycopg

        name = name or f"archive_{os.getpid()}_{next(self._numbers)}"
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name}")
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)


@contextmanager
def temporary_server(settings: dict[str, str] | None = None, keep: Path | None = None) -> Iterator[TemporaryServer]:
    """A PostgreSQL server for as long as the block runs; stopped (and its files removed) after,
    also when the block fails. `keep`: the server's directory instead of a temporary one, kept
    after the block and started again, with its databases, by the next block given it (the
    benchmark's --keep: a database of a million articles is built once and queried many times)."""
    missing = server_binaries_missing()
    if missing:
        raise RuntimeError(missing)
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
    root = keep or Path(tempfile.mkdtemp(prefix="newstag-pg-"))
    data = root / "data"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    options = {"listen_addresses": "''", "fsync": "off", "full_page_writes": "off", "max_connections": "40", **(settings or {})}
    started = False
    try:
        if not (data / "PG_VERSION").exists():
            _as_postgres(str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8")
        flags = f"-k {root} " + " ".join(f"-c {k}={v}" for k, v in options.items())
        _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(data), "-o", flags, "-l", str(root / "server.log"), "-w", "start")
        started = True
        yield TemporaryServer(root)
    finally:
        if started:
            # A kept server stops cleanly (its databases outlive it); a temporary one is thrown away.
            mode = "fast" if keep is not None else "immediate"
            _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", mode, "-w", "stop")
        if keep is None:
            shutil.rmtree(root, ignore_errors=True)
