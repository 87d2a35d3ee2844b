"""On a real local[2] Spark: `tag_dataframe` and `newstag spark tag` give `newstag tag`'s records,
field by field, for 500 articles (../shared dev data, our own texts and bad rows); artifacts load
once per Python worker, however many tasks it runs."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from newstag.cli import app

pytestmark = [pytest.mark.spark, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
N_ARTICLES = 500
# Written for these tests: rows that cannot be tagged, and one that is long.
BAD_LINES = [
    b"not json at all",
    b'{"id": "no-text", "title": "Headline only?", "text": null}',
    b'{"id": "nul", "text": "abc\x00def"}',  # NUL bytes: refused before JSON, so id = line number
    b"\xff\xfe\x00\x01binary",
    b"",
    orjson.dumps({"id": "two-mb", "text": "Ministers met in Quito to discuss oil exports. " * 45_000}),
]


def _articles() -> list[bytes]:
    """500 JSON Lines: ../shared dev articles when present, the bundled example article, bad lines."""
    from newstag.spark.batch import LINE  # noqa: F401 - the module must import without Spark

    shared = REPO.parent / "shared" / "data"
    lines = [orjson.dumps({"id": "example", "text": (REPO / "examples" / "article.txt").read_text(encoding="utf-8")})]
    lines += BAD_LINES
    for corpus in ("reuters21578", "bbc_news"):
        path = shared / corpus / "dev.jsonl"
        if path.is_file():
            for raw in path.read_bytes().splitlines()[:300]:
                r = orjson.loads(raw)
                # every third without an id: the record's id is then its line number
                article = {"text": r["text"], "title": r["title"]}
                lines.append(orjson.dumps(article if len(lines) % 3 == 0 else {"id": f"{corpus}/{r['id']}", **article}))
    if len(lines) < N_ARTICLES // 2:
        pytest.skip("../shared dev data is absent: the 500-article Spark test needs it")
    return lines[:N_ARTICLES]


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    path = tmp_path_factory.mktemp("archive") / "archive.jsonl"
    path.write_bytes(b"\n".join(_articles()) + b"\n")
    return path


@pytest.fixture(scope="module")
def expected(archive, tmp_path_factory, cli_records):
    return cli_records(archive, tmp_path_factory.mktemp("cli"))


def _run(*args: str) -> None:
    result = CliRunner().invoke(app, ["spark", "tag", *args, "--master", "local[2]"])
    assert result.exit_code == 0, result.output
    assert "records" in result.output


def test_spark_tag_jsonl_output_is_the_clis_output(spark, archive, expected, tmp_path):
    out = tmp_path / "out"
    _run(str(archive), str(out), "--output-format", "jsonl", "--partitions", "4")
    parts = sorted(out.glob("part-*"))
    assert len(parts) == 4
    written = [orjson.loads(line) for part in parts for line in part.read_bytes().splitlines()]
    assert len(written) == len(expected) == N_ARTICLES
    for got, want in zip(written, expected):
        assert got == want
    assert {r["id"] for r in written[: 1 + len(BAD_LINES)] if r["error"]} == {"2", "no-text", "4", "5", "6"}
    assert next(r for r in written if r["id"] == "two-mb")["warnings"]


def test_spark_tag_parquet_output_reads_back_as_the_clis_records(spark, archive, expected, tmp_path, as_record):
    out = tmp_path / "out"
    _run(str(archive), str(out))  # parquet by default; Spark's own splits
    rows = spark.read.parquet(str(out)).collect()
    assert [as_record(r.asDict(recursive=True)) for r in rows] == expected


def test_tag_dataframe_keeps_rows_and_columns(spark, archive, expected, as_record):
    from newstag.spark import tag_dataframe

    good = [r for r in map(orjson.loads, archive.read_bytes().splitlines()[7:]) if r.get("id")][:100]
    frame = spark.createDataFrame(
        [(r["id"], r["title"], r["text"], i) for i, r in enumerate(good)] + [("missing", None, None, -1), (None, None, "abc\x00def", -2)],
        "id string, headline string, text string, shard long",
    ).repartition(3)
    tagged = tag_dataframe(frame, title_col="headline")
    assert tagged.columns[: len(expected[0])] == list(expected[0]) and tagged.columns[-1] == "shard"
    rows = {r["shard"]: r.asDict(recursive=True) for r in tagged.collect()}
    assert len(rows) == len(good) + 2
    by_id = {r["id"]: r for r in expected}
    for i, r in enumerate(good):
        assert as_record(rows[i], ("shard",)) == by_id[r["id"]]
    assert rows[-1]["id"] == "missing" and rows[-1]["error"].endswith("has no 'text'")
    assert "binary" in rows[-2]["error"] and rows[-2]["id"].isdigit()


def test_artifacts_load_once_per_python_worker(spark, load_log, archive, tmp_path):
    from newstag.spark.dataframe import tag_lines

    for old in load_log.glob("*.batches"):  # count this job's batches only
        old.unlink()
    lines = spark.read.option("lineSep", "\n").text(str(archive))
    assert tag_lines(lines, "jsonl", partitions=6).count() == N_ARTICLES  # 6 tasks on 2 cores
    loads = {p.stem: p.read_text().count("loaded") for p in load_log.glob("*.load")}
    tagged = {p.stem for p in load_log.glob("*.batches")}
    assert tagged and tagged <= set(loads)  # every process that tagged had loaded
    assert set(loads.values()) == {1}  # ... exactly once
    assert len(loads) <= 2 < 6  # never more processes than cores, fewer than tasks: reused


def test_spark_tag_reads_parquet_rows_and_text_files(spark, tmp_path, cli_records, as_record):
    import pyarrow as pa
    import pyarrow.parquet as pq

    example = (REPO / "examples" / "article.txt").read_text(encoding="utf-8")
    # Written for this test.
    texts = ["Floods closed roads across Bavaria and Austria on Sunday.", None, example]
    pq.write_table(pa.table({"title": ["Floods", "Empty", None], "text": texts}), tmp_path / "rows.parquet")
    want = cli_records(tmp_path / "rows.parquet", tmp_path, "--format", "jsonl")
    _run(str(tmp_path / "rows.parquet"), str(tmp_path / "rows-out"))
    got = [as_record(r.asDict(recursive=True)) for r in spark.read.parquet(str(tmp_path / "rows-out")).collect()]
    assert got == want and [r["id"] for r in got] == ["1", "2", "3"]
    again = CliRunner().invoke(app, ["spark", "tag", str(tmp_path / "rows.parquet"), str(tmp_path / "rows-out")])
    assert again.exit_code == 3 and "already exists" in again.output

    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "example article.txt").write_text(example, encoding="utf-8")
    (articles / "latin1.txt").write_bytes("Caf\xe9 owners in Lyon protested.".encode("latin-1"))
    _run(str(articles), str(tmp_path / "files-out"), "--input-format", "text", "--output-format", "jsonl")
    got = {r["id"]: r for part in sorted((tmp_path / "files-out").glob("part-*")) for r in map(orjson.loads, part.read_bytes().splitlines())}
    assert set(got) == {str(articles / "example article.txt"), str(articles / "latin1.txt")}
    for name in ("example article.txt", "latin1.txt"):  # decoded as the CLI decodes a file
        assert got[str(articles / name)] == cli_records(articles / name, tmp_path, "--format", "jsonl")[0]
    assert got[str(articles / "latin1.txt")]["encoding"] != "utf-8" and not got[str(articles / "latin1.txt")]["error"]
