"""The `newstag` command line. It builds one TagOptions at the edge and calls library code.

Exit codes (also in the README):
    0  every input gave a record (records may still carry an `error`; see --strict)
    1  --strict and at least one record carries an error
    2  usage error (unknown option, bad value)
    3  an input cannot be read (missing file, not UTF-8)
    4  an artifact (gazetteer, topic model) is missing or broken, or training data is unusable
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from newstag import __version__
from newstag.errors import ArtifactError, InputError, NewstagError, TrainingError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Tag raw news articles with IPTC Media Topics (General) and countries / UN M49 regions (Regions).",
    pretty_exceptions_enable=False,
)
eval_app = typer.Typer(help="Measure accuracy on the labelled corpora in ../shared/data.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")

EXIT_RECORD_ERRORS, EXIT_INPUT, EXIT_ARTIFACT = 1, 3, 4


def _version(value: bool) -> None:
    if value:
        typer.echo(f"newstag {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    pass


def _fail(exc: NewstagError) -> None:
    typer.echo(f"newstag: {exc}", err=True)
    code = EXIT_INPUT if isinstance(exc, InputError) else EXIT_ARTIFACT
    raise typer.Exit(code)


@app.command()
def tag(
    paths: Annotated[Optional[list[str]], typer.Argument(help="Files to tag; none or '-' reads stdin.")] = None,
    output_format: Annotated[
        Optional[str],
        typer.Option("--format", "-f", help="text | json | jsonl | csv | parquet (default: from -o's suffix, else jsonl for JSON Lines / table input, else text)."),
    ] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
    input_format: Annotated[
        Optional[str], typer.Option("--input-format", help="raw | html | jsonl | csv | parquet (default: from the file name or content).")
    ] = None,
    topic_model: Annotated[
        Optional[Path], typer.Option("--topic-model", help="A model directory made by `newstag train` (default: the shipped IPTC model).")
    ] = None,
    max_general: Annotated[int, typer.Option("--max-general", min=1, help="At most this many General topics.")] = 5,
    no_geo: Annotated[bool, typer.Option("--no-geo", help="Skip Regions.")] = False,
    no_topics: Annotated[bool, typer.Option("--no-topics", help="Skip General.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 if any record carries an error.")] = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Worker processes (each loads the artifacts once).")] = 1,
    resume: Annotated[
        bool, typer.Option("--resume", help="Continue an interrupted run: keep the records already in -o FILE (JSON Lines) and tag the rest.")
    ] = False,
    progress: Annotated[
        Optional[bool], typer.Option("--progress/--no-progress", help="Progress bar on stderr (default: when stderr is a terminal).")
    ] = None,
) -> None:
    """Tag articles: raw scraped text, HTML pages, JSON Lines ({"text", "id"?, "title"?} per line), CSV or Parquet."""
    from newstag.batch.output import BATCH_FORMATS
    from newstag.batch.runner import default_output_format, run_tag
    from newstag.options import TagOptions

    if output_format is not None and output_format not in BATCH_FORMATS:
        raise typer.BadParameter(f"choose one of {', '.join(BATCH_FORMATS)}", param_hint="--format")
    sources = paths or ["-"]
    options = TagOptions(geo=not no_geo, topics=not no_topics, topic_model=topic_model, max_general=max_general)
    try:
        summary = run_tag(
            sources,
            options=options,
            output_format=output_format or default_output_format(sources, input_format, output),
            output=output,
            input_format=input_format,
            jobs=jobs,
            resume=resume,
            progress=progress,
        )
    except NewstagError as exc:
        _fail(exc)
    if summary.skipped:
        typer.echo(f"newstag: resumed: kept the {summary.skipped} records already in {output}, added {summary.records}", err=True)
    if summary.errors:
        typer.echo(f"newstag: {summary.errors} of {summary.records} records carry an error", err=True)
        if strict:
            raise typer.Exit(EXIT_RECORD_ERRORS)


@app.command()
def schema() -> None:
    """Print the output record's JSON Schema (the contract every record follows)."""
    import orjson

    from newstag.emit.schema import record_json_schema

    sys.stdout.write(orjson.dumps(record_json_schema(), option=orjson.OPT_INDENT_2).decode() + "\n")


SharedOption = Annotated[
    Path, typer.Option("--shared", help="The shared folder with data/ and taxonomy/ (present on developers' machines and in CI).")
]


def _need_shared(shared: Path) -> None:
    if not (shared / "data").is_dir():
        typer.echo(f"newstag: {shared}/data not found: pass --shared PATH to the folder holding data/ and taxonomy/", err=True)
        raise typer.Exit(EXIT_INPUT)


@app.command("build-gazetteer")
def build_gazetteer(
    shared: Annotated[
        Optional[Path],
        typer.Option("--shared", help="Also recompile the UN M49 table from SHARED/taxonomy (otherwise the committed one is kept)."),
    ] = None,
) -> None:
    """Rebuild the gazetteer (data/gazetteer.npz) from GeoNames data in PyPI packages and our own tables."""
    from newstag.geo.gazetteer.build import build_all

    try:
        for path in build_all(shared):
            typer.echo(f"wrote {path}")
    except NewstagError as exc:
        _fail(exc)


