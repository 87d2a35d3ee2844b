"""What `newstag archive ...` does; cli.py only parses options and calls these.

    add      inputs -> the batch layer (batch/runner.tagged_chunks: every input kind, --jobs,
             one record per input) -> store, one transaction per chunk
    add --tagged   records `newstag tag` wrote (JSON Lines) -> store, without tagging
    search / stats / export / retag
"""

from __future__ import annotations

import csv
import io
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import orjson

from newstag.archive.backends import Backend
from newstag.archive.filters import Filters
from newstag.archive.queries import Hit, iter_records, iter_sources, search, stats
from newstag.archive.store import (
    BULK_CHUNK, BULK_CHUNK_BYTES, PreparedChunk, Store, StoredArticle, WriteCounts, date_field,
    from_record, from_tagged, input_hash, prepare_chunk,
)
from newstag.errors import InputError
from newstag.options import TagOptions
from newstag.types import RawDocument

SEARCH_FORMATS = ("text", "json", "jsonl", "csv")
EXPORT_FORMATS = ("jsonl", "parquet")
MAX_ERRORS_SHOWN = 10


@dataclass(slots=True)
class AddSummary:
    counts: WriteCounts = field(default_factory=WriteCounts)
    errors: int = 0
    error_lines: list[str] = field(default_factory=list)  # the first MAX_ERRORS_SHOWN, "id: reason"
    not_retagged: int = 0  # retag: stored without text (--tagged records), kept as they are

    def error(self, record_id: object, reason: object) -> None:
        self.errors += 1
        if len(self.error_lines) < MAX_ERRORS_SHOWN:
            self.error_lines.append(f"{record_id}: {reason}")

    def absorb(self, other: AddSummary) -> None:
        """Count `other`'s errors here too (a worker's, for one chunk)."""
        self.errors += other.errors
        self.error_lines.extend(other.error_lines[: MAX_ERRORS_SHOWN - len(self.error_lines)])

    def report(self) -> str:
        c = self.counts
        line = f"added {c.added}, replaced {c.replaced}, unchanged {c.unchanged}, errors {self.errors}"
        if self.not_retagged:
            line += f", not retagged (no text stored) {self.not_retagged}"
        return line


def add(
    backend: Backend,
    paths: list[str],
    *,
    options: TagOptions,
    input_format: str | None = None,
    jobs: int = 1,
    progress: bool | None = None,
) -> AddSummary:
    """Tag every input record and store it; records carrying an error are counted, not stored."""
    from newstag.batch.runner import tagged_chunks
    from newstag.batch.stream import item_document, iter_items

    store, summary = Store(backend), AddSummary()
    with _progress(progress, paths, input_format) as bar:
        items = iter_items(paths, input_format)
        if bar is not None:
            items = bar.count_read(items)
        for chunk, result in tagged_chunks(_without_unchanged(items, store, summary, bar), options, "jsonl", jobs):
            articles = []
            for item, encoded in zip(chunk, result.records):
                record = orjson.loads(encoded)
                if record.get("error"):
                    summary.error(record.get("id"), record["error"])
                    continue
                doc = item_document(item)  # the text the record's offsets point into
                date = _line_date(item[1]) if isinstance(item, tuple) else None
                articles.append(from_tagged(doc, record, encoded.rstrip(b"\n"), date))
            summary.counts += store.write(articles)
            if bar is not None:
                bar.written(chunk)
    _optimize_after(backend, summary)
    return summary


@contextmanager
def _progress(progress: bool | None, paths: list[str], input_format: str | None) -> Iterator:
    """The batch layer's progress bar on stderr (None when off), closed as complete only when
    the block ran to its end."""
    from newstag.batch.runner import Progress

    bar = Progress.start(progress, paths, input_format)
    complete = False
    try:
        yield bar
        complete = True
    finally:
        if bar is not None:
            bar.close(complete)


def _without_unchanged(items: Iterable, store: Store, summary: AddSummary, bar, lookup: int = 256) -> Iterator:
    """`items` less those stored already with the same content (counted unchanged, not tagged).

    Looked up `lookup` at a time. Store.write decides again under the writer lock; skipping here
    only saves tagging. An id that this run already sent on is never skipped: its later line
    must still be written after the earlier one (the last line of an id wins)."""
    from newstag.batch.stream import item_document

    sent: set[str] = set()
    batch: list = []

    def flush() -> Iterator:
        docs = [item_document(item) for item in batch]
        hashes = [None if doc.error else input_hash(doc, _line_date(item[1]) if isinstance(item, tuple) else None)
                  for item, doc in zip(batch, docs)]
        stored = store.stored_hashes([doc.id for doc, h in zip(docs, hashes) if h is not None])
        skipped = []
        for item, doc, h in zip(batch, docs, hashes):
            if h is not None and doc.id not in sent and doc.id in stored and stored[doc.id][1] == h:
                skipped.append(item)
                continue
            sent.add(doc.id)
            yield item
        summary.counts.unchanged += len(skipped)
        if bar is not None and skipped:
            bar.written(skipped)

    for item in items:
        batch.append(item)
        if len(batch) >= lookup:
            yield from flush()
            batch = []
    yield from flush()


