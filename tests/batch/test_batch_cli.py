"""`newstag tag` batch options end to end: --jobs, --progress, --resume, Parquet out, Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import orjson
import pytest
from typer.testing import CliRunner

from newstag.cli import app

runner = CliRunner()

# Written for these tests.
TEXTS = [
    "HAVANA, May 5 - Cuba and Vietnam signed an agreement on rice production during a visit by Vietnam's prime minister.",
    "Wheat prices rose in Chicago after dry weather in Kansas and Nebraska cut estimates of the winter crop.",
    "The football club sacked its manager on Monday after a run of six defeats left the team bottom of the table.",
]


def _input(path, n):
    path.write_bytes(b"".join(orjson.dumps({"id": f"n{i}", "text": TEXTS[i % len(TEXTS)]}) + b"\n" for i in range(n)))


def test_progress_on_stderr_keeps_stdout_clean(tmp_path):
    source = tmp_path / "in.jsonl"
    _input(source, 9)
    result = subprocess.run(
        [sys.executable, "-m", "newstag.cli", "tag", str(source), "--progress", "--jobs", "2"],
        capture_output=True,
        check=True,
    )
    assert [orjson.loads(line)["id"] for line in result.stdout.splitlines()] == [f"n{i}" for i in range(9)]
    assert b"doc" in result.stderr  # tqdm's unit


def test_parquet_out_by_suffix(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    source = tmp_path / "in.jsonl"
    _input(source, 5)
    out = tmp_path / "out.parquet"
    result = runner.invoke(app, ["tag", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = pq.read_table(out).to_pylist()
    assert [r["id"] for r in rows] == [f"n{i}" for i in range(5)]
    assert rows[0]["countries_about"] != "" or rows[0]["countries_mentioned"] != ""


def test_resume_through_the_cli(tmp_path):
    source = tmp_path / "in.jsonl"
    _input(source, 8)
    full, out = tmp_path / "full.jsonl", tmp_path / "out.jsonl"
    assert runner.invoke(app, ["tag", str(source), "-o", str(full)]).exit_code == 0
    data = full.read_bytes()
    out.write_bytes(data[: len(data) // 2])
    result = runner.invoke(app, ["tag", str(source), "-o", str(out), "--resume"])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == data
    assert runner.invoke(app, ["tag", str(source), "--resume"]).exit_code == 2  # no -o FILE: a usage error


@pytest.mark.slow
def test_ctrl_c_leaves_complete_records_that_resume_finishes(tmp_path):
    source = tmp_path / "in.jsonl"
    _input(source, 6000)
    out = tmp_path / "out.jsonl"
    cmd = [sys.executable, "-m", "newstag.cli", "tag", str(source), "-o", str(out), "--jobs", "2"]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 120
    # The run writes beside the output under a temporary name, renamed into place at the end.
    def written() -> int:
        return sum(p.stat().st_size for p in tmp_path.glob(".out.jsonl.*.part"))

    while written() == 0 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    if proc.poll() is not None:
        pytest.skip("the run finished before it could be interrupted")
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C does: the whole process group
    proc.wait(timeout=60)
    assert proc.returncode != 0
    partial = out.read_bytes()
    done = partial.count(b"\n")
    assert 0 < done < 6000
    result = subprocess.run([*cmd, "--resume"], capture_output=True)
    assert result.returncode == 0, result.stderr
    records = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert [r["id"] for r in records] == [f"n{i}" for i in range(6000)]
