"""Output paths: the output never destroys an input, and a failed run never leaves a broken file
where the user expects a result. Output errors are one line and exit 5; a closed stdout is a
quiet stop (exit 141), as for any Unix tool."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from tests.robustness.conftest import ARTICLE, jsonl_records, newstag, write_jsonl

from newstag.batch.output import Output
from newstag.errors import OutputError


def test_output_onto_its_own_input_is_refused_and_the_input_kept(tmp_path):
    source = write_jsonl(tmp_path / "same.jsonl", 3)
    before = source.read_bytes()
    result = newstag("tag", str(source), "-o", str(source), "--no-geo", "--no-topics")
    assert result.returncode == 2
    assert b"is the input" in result.stderr and b"Traceback" not in result.stderr
    assert source.read_bytes() == before


@pytest.mark.parametrize("link", ["symlink", "hardlink"])
def test_output_through_a_link_to_an_input_is_refused(tmp_path, article_file, link):
    other = tmp_path / "out.txt"
    (os.symlink if link == "symlink" else os.link)(article_file, other)
    result = newstag("tag", str(tmp_path / "b.txt"), str(article_file), "-o", str(other), "--no-geo", "--no-topics")
    assert result.returncode == 2, result.stderr
    assert article_file.read_text() == ARTICLE


def test_resume_onto_an_input_is_refused_too(tmp_path):
    source = write_jsonl(tmp_path / "in.jsonl", 3)
    before = source.read_bytes()
    assert newstag("tag", str(source), "-o", str(source), "--resume").returncode == 2
    assert source.read_bytes() == before


def test_a_failed_run_leaves_the_previous_output_untouched(tmp_path):
    # A run that fails after writing (here: a record encoder that breaks mid-run) must neither
    # empty nor half-write the file the user already had, nor leave its temporary file.
    out = tmp_path / "out.csv"
    out.write_text("the previous result\n")
    sink = Output(out, "csv")
    sink.write([b"row 1\n"])
    sink.close(complete=False)
    assert out.read_text() == "the previous result\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_output_appears_only_when_complete(tmp_path):
    out = tmp_path / "out.jsonl"
    sink = Output(out, "jsonl")
    sink.write([b'{"id": "1"}\n'])
    assert not out.exists()  # written beside, under a temporary name
    sink.close(complete=True)
    assert out.read_bytes() == b'{"id": "1"}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"]


def test_new_output_gets_the_usual_file_permissions(tmp_path, article_file):
    out = tmp_path / "out.jsonl"
    assert newstag("tag", str(article_file), "-o", str(out), "--no-geo", "--no-topics").returncode == 0
    umask = os.umask(0)
    os.umask(umask)
    assert (out.stat().st_mode & 0o777) == 0o666 & ~umask


def test_output_into_a_missing_directory_is_one_line_and_exit_5(tmp_path, article_file):
    out = tmp_path / "no" / "such" / "out.jsonl"
    result = newstag("tag", str(article_file), "-o", str(out))
    assert result.returncode == 5
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and str(out) in lines[0] and "mkdir -p" in lines[0]
    assert not out.parent.exists()


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "text", "json"])
def test_a_full_disk_is_one_line_and_exit_5(article_file, fmt):
    result = newstag("tag", str(article_file), "-o", "/dev/full", "--format", fmt, "--no-geo", "--no-topics")
    assert result.returncode == 5, result.stderr
    assert result.stderr.decode().strip().splitlines() == [
        "newstag: cannot write /dev/full: No space left on device; free some space or write elsewhere (-o PATH)"
    ]


def test_parquet_into_a_missing_directory_is_exit_5(tmp_path, article_file):
    pytest.importorskip("pyarrow")
    result = newstag("tag", str(article_file), "-o", str(tmp_path / "missing" / "o.parquet"))
    assert result.returncode == 5 and b"Traceback" not in result.stderr


def test_output_errors_raise_output_error_in_the_library(tmp_path):
    with pytest.raises(OutputError, match="does not exist"):
        Output(tmp_path / "missing" / "o.jsonl", "jsonl")


def test_a_closed_stdout_pipe_is_a_quiet_stop(tmp_path):
    source = write_jsonl(tmp_path / "big.jsonl", 3000)
    # `newstag tag big.jsonl | head -1`: head reads one line and closes the pipe.
    proc = subprocess.Popen([sys.executable, "-m", "newstag.cli", "tag", str(source), "--no-geo", "--no-topics"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = proc.stdout.readline()
    proc.stdout.close()
    stderr = proc.stderr.read()
    proc.wait(timeout=60)
    assert jsonl_records(first)[0]["id"] == "n0"
    assert proc.returncode == 141
    assert stderr == b""


def test_a_run_that_fails_leaves_no_empty_output_file(tmp_path, article_file):
    out = tmp_path / "out.jsonl"
    result = newstag("tag", str(article_file), "-o", str(out), "--topic-model", str(tmp_path / "no-model"))
    assert result.returncode == 4, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a1.txt"]


def test_an_interrupted_run_that_wrote_nothing_keeps_the_previous_output(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text('{"id": "old"}\n')
    sink = Output(out, "jsonl")
    sink.close(complete=False, keep_partial=True)
    assert out.read_text() == '{"id": "old"}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"]