def _optimize_after(backend: Backend, summary: AddSummary) -> None:
    if summary.counts.added or summary.counts.replaced:
        backend.optimize()


def _line_date(line: bytes) -> object:
    """The date field of a JSON Lines input line (the record does not carry it)."""
    try:
        obj = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None
    return date_field(obj) if isinstance(obj, dict) else None


def add_tagged(backend: Backend, paths: list[str], *, progress: bool | None = None, chunk_docs: int = BULK_CHUNK) -> AddSummary:
    """Store records that `newstag tag` wrote as JSON Lines (or an archive wrote as Parquet:
    archive/parquet.py), as they are."""
    from newstag.batch.stream import chunked

    for path in paths:
        if path.lower().endswith((".csv", ".tsv")):
            raise InputError(
                f"{path}: --tagged stores records as `newstag tag` writes them in JSON Lines (or as "
                "`archive export --format parquet` writes them); CSV rows are flat (no scores, no offsets). "
                "Tag to JSON Lines (--format jsonl), or add the articles untagged"
            )
    store, summary = Store(backend), AddSummary()
    with _progress(progress, paths, "jsonl") as bar:
        items: Iterable = _record_lines(paths)
        if bar is not None:
            items = bar.count_read(items)
        # The next chunks' lines parsed into articles (JSON, hashes) and their rows built in a
        # worker process while this one is written (batch.stream.made_in_process: a thread would
        # take turns with the writer's row binding for the GIL), lines read here for the bar.
        chunks = _prepared_in_worker(chunked(items, max_docs=chunk_docs, max_bytes=BULK_CHUNK_BYTES))
        with store.bulk():
            for chunk, (prepared, errors) in chunks:
                summary.absorb(errors)
                summary.counts += store.write(prepared)
                if bar is not None:
                    bar.written(chunk)
    _optimize_after(backend, summary)
    return summary


def _prepared_in_worker(chunks: Iterable[list]) -> Iterator[tuple[list, tuple[PreparedChunk, AddSummary]]]:
    """(chunk, prepared_records(chunk)) for each of `chunks`, the second made in a worker process."""
    from newstag.batch.stream import made_in_process

    sent: deque = deque()  # the chunks handed to the worker, whose results are still to come

    def tracked() -> Iterator[list]:
        for chunk in chunks:
            sent.append(chunk)
            yield chunk

    for result in made_in_process(prepared_records, tracked()):
        yield sent.popleft(), result


def prepared_records(items: list[Any]) -> tuple[PreparedChunk, AddSummary]:
    """The rows of the newstag records among JSON Lines items (store.prepare_chunk), and the
    summary of the others (errors)."""
    summary = AddSummary()
    return prepare_chunk(record_articles(items, summary)), summary


def _record_lines(paths: list[str]) -> Iterator:
    from newstag.batch.stream import jsonl_lines

    for path in paths:
        if path == "-":
            yield from jsonl_lines(sys.stdin.buffer)
            continue
        if path.lower().endswith(".parquet"):
            from newstag.archive.parquet import read_records

            yield from read_records(path)
            continue
        try:
            stream = open(path, "rb")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise InputError(f"cannot read {path}: {exc.strerror}") from exc
        with stream:
            yield from jsonl_lines(stream)


def record_articles(items: list[Any], summary: AddSummary) -> list[StoredArticle]:
    """The articles of JSON Lines items that are newstag records; the others counted as errors."""
    return [a for a in (_record_article(item, summary) for item in items) if a is not None]


def _record_article(item: Any, summary: AddSummary) -> StoredArticle | None:
    if isinstance(item, RawDocument):  # a line over the size limit
        summary.error(item.id, item.error)
        return None
    number, line = item
    try:
        record = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        summary.error(f"line {number}", f"not a JSON record: {exc}")
        return None
    if not isinstance(record, dict) or not isinstance(record.get("id"), str) or not isinstance(record.get("general"), list):
        summary.error(f"line {number}", "not a newstag record (an object with 'id' and 'general')")
        return None
    if record.get("error"):
        summary.error(record["id"], record["error"])
        return None
    return from_record(record, line.strip())


