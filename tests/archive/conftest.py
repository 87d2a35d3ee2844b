"""Archive fixtures: one real PostgreSQL server per test run, and `archive_url` for both backends.

The server is started in a temporary directory (newstag/archive/pgserver.py: initdb and the server
run as the `postgres` user, a unix socket only) and stopped at the end of the session, also after
failures. Each test gets a database of its own on it. Without PostgreSQL's server binaries the PostgreSQL cases skip
with that reason (CI installs them: .ci/run).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from newstag.archive.pgserver import TemporaryServer, server_binaries_missing, temporary_server

ARTICLES = Path(__file__).with_name("articles.jsonl")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[TemporaryServer]:
    """A PostgreSQL server started for this test run (newstag/archive/pgserver.py)."""
    missing = server_binaries_missing()
    if missing:
        pytest.skip(missing)
    pytest.importorskip("psycopg", reason="psycopg is the postgres extra: pip install 'newstag[postgres]'")
    with temporary_server() as server:
        yield server


@pytest.fixture(params=["sqlite", "postgresql"])
def archive_url(request, tmp_path) -> str:
    """A new, empty archive: a SQLite file, or a database on the test run's PostgreSQL server."""
    if request.param == "sqlite":
        return str(tmp_path / "archive.db")
    return request.getfixturevalue("postgres_server").new_database()


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
