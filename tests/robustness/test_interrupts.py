"""Kills and interrupts: workers die with their parent however it ends, SIGTERM stops a run as
Ctrl-C does (complete records, a hint to --resume, exit 143 / 130), and --resume finishes a run
that was killed outright."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.robustness.conftest import jsonl_records, write_jsonl

N = 30_000
_started: list[int] = []  # every process a test here started, for the clean-up below


@pytest.fixture(autouse=True)
def _no_process_outlives_a_test():
    yield
    for pid in _started:
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)  # a failed test must not leave workers behind
    _started.clear()


def _children(pid: int) -> list[int]:
    """Live processes whose parent is `pid` (from /proc)."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(pid) and not fields.get("State", "").startswith("Z"):
            found.append(int(status.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text().split("State:\t", 1)[1][:1]
    except (OSError, IndexError):
        return False
    return state != "Z"  # a zombie has exited; only its exit status waits to be collected


def _start(tmp_path, *extra: str) -> tuple[subprocess.Popen, list[int], Path]:
    """`newstag tag --jobs 2` on a large input, returned once both workers are writing records."""
    source = write_jsonl(tmp_path / "in.jsonl", N)
    out = tmp_path / "out.jsonl"
    proc = subprocess.Popen([sys.executable, "-m", "newstag.cli", "tag", str(source), "-o", str(out), "--jobs", "2", *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    workers: list[int] = []
    while time.monotonic() < deadline and proc.poll() is None:
        workers = _children(proc.pid)
        written = sum(p.stat().st_size for p in tmp_path.glob(".out.jsonl.*.part"))
        if len(workers) >= 2 and written > 0:
            _started.extend([proc.pid, *workers])
            return proc, workers, out
        time.sleep(0.05)
    proc.kill()
    pytest.skip("the run finished (or failed) before it could be interrupted")


def _wait_gone(pids: list[int], seconds: float = 10) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.05)
    return [p for p in pids if _alive(p)]


@pytest.mark.slow
def test_sigkill_of_the_parent_takes_its_workers(tmp_path):
    proc, workers, out = _start(tmp_path)
    proc.kill()
    proc.wait(timeout=30)
    assert _wait_gone(workers) == []  # they were left blocked on a pipe under init, ~190 MB each
    # A caller waiting on stderr is not kept waiting by a worker holding it open.
    assert proc.stderr.read() == b""


@pytest.mark.slow
def test_sigterm_stops_like_ctrl_c_with_complete_records_and_no_process_left(tmp_path):
    proc, workers, out = _start(tmp_path)
    proc.terminate()
    proc.wait(timeout=60)
    stderr = proc.stderr.read().decode()
    assert proc.returncode == 143
    assert _wait_gone(workers) == []
    assert "--resume" in stderr and "Traceback" not in stderr
    records = jsonl_records(out.read_bytes())  # every line a complete record
    assert 0 < len(records) < N
    assert [r["id"] for r in records] == [f"n{i}" for i in range(len(records))]


@pytest.mark.slow
def test_ctrl_c_says_how_to_continue(tmp_path):
    proc, workers, out = _start(tmp_path)
    os.kill(proc.pid, signal.SIGINT)
    proc.wait(timeout=60)
    assert proc.returncode == 130
    assert "run the same command with --resume" in proc.stderr.read().decode()
    assert _wait_gone(workers) == []


@pytest.mark.slow
def test_resume_continues_a_run_killed_before_it_renamed_its_output(tmp_path):
    proc, workers, out = _start(tmp_path)
    proc.kill()
    proc.wait(timeout=30)
    assert not out.exists()  # the records so far are in the temporary file beside it
    cmd = [sys.executable, "-m", "newstag.cli", "tag", str(tmp_path / "in.jsonl"), "-o", str(out), "--jobs", "2"]
    result = subprocess.run([*cmd, "--resume"], capture_output=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert b"resumed: kept the" in result.stderr
    assert [r["id"] for r in jsonl_records(out.read_bytes())] == [f"n{i}" for i in range(N)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "out.jsonl"]
