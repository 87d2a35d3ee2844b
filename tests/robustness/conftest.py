"""Helpers of the hostile-input tests: run `newstag` as a user does, and write inputs.

Every text here was written for these tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson
import pytest

ARTICLE = (
    "Chile and Argentina revive Andes gas pipeline\n\n"
    "SANTIAGO - Chile and Argentina agreed on Monday to revive a gas pipeline across the Andes, "
    "the energy ministers of both countries said after talks in Santiago.\n"
)
BRIEF = "Wheat prices rose in Chicago after dry weather in Kansas cut estimates of the winter crop."


def newstag(*args: str, stdin: bytes | None = None, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """`newstag ARGS` in a real process, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "newstag.cli", *args], input=stdin, capture_output=True,
                          cwd=cwd, timeout=timeout)


def jsonl_records(data: bytes) -> list[dict]:
    return [orjson.loads(line) for line in data.splitlines()]


def write_jsonl(path: Path, n: int, text: str = BRIEF) -> Path:
    path.write_bytes(b"".join(orjson.dumps({"id": f"n{i}", "text": f"{text} ({i})"}) + b"\n" for i in range(n)))
    return path


@pytest.fixture
def article_file(tmp_path) -> Path:
    path = tmp_path / "a1.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path