@eval_app.command("geo")
def eval_geo(
    shared: SharedOption = Path("../shared"),
    corpus: Annotated[
        Optional[list[str]], typer.Option("--corpus", help="lgl | geowebnews | trnews | geovirus | reuters (repeatable; default all).")
    ] = None,
    baseline: Annotated[bool, typer.Option("--baseline/--no-baseline", help="Run geotext on the same documents.")] = True,
) -> None:
    """Country F1 on the geoparsing corpora and Reuters 'about' countries, beside geotext."""
    from newstag.eval.geo import main as geo_main

    _need_shared(shared)
    geo_main(shared, corpus or None, baseline)


@app.command("build-taxonomy")
def build_taxonomy(shared: SharedOption = Path("../shared")) -> None:
    """Compile IPTC Media Topics from SHARED/taxonomy into the package (data/iptc)."""
    import newstag.topics.taxonomy as taxonomy_module

    out_dir = Path(taxonomy_module.__file__).resolve().parents[1] / "data" / "iptc"
    try:
        taxonomy_module.build_taxonomy(shared / "taxonomy" / "iptc_mediatopics.json", out_dir)
    except NewstagError as exc:
        _fail(exc)
    typer.echo(f"wrote {out_dir}")


@app.command()
def train(
    data: Annotated[
        Optional[Path], typer.Option("--data", help="JSON Lines of tagged articles: {\"text\", \"title\"?, <labels-field>: [labels]}.")
    ] = None,
    labels_field: Annotated[str, typer.Option("--labels-field", help="The field holding each article's labels.")] = "topics",
    taxonomy: Annotated[
        Optional[Path], typer.Option("--taxonomy", help="Your taxonomy as JSON (see the README); default: labels are taken as they are.")
    ] = None,
    out: Annotated[Optional[Path], typer.Option("-o", "--output", help="The model directory to write.")] = None,
    shipped: Annotated[
        bool, typer.Option("--shipped", help="Rebuild the shipped IPTC model from SHARED (Wikipedia Current Events + HuffPost).")
    ] = False,
    shared: SharedOption = Path("../shared"),
) -> None:
    """Train a topic model: on your own tagged archive (--data ... -o DIR), or the shipped IPTC model (--shipped)."""
    try:
        if shipped:
            from newstag.topics.shipped import build_shipped_model

            _need_shared(shared)
            build_shipped_model(shared, out_dir=out)
            return
        if data is None or out is None:
            raise typer.BadParameter("give --data FILE and -o DIR (or --shipped)")
        from newstag.topics.train import train_model

        train_model(data, labels_field, taxonomy, out)
        typer.echo(f"wrote {out}; use it with: newstag tag --topic-model {out} ...")
    except NewstagError as exc:
        if isinstance(exc, TrainingError):
            typer.echo(f"newstag: {exc}", err=True)
            raise typer.Exit(EXIT_ARTIFACT) from exc
        _fail(exc)


@eval_app.command("topics")
def eval_topics(
    shared: SharedOption = Path("../shared"),
    topic_model: Annotated[Optional[Path], typer.Option("--topic-model", help="Evaluate this model instead of the shipped one.")] = None,
    ceiling: Annotated[bool, typer.Option("--ceiling", help="Also train a throwaway in-domain model on BBC / AG News train (never shipped) as a yardstick.")] = False,
) -> None:
    """Top-1 accuracy on BBC, AG News and Reuters dev; per-class P/R/F1 on Wikipedia + HuffPost dev."""
    from newstag.eval.topics import print_topics_report, run_topics_eval

    _need_shared(shared)
    result = run_topics_eval(shared, model_dir=topic_model)
    print_topics_report(result, file=sys.stdout)
    if ceiling:
        from newstag.eval.topics_ceiling import print_ceiling, run_ceiling

        print_ceiling(run_ceiling(shared), result["top1"], file=sys.stdout)


spark_app = typer.Typer(help="Tag on Apache Spark (pip install 'newstag[spark]').", no_args_is_help=True)
app.add_typer(spark_app, name="spark")


@spark_app.command("tag")
def spark_tag(
    input_path: Annotated[str, typer.Argument(metavar="INPUT", help="A file, directory or glob Spark reads (local, hdfs://, s3a://).")],
    output_path: Annotated[str, typer.Argument(metavar="OUTPUT", help="A new directory for the part files.")],
    master: Annotated[Optional[str], typer.Option("--master", help="Spark master URL, e.g. local[2] (default: spark-submit's, else local[*]).")] = None,
    input_format: Annotated[Optional[str], typer.Option("--input-format", help="jsonl | parquet | text (default: from INPUT's suffix, else jsonl).")] = None,
    output_format: Annotated[Optional[str], typer.Option("--output-format", help="parquet | jsonl (default: jsonl for OUTPUT ending .jsonl, else parquet).")] = None,
    partitions: Annotated[Optional[int], typer.Option("--partitions", min=1, help="Tag in this many tasks (default: Spark's input splits).")] = None,
) -> None:
    """Tag an archive on Spark: one record per JSON Lines line / Parquet row / text file, as `newstag tag` writes it."""
    from newstag.spark.job import run_job, spark_session

    try:
        spark = spark_session(master)
        summary = run_job(spark, input_path, output_path, input_format=input_format, output_format=output_format, partitions=partitions)
    except ImportError as exc:
        typer.echo(f"newstag: {exc}", err=True)
        raise typer.Exit(EXIT_INPUT) from exc
    except NewstagError as exc:
        _fail(exc)
    typer.echo(f"newstag: wrote {summary.records} records to {output_path} ({summary.errors} carry an error)", err=True)


def run() -> None:  # pragma: no cover - console entry point alias
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
