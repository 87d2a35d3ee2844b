"""The command line, end to end through Typer's runner and a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys

import orjson
from typer.testing import CliRunner

from newstag import __version__
from newstag.cli import app

runner = CliRunner()


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


def test_seed_as_json(seed_text, tmp_path):
    path = tmp_path / "seed.txt"
    path.write_text(seed_text)
    result = runner.invoke(app, ["tag", "--format", "json", str(path)])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["title"] == "Cuban Foreign Minister extends Medvedev an invitation from Castro"
    assert record["dateline"]["text"] == "Moscow"
    assert {"dpa", "Interfax"} <= set(record["agencies"])
    body = seed_text[record["body"]["start"] : record["body"]["end"]]
    assert "General:" not in body and body.endswith("(dpa)")


def test_text_format_fills_the_footer(example_text, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(example_text)
    result = runner.invoke(app, ["tag", str(path)])
    assert result.exit_code == 0
    out = result.stdout
    # The article comes back as it was, up to the footer, which is filled.
    footer_at = example_text.index("General:")
    assert out.startswith(example_text[:footer_at].rstrip())
    general = next(line for line in out.splitlines() if line.startswith("General:"))
    regions = next(line for line in out.splitlines() if line.startswith("Regions:"))
    assert general != "General:" and regions != "Regions:"


def test_jsonl_stdin_keeps_ids_and_order():
    lines = [
        {"id": "z9", "text": "PARIS - French farmers protested on Monday."},
        {"text": "TOKYO, May 3 - Japan's exports rose."},
        {"id": "a1", "title": "Storm", "text": "A storm hit the coast of Florida."},
    ]
    stdin = "\n".join(json.dumps(x) for x in lines) + "\nnot json\n"
    result = runner.invoke(app, ["tag"], input=stdin)
    assert result.exit_code == 0
    records = [orjson.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in records] == ["z9", "2", "a1", "4"]
    assert records[3]["error"] and records[3]["error_stage"] == "read"
    assert records[0]["error"] is None


def test_csv_output_has_a_header_and_one_row_per_article():
    stdin = '{"id": "1", "text": "BERLIN - Germany and France met."}\n{"id": "2", "text": "Rain."}\n'
    result = runner.invoke(app, ["tag", "--format", "csv"], input=stdin)
    assert result.exit_code == 0
    rows = result.stdout.strip().splitlines()
    assert rows[0].startswith("id,title,dateline") and len(rows) == 3


def test_strict_exit_code_and_missing_file(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "1"}\n')
    assert runner.invoke(app, ["tag", str(bad)]).exit_code == 0
    assert runner.invoke(app, ["tag", "--strict", str(bad)]).exit_code == 1
    assert runner.invoke(app, ["tag", str(tmp_path / "missing.txt")]).exit_code == 3
    assert runner.invoke(app, ["tag", "--format", "xml", str(bad)]).exit_code == 2


def test_console_script_runs_in_a_subprocess(example_text):
    proc = subprocess.run(
        [sys.executable, "-m", "newstag.cli", "tag", "--format", "jsonl", "-"],
        input=example_text.encode(),
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    record = orjson.loads(proc.stdout)
    assert record["title"].startswith("Chile and Argentina agree")
    assert record["dateline"]["text"] == "Santiago" and record["dateline"]["debris"] == "Argentina Flag"
    assert record["agencies"] == ["Telam", "AFP"]


def _archive(path, n=60):
    """A small newsroom archive we write: three desks with their own vocabulary."""
    import random

    rng = random.Random(7)
    desks = {
        "harbour": ["ship", "port", "cargo", "dock", "container", "ferry", "crane", "berth", "tug", "freight"],
        "farming": ["harvest", "wheat", "cattle", "tractor", "farmers", "crop", "barley", "dairy", "soil", "irrigation"],
        "schools": ["pupils", "teachers", "classroom", "exam", "headteacher", "curriculum", "school", "lessons", "term", "homework"],
    }
    filler = ["the", "a", "on", "said", "new", "local", "week", "council", "plans", "after"]
    lines = []
    for i in range(n):
        desk = list(desks)[i % 3]
        words = rng.choices(desks[desk], k=12) + rng.choices(filler, k=8)
        rng.shuffle(words)
        lines.append(json.dumps({"id": str(i), "title": " ".join(words[:5]), "text": " ".join(words) + ".", "desk": [desk]}))
    path.write_text("\n".join(lines) + "\n")


def test_train_your_own_model_then_tag_with_it(tmp_path):
    data = tmp_path / "archive.jsonl"
    _archive(data)
    model_dir = tmp_path / "model"
    result = runner.invoke(app, ["train", "--data", str(data), "--labels-field", "desk", "-o", str(model_dir)])
    assert result.exit_code == 0, result.output
    assert (model_dir / "model.npz").is_file() and (model_dir / "manifest.json").is_file()
    article = tmp_path / "story.jsonl"
    article.write_text(json.dumps({"id": "s1", "text": "The ferry and a container ship left the port as cranes loaded cargo at the dock."}) + "\n")
    result = runner.invoke(app, ["tag", "--no-geo", "--topic-model", str(model_dir), str(article)])
    assert result.exit_code == 0, result.output
    record = orjson.loads(result.stdout)
    assert record["general"][0]["label"] == "harbour"


def test_train_refuses_data_without_labels(tmp_path):
    data = tmp_path / "nolabels.jsonl"
    data.write_text('{"text": "a story"}\n{"text": "another"}\n')
    result = runner.invoke(app, ["train", "--data", str(data), "--labels-field", "desk", "-o", str(tmp_path / "m")])
    assert result.exit_code == 4