def retag(backend: Backend, *, options: TagOptions, jobs: int = 1, progress: bool | None = None) -> AddSummary:
    """Tag every stored text again with the installed models; an article whose record comes out
    different is replaced (its `versions` say what made it), the rest are unchanged."""
    from newstag.batch.runner import tagged_chunks

    store, summary = Store(backend), AddSummary()
    stored: dict[str, tuple[str, str]] = {}  # id -> (published, record JSON) of the chunks in flight

    def documents() -> Iterator[RawDocument]:
        for id_, title, text, published, source_json, record_json in iter_sources(backend):
            if text is None:
                summary.not_retagged += 1
                continue
            source = orjson.loads(source_json)
            stored[id_] = (published, record_json)
            yield RawDocument(
                id=id_, text=text, title=title, kind=source.get("kind", "raw"),
                extra=tuple((k, v) for k, v in source.get("extra", ())), warnings=tuple(source.get("warnings", ())),
                encoding=source.get("encoding"),  # how the input was decoded when it was added
            )

    bar = _count_bar(progress)
    for chunk, result in tagged_chunks(documents(), options, "jsonl", jobs):
        changed = []
        for doc, encoded in zip(chunk, result.records):
            published, old_json = stored.pop(doc.id)
            new_json = encoded.rstrip(b"\n").decode()
            record = orjson.loads(new_json)
            if record.get("error"):
                summary.error(doc.id, record["error"])  # the stored record is kept
            elif new_json == old_json:
                summary.counts.unchanged += 1
            else:
                changed.append(from_tagged(doc, record, new_json, published))
        summary.counts += store.write(changed, replace=True)
        if bar is not None:
            bar.update(len(chunk))
    if bar is not None:
        bar.close()
    _optimize_after(backend, summary)
    return summary


def _count_bar(progress: bool | None):
    if progress is None:
        progress = sys.stderr.isatty()
    if not progress:
        return None
    from tqdm import tqdm

    return tqdm(file=sys.stderr, unit="doc", dynamic_ncols=True)


# --- output ---------------------------------------------------------------------------------------


def general_labels(record: dict[str, Any]) -> list[str]:
    return [t["label"] for t in record.get("general") or ()]


def region_labels(record: dict[str, Any]) -> list[str]:
    return [f"{r['name']} ({r['relevance']})" for r in record.get("regions") or ()]


def write_hits(hits: list[Hit], fmt: str, out: IO[bytes]) -> None:
    """Search results: text and csv show id, date, title, General and Regions; json and jsonl
    the stored records whole."""
    if fmt == "jsonl":
        out.write(b"".join(orjson.dumps(h.record) + b"\n" for h in hits))
    elif fmt == "json":
        out.write(orjson.dumps([h.record for h in hits], option=orjson.OPT_INDENT_2) + b"\n")
    elif fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(["id", "date", "title", "general", "general_codes", "regions", "region_codes"])
        for h in hits:
            writer.writerow([
                h.id, h.published or "", h.title or "", "|".join(general_labels(h.record)),
                "|".join(t["code"] for t in h.record.get("general") or ()),
                "|".join(r["name"] for r in h.record.get("regions") or ()),
                "|".join(r["code"] for r in h.record.get("regions") or ()),
            ])
        out.write(buf.getvalue().encode())
    else:
        lines = []
        for h in hits:
            lines.append(f"{h.published or '(no date)'}  {h.id}  {h.title or '(no title)'}")
            lines.append(f"    General: {'; '.join(general_labels(h.record))}")
            lines.append(f"    Regions: {', '.join(region_labels(h.record))}")
        out.write(("\n".join(lines) + "\n" if lines else "").encode())


def run_search(backend: Backend, filters: Filters, *, limit: int, offset: int, fmt: str, out: IO[bytes]) -> None:
    write_hits(search(backend, filters, limit=limit, offset=offset), fmt, out)


def stats_table(backend: Backend, by: str, limit: int | None = None) -> str:
    rows = stats(backend, by, limit)
    head = {"topic": "topic", "region": "region", "agency": "agency", "month": "month", "place": "GeoNames id"}[by]
    show_name = by in ("topic", "region", "place")
    table = [(value, name, f"{n:,}") for value, name, n in rows]
    width = max([len(head)] + [len(v) for v, _, _ in table])
    nwidth = max([len("articles")] + [len(n) for _, _, n in table])
    lines = [f"{head:<{width}}  {'articles':>{nwidth}}" + ("  name" if show_name else "")]
    for value, name, n in table:
        lines.append(f"{value:<{width}}  {n:>{nwidth}}" + (f"  {name}" if show_name else ""))
    return "\n".join(lines) + "\n"


def export(backend: Backend, out: Path | None, fmt: str) -> int:
    """Every stored record as `newstag tag` writes it (JSON Lines), or as typed Parquet columns
    (archive/parquet.py: a file, not standard output); returns how many."""
    if fmt not in EXPORT_FORMATS:
        raise InputError(f"the archive exports {' or '.join(EXPORT_FORMATS)}, not {fmt!r}")
    if fmt == "parquet":
        if out is None:
            raise InputError("a Parquet export is a file: give it with -o FILE")
        from newstag.archive.parquet import write_records

        return write_records((orjson.loads(record) for record in iter_records(backend)), out)
    stream = open(out, "wb") if out else sys.stdout.buffer  # noqa: SIM115
    n = 0
    try:
        for record in iter_records(backend):
            stream.write(record.encode() + b"\n")
            n += 1
    finally:
        stream.flush()
        if out:
            stream.close()
    return n
