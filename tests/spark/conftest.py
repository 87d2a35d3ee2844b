"""One local[2] SparkSession for the whole test run (start-up costs 20-35 s here), shared by every
Spark test; stopped at the end. Artifact loads are logged to one directory for the run
(NEWSTAG_SPARK_LOAD_LOG): a Python worker outlives a job, so its one load may belong to an
earlier test."""

from __future__ import annotations

import os
import sys

import pytest


@pytest.fixture(scope="session")
def load_log(tmp_path_factory):
    return tmp_path_factory.mktemp("spark-loads")


@pytest.fixture(scope="session")
def spark(load_log):
    pytest.importorskip("pyspark", reason="the Spark tests need the spark extra: pip install -e '.[spark]'")
    from newstag.spark.batch import LOAD_LOG_ENV
    from newstag.spark.job import spark_session

    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ[LOAD_LOG_ENV] = str(load_log)
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("newstag-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.python.worker.reuse", "true")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    # The job's own settings on top (what `newstag spark tag` gets from spark_session).
    assert spark_session("local[2]") is session
    yield session
    session.stop()
    os.environ.pop(LOAD_LOG_ENV, None)


def _as_record(row: dict, extra_columns: tuple[str, ...] = ()) -> dict:
    """A typed output row (Arrow `to_pylist` or Spark `asDict(recursive=True)`) as the dict
    `newstag tag` writes: maps back to objects, `input_fields` merged back, extra columns left out."""
    import json

    from newstag.emit.schema import RECORD_FIELDS

    record = {name: row[name] for name in RECORD_FIELDS}
    for name in ("versions", "footer"):
        record[name] = dict(record[name])
    for key, value in json.loads(row.get("input_fields") or "{}").items():
        record.setdefault(key, value)
    assert set(row) - set(RECORD_FIELDS) <= {"input_fields", *extra_columns}
    return record


@pytest.fixture(scope="session")
def as_record():
    return _as_record


@pytest.fixture(scope="session")
def cli_records():
    """The records `newstag tag` writes for a JSON Lines file (in this process, as the CLI runs)."""
    import orjson
    from typer.testing import CliRunner

    from newstag.cli import app

    def run(path, tmp_path, *args):
        out = tmp_path / "cli.jsonl"
        result = CliRunner().invoke(app, ["tag", str(path), "-o", str(out), *args])
        assert result.exit_code == 0, result.output
        return [orjson.loads(line) for line in out.read_bytes().splitlines()]

    return run
