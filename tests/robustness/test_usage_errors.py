"""Usage errors exit 2 (the documented code), with one line saying what to do."""

from __future__ import annotations

import pytest

from tests.robustness.conftest import newstag


@pytest.mark.parametrize("args, says", [
    (["--input-format", "xml"], "unknown --input-format 'xml'"),
    (["--resume"], "--resume continues a JSON Lines output file"),
    (["--format", "parquet"], "Parquet output needs a file"),
    (["--resume", "-o", "out.csv"], "--resume continues a JSON Lines output file"),
])
def test_usage_errors_exit_2_with_one_line(tmp_path, article_file, args, says):
    result = newstag("tag", str(article_file), *args, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and says in lines[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a1.txt"]
