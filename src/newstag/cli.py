"""The `newstag` command line. It builds one TagOptions at the edge and calls library code.

Exit codes (also in the README):
    0  every input gave a record (records may still carry an `error`; see --strict)
    1  --strict and at least one record carries an error
    2  usage error (unknown option, bad value, -o onto an input, --resume without -o FILE.jsonl)
    3  an input cannot be read (a missing file, a table without a 'text' column): it gets an error
       record, the other inputs are tagged, and the run ends with 3
    4  an artifact (gazetteer, topic model) is missing or broken, or training data is unusable
    5  the output cannot be written (no such directory, disk full); an existing -o file is untouched
    130 / 143  interrupted by Ctrl-C / SIGTERM: a JSON Lines -o file holds the complete records so
       far, and the same command with --resume continues
    141  stdout was closed by its reader (`newstag tag ... | head`): a quiet stop, as for any Unix tool
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated, Optional

import typer

from newstag import __version__
from newstag.errors import ArtifactError, InputError, NewstagError, OutputClosed, OutputError, TrainingError, UsageError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Tag raw news articles with IPTC Media Topics (General) and countries / UN M49 regions (Regions).",
    pretty_exceptions_enable=False,
)
eval_app = typer.Typer(help="Measure accuracy on the labelled corpora in ../shared/data.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")
# The archive's commands live in its own subpackage (newstag/archive/cli.py); no database module is imported here.
from newstag.archive.cli import archive_app  # noqa: E402

app.add_typer(archive_app, name="archive")

EXIT_RECORD_ERRORS, EXIT_USAGE, EXIT_INPUT, EXIT_ARTIFACT, EXIT_OUTPUT = 1, 2, 3, 4, 5
EXIT_STDOUT_CLOSED = 141  # 128 + SIGPIPE: what a shell reports for `cat big | head`


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
    if isinstance(exc, OutputClosed):
        _output_closed()
    typer.echo(f"newstag: {exc}", err=True)
    if isinstance(exc, UsageError):
        code = EXIT_USAGE
    elif isinstance(exc, OutputError):
        code = EXIT_OUTPUT
    else:
        code = EXIT_INPUT if isinstance(exc, InputError) else EXIT_ARTIFACT
    raise typer.Exit(code)


def _output_closed() -> None:
    # Whatever is still buffered for stdout would fail again when Python exits, with a traceback
    # on stderr: point stdout at /dev/null, then stop quietly.
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    raise typer.Exit(EXIT_STDOUT_CLOSED)


@app.command()
def tag(
    paths: Annotated[Optional[list[str]], typer.Argument(help="Files to tag; none or '-' reads stdin.")] = None,
    output_format: Annotated[
        Optional[str],
        typer.Option("--format", "-f", help="text | json | jsonl | csv | parquet (default: from -o's suffix, else jsonl for JSON Lines / table input, else text)."),
    ] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
    input_format: Annotated[
        Optional[str], typer.Option("--input-format", help="raw | html | jsonl | csv | tsv | parquet (default: from the file's suffix; stdin and unknown suffixes: from the content).")
    ] = None,
    topic_model: Annotated[
        Optional[Path], typer.Option("--topic-model", help="A model directory made by `newstag train` (default: the shipped IPTC model).")
    ] = None,
    max_general: Annotated[int, typer.Option("--max-general", min=1, help="At most this many General topics (all levels).")] = 8,
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
    from newstag.batch.signals import EXIT_SIGINT, EXIT_SIGTERM, Terminated, sigterm_as_interrupt
    from newstag.options import TagOptions

    if output_format is not None and output_format not in BATCH_FORMATS:
        raise typer.BadParameter(f"choose one of {', '.join(BATCH_FORMATS)}", param_hint="--format")
    sources = paths or ["-"]
    options = TagOptions(geo=not no_geo, topics=not no_topics, topic_model=topic_model, max_general=max_general)
    started = time.time()
    try:
        with sigterm_as_interrupt():
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
    except KeyboardInterrupt as exc:
        terminated = isinstance(exc, Terminated)
        # The run renamed its complete records into place (JSON Lines only; batch/output.py).
        kept = output is not None and output.exists() and output.stat().st_mtime >= started - 1
        hint = f"; {output} holds the records finished so far: run the same command with --resume to continue" if kept else ""
        typer.echo(f"newstag: {'terminated' if terminated else 'interrupted'}{hint}", err=True)
        raise typer.Exit(EXIT_SIGTERM if terminated else EXIT_SIGINT) from None
    if summary.skipped:
        typer.echo(f"newstag: resumed: kept the {summary.skipped} records already in {output}, added {summary.records}", err=True)
    if summary.errors:
        typer.echo(f"newstag: {summary.errors} of {summary.records} records carry an error", err=True)
    if summary.unreadable:
        names = ", ".join(summary.unreadable[:5]) + (", ..." if len(summary.unreadable) > 5 else "")
        typer.echo(f"newstag: {len(summary.unreadable)} of {len(sources)} inputs cannot be read ({names}): "
                   "each has an error record, the rest were tagged", err=True)
        raise typer.Exit(EXIT_INPUT)
    if summary.errors and strict:
        raise typer.Exit(EXIT_RECORD_ERRORS)


@app.command()
def schema() -> None:
    """Print the output record's JSON Schema (the contract every record follows)."""
    import orjson

    from newstag.emit.schema import record_json_schema

    sys.stdout.write(orjson.dumps(record_json_schema(), option=orjson.OPT_INDENT_2).decode() + "\n")


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Worker processes (the artifacts load once, before they fork).")] = 1,
    api_key: Annotated[
        Optional[str], typer.Option("--api-key", envvar="NEWSTAG_API_KEY", show_envvar=True, help="Require 'Authorization: Bearer KEY' on /v1/ (and the key in the page's form).")
    ] = None,
    max_article_bytes: Annotated[int, typer.Option("--max-article-bytes", min=1, help="Largest article body (413 past it).")] = 1 << 20,
    max_batch_bytes: Annotated[int, typer.Option("--max-batch-bytes", min=1, help="Largest /v1/tag/batch body (413 past it).")] = 64 << 20,
    queue: Annotated[int, typer.Option("--queue", min=1, help="Articles queued per worker before 503 + Retry-After.")] = 400,
    archive: Annotated[
        Optional[str], typer.Option("--archive", help="Also serve this archive (`newstag archive --db`): /articles, /topics/..., /regions/..., /v1/articles.")
    ] = None,
) -> None:
    """Serve the HTTP API (/v1/) and the tagging page (/) with FastAPI + uvicorn."""
    from newstag.service.options import ServiceOptions
    from newstag.service.server import serve as run_server

    options = ServiceOptions(api_key=api_key or None, max_article_bytes=max_article_bytes, max_batch_bytes=max_batch_bytes, queue_articles=queue,
                             archive=archive)
    try:
        run_server(options, host=host, port=port, workers=workers)
    except NewstagError as exc:
        _fail(exc)


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
        Optional[list[str]], typer.Option("--corpus", help="lgl | geowebnews | trnews | geovirus | reuters | wikinews | names (repeatable; default all).")
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
    adapt: Annotated[
        Optional[Path],
        typer.Option("--adapt", help="JSON Lines archive {\"text\", \"title\"?} (no labels needed): write a copy of the model adapted to the archive (see --adapt-method)."),
    ] = None,
    adapt_method: Annotated[
        str,
        typer.Option("--adapt-method", help="With --adapt: 'self-training' (the head learns the archive's words from its own picks) or 'prior' (only the topic mix, by EM)."),
    ] = "self-training",
    topic_model: Annotated[Optional[Path], typer.Option("--topic-model", help="With --adapt: the model to adapt (default: the shipped one).")] = None,
    depth_only: Annotated[
        bool, typer.Option("--depth-only", help="With --shipped: refit only the level-2/3 index and its calibrations (depth.json) of the model in -o DIR (default: the shipped one).")
    ] = False,
    shared: SharedOption = Path("../shared"),
) -> None:
    """Train a topic model: on your own tagged archive (--data ... -o DIR), the shipped IPTC model (--shipped), or adapt one to an unlabelled archive (--adapt ... -o DIR)."""
    try:
        if adapt is not None:
            from newstag.topics.adapt import adapt_archive

            if out is None:
                raise typer.BadParameter("give -o DIR for the adapted model")
            facts = adapt_archive(adapt, out, topic_model, method=adapt_method)
            typer.echo(f"wrote {out} ({adapt_method} on {facts['texts']} articles); use it with: newstag tag --topic-model {out} ...")
            return
        if shipped and depth_only:
            from newstag.topics.depth_fit import rebuild_shipped_depth

            _need_shared(shared)
            rebuild_shipped_depth(shared, out)
            return
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
    adapt: Annotated[bool, typer.Option("--adapt", help="Also adapt the model to each dev set's train-split text, without labels (EM prior; self-training; never shipped), and score dev.")] = False,
    adapt_choice: Annotated[
        bool, typer.Option("--adapt-choice", help="Also redo how self-training's choices were made: open corpora only, one adapted to the other (about ten minutes).")
    ] = False,
) -> None:
    """Top-1 accuracy on BBC, AG News and Reuters dev; per-class P/R/F1 on Wikipedia + HuffPost dev."""
    from newstag.eval.topics import print_topics_report, run_topics_eval

    _need_shared(shared)
    result = run_topics_eval(shared, model_dir=topic_model)
    print_topics_report(result, file=sys.stdout)
    if ceiling:
        from newstag.eval.topics_ceiling import print_ceiling, run_ceiling

        print_ceiling(run_ceiling(shared), result["top1"], file=sys.stdout)
    if adapt:
        from newstag.eval.topics_adapt import print_adapt, run_adapt_eval

        print_adapt(run_adapt_eval(shared, topic_model), file=sys.stdout)
    if adapt_choice:
        from newstag.eval.topics_adapt_choice import print_adapt_choice, run_adapt_choice

        print_adapt_choice(run_adapt_choice(shared, log=lambda m: typer.echo(m, err=True)), file=sys.stdout)


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
