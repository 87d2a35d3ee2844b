"""Archive fixtures: one real PostgreSQL server per test run, and `archive_url` for both backends.

The server is started here in a temporary directory: `initdb` refuses to run as root, so it runs
as the `postgres` user; the server listens on a unix socket in that directory only
(listen_addresses=''), and is stopped at the end of the session, also after failures. Each test
gets a database of its own on it. Without PostgreSQL's server binaries the PostgreSQL cases skip
with that reason (CI installs them: .ci/run).
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

PG_BIN = Path(os.environ.get("NEWSTAG_PG_BIN", "/usr/lib/postgresql/15/bin"))
ARTICLES = Path(__file__).with_name("articles.jsonl")
_databases = itertools.count(1)


def _as_postgres(*args: str, **kwargs) -> subprocess.CompletedProcess:
    command = list(args)
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The socket directory of a PostgreSQL server started for this test run."""
    if not (PG_BIN / "initdb").exists():
        pytest.skip(f"PostgreSQL server binaries not found in {PG_BIN} (apt-get install postgresql)")
    pytest.importorskip("psycopg", reason="psycopg is the postgres extra: pip install 'newstag[postgres]'")
    root = Path(tempfile.mkdtemp(prefix="newstag-pg-"))
    data = root / "data"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    started = False
    try:
        _as_postgres(str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8")
        options = f"-k {root} -c listen_addresses='' -c fsync=off -c full_page_writes=off -c max_connections=40"
        _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(root / "server.log"), "-w", "start")
        started = True
        yield str(root)
    finally:
        if started:
            _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)


def new_postgres_database(socket_dir: str) -> str:
    import psycopg

    name = f"archive_{os.getpid()}_{next(_databases)}"
    with psycopg.connect(f"postgresql://postgres@/postgres?host={socket_dir}", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return f"postgresql://postgres@/{name}?host={socket_dir}"


@pytest.fixture(params=["sqlite", "postgresql"])
def archive_url(request, tmp_path) -> str:
    """A new, empty archive: a SQLite file, or a database on the test run's PostgreSQL server."""
    if request.param == "sqlite":
        return str(tmp_path / "archive.db")
    return new_postgres_database(request.getfixturevalue("postgres_server"))


@pytest.fixture(scope="session")
def article_lines() -> list[bytes]:
    """The ten articles of articles.jsonl (written for these tests), one JSON Lines line each."""
    return ARTICLES.read_bytes().splitlines(keepends=True)


@pytest.fixture(scope="session")
def tagged_records(tmp_path_factory, article_lines) -> list[dict]:
    """The records `newstag tag` writes for articles.jsonl, tagged once per test run."""
    from newstag.batch.runner import run_tag
    from newstag.options import TagOptions

    out = tmp_path_factory.mktemp("tagged") / "tagged.jsonl"
    run_tag([str(ARTICLES)], options=TagOptions(), output_format="jsonl", output=out)
    return [orjson.loads(line) for line in out.read_bytes().splitlines()]
