"""`newstag archive ...`: options parsed here, the work done in commands.py.

Mounted on the main command line by newstag/cli.py. Exit codes are the main command's: 2 usage,
3 an input or the archive cannot be read, 4 an artifact is missing.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from newstag.errors import InputError, NewstagError

archive_app = typer.Typer(
    help="Store tagged articles in a database (SQLite, or PostgreSQL), search them and count them by tag.",
    no_args_is_help=True,
)

DbOption = Annotated[
    Optional[str],
    typer.Option("--db", help="sqlite:///FILE, a path, or postgresql://... (default: $NEWSTAG_DB, else newstag.db here)."),
]
JobsOption = Annotated[int, typer.Option("--jobs", "-j", min=1, help="Worker processes for tagging.")]
ProgressOption = Annotated[
    Optional[bool], typer.Option("--progress/--no-progress", help="Progress bar on stderr (default: when stderr is a terminal).")
]


def _fail(exc: NewstagError) -> None:
    typer.echo(f"newstag: {exc}", err=True)
    raise typer.Exit(3 if isinstance(exc, InputError) else 4)


def _open(db: str | None, create: bool = True):
    from newstag.archive.backends import open_archive

    return open_archive(db, create=create)


def _report(summary) -> None:
    for line in summary.error_lines:
        typer.echo(f"newstag: error: {line}", err=True)
    if summary.errors > len(summary.error_lines):
        typer.echo(f"newstag: ... and {summary.errors - len(summary.error_lines)} more records with errors", err=True)
    typer.echo(summary.report())


@archive_app.command("add")
def add_command(
    paths: Annotated[Optional[list[str]], typer.Argument(help="Files to tag and store; none or '-' reads stdin.")] = None,
    db: DbOption = None,
    tagged: Annotated[bool, typer.Option("--tagged", help="The inputs are records `newstag tag` wrote (JSON Lines), or `archive export --format parquet` wrote: store them without tagging.")] = False,
    input_format: Annotated[Optional[str], typer.Option("--input-format", help="raw | html | jsonl | csv | parquet (default: from the file).")] = None,
    topic_model: Annotated[Optional[Path], typer.Option("--topic-model", help="A model directory made by `newstag train`.")] = None,
    jobs: JobsOption = 1,
    progress: ProgressOption = None,
) -> None:
    """Tag inputs of every kind `newstag tag` reads and store them; prints added, replaced, unchanged, errors."""
    from newstag.archive import commands
    from newstag.options import TagOptions

    sources = paths or ["-"]
    try:
        with _open(db) as backend:
            if tagged:
                summary = commands.add_tagged(backend, sources, progress=progress)
            else:
                options = TagOptions(topic_model=topic_model)
                summary = commands.add(backend, sources, options=options, input_format=input_format, jobs=jobs, progress=progress)
    except NewstagError as exc:
        _fail(exc)
    _report(summary)


@archive_app.command("search")
def search_command(
    query: Annotated[Optional[str], typer.Argument(help='Full text over title and text: words and "quoted phrases", all required.')] = None,
    db: DbOption = None,
    topic: Annotated[Optional[str], typer.Option("--topic", help="An IPTC Media Topic code: medtop:11000000.")] = None,
    region: Annotated[Optional[str], typer.Option("--region", help="A country (ISO 3166-1 alpha-2: CU) or UN M49 region (419).")] = None,
    relevance: Annotated[Optional[str], typer.Option("--relevance", help="about | mentioned: how the story relates to --region.")] = None,
    place: Annotated[Optional[int], typer.Option("--place", help="A GeoNames id.")] = None,
    agency: Annotated[Optional[str], typer.Option("--agency", help="A wire agency as the record names it: Reuters, AFP.")] = None,
    since: Annotated[Optional[str], typer.Option("--since", help="Published on or after YYYY-MM-DD.")] = None,
    until: Annotated[Optional[str], typer.Option("--until", help="Published on or before YYYY-MM-DD.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=0, max=1000, help="At most this many results.")] = 20,
    offset: Annotated[int, typer.Option("--offset", min=0, help="Skip this many results first.")] = 0,
    output_format: Annotated[str, typer.Option("--format", "-f", help="text | json | jsonl | csv (json/jsonl: the records whole).")] = "text",
    count_only: Annotated[bool, typer.Option("--count", help="Print only how many articles match.")] = False,
) -> None:
    """Articles matching a full-text query and tag filters, newest first."""
    from newstag.archive import commands
    from newstag.archive.filters import Filters
    from newstag.archive.queries import count

    if output_format not in commands.SEARCH_FORMATS:
        raise typer.BadParameter(f"choose one of {', '.join(commands.SEARCH_FORMATS)}", param_hint="--format")
    try:
        filters = Filters(query=query, topic=topic, region=region, relevance=relevance, place=place, agency=agency,
                          since=since, until=until)
    except InputError as exc:
        raise typer.BadParameter(str(exc)) from exc
    try:
        with _open(db, create=False) as backend:
            if count_only:
                typer.echo(count(backend, filters))
                return
            commands.run_search(backend, filters, limit=limit, offset=offset, fmt=output_format, out=sys.stdout.buffer)
            sys.stdout.flush()
    except NewstagError as exc:
        _fail(exc)


@archive_app.command("stats")
def stats_command(
    db: DbOption = None,
    by: Annotated[str, typer.Option("--by", help="topic | region | agency | month | place")] = "topic",
    limit: Annotated[Optional[int], typer.Option("--limit", min=1, help="Only the most frequent N.")] = None,
) -> None:
    """Articles per topic, region, agency, place or month, as a table."""
    from newstag.archive import commands
    from newstag.archive.queries import STATS_BY, total

    if by not in STATS_BY:
        raise typer.BadParameter(f"choose one of {', '.join(STATS_BY)}", param_hint="--by")
    try:
        with _open(db, create=False) as backend:
            typer.echo(f"{total(backend):,} articles")
            typer.echo(commands.stats_table(backend, by, limit), nl=False)
    except NewstagError as exc:
        _fail(exc)


@archive_app.command("export")
def export_command(
    db: DbOption = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
    output_format: Annotated[str, typer.Option("--format", "-f", help="jsonl | parquet (the record's typed columns; needs -o).")] = "jsonl",
) -> None:
    """Every stored record, as `newstag tag` writes it (JSON Lines), or as typed Parquet columns."""
    from newstag.archive import commands

    try:
        with _open(db, create=False) as backend:
            n = commands.export(backend, output, output_format)
    except NewstagError as exc:
        _fail(exc)
    typer.echo(f"newstag: exported {n} records", err=True)


@archive_app.command("retag")
def retag_command(
    db: DbOption = None,
    topic_model: Annotated[Optional[Path], typer.Option("--topic-model", help="A model directory made by `newstag train`.")] = None,
    jobs: JobsOption = 1,
    progress: ProgressOption = None,
) -> None:
    """Tag the stored texts again with the installed models (each record's `versions` say which)."""
    from newstag.archive import commands
    from newstag.options import TagOptions

    try:
        with _open(db, create=False) as backend:
            summary = commands.retag(backend, options=TagOptions(topic_model=topic_model), jobs=jobs, progress=progress)
    except NewstagError as exc:
        _fail(exc)
    _report(summary)
