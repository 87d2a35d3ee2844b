"""Storing records: added, replaced or unchanged, by id and content hash, one transaction per chunk.

    StoredArticle      what one article puts in the archive: its record and what the record
                       leaves out (text, date, the input's kind and extra fields)
    from_tagged()      an article tagged by `archive add`: hash of the input (title, text, date,
                       kind, extra fields), so adding the same input again changes nothing even
                       after the models changed (that is `archive retag`'s job)
    from_record()      a record `newstag tag` already wrote (`archive add --tagged`): hash of the
                       record itself
    Store.write()      a chunk in one transaction: ids not stored are added; stored with the same
                       hash, unchanged; with another hash, replaced (the old rows deleted, the new
                       ones inserted with a new seq). A process killed at any moment leaves each
                       chunk stored whole or not at all.
    Store.bulk()       a large load (`archive add --tagged`, in chunks of BULK_CHUNK): into an
                       empty archive, the indexes no write reads are dropped first and built once
                       at the end (schema.deferrable_indexes; SQLite's FTS5 merges too, see
                       SqliteBackend.drop_deferrable_indexes). Killed before the end, the archive
                       keeps its committed chunks whole; the next write (any Store's first chunk,
                       or the next bulk load's end) builds the indexes. Readers never build them:
                       a page opened while a bulk load runs must not undo it. Its session
                       settings: Backend.loading().
    prepare_chunk()    a chunk's rows built ahead of Store.write, in another process for a bulk
                       load (commands.add_tagged), so that the writer only binds rows
    ChunkRows          the rows of a chunk for every table, in one pass over each record; each
                       row keyed by its article's position in the chunk, made a seq as inserted
    month_counts()     what a chunk's rows add to schema.TAG_MONTHS (the month charts' counts);
                       Store.write adds them, less those of the articles it replaces, in the
                       chunk's transaction
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any

import orjson

from newstag.archive.backends import Backend, placeholders
from newstag.archive.schema import (
    ARTICLE_AGENCIES,
    ARTICLE_BODIES,
    ARTICLE_PLACES,
    ARTICLE_REGIONS,
    ARTICLE_TOPICS,
    ARTICLES,
    TAG_MONTHS,
    TAG_TABLES,
)
from newstag.types import RawDocument

# Articles per transaction of a bulk load: one commit's cost (SQLite: the WAL pages of every index
# the chunk touches) spread over 16 times the articles of `archive add`'s 256.
BULK_CHUNK = 4096
BULK_CHUNK_BYTES = 64_000_000  # and at most this much of records' JSON (records of ~5 KB: 16 MB)

# Input fields that give an article's publication date, first found wins.
DATE_FIELDS = ("date", "published", "published_at", "datePublished")


@dataclass(frozen=True, slots=True)
class StoredArticle:
    id: str
    content_hash: str
    published: str  # YYYY-MM-DD, or '' when unknown
    title: str | None
    text: str | None  # None: a record stored with --tagged, whose text newstag never saw
    source: dict[str, Any]  # {"kind", "extra", "warnings", "encoding"}: enough to rebuild the RawDocument for retag
    record: dict[str, Any]
    record_json: str


@dataclass(slots=True)
class WriteCounts:
    added: int = 0
    replaced: int = 0
    unchanged: int = 0

    def __iadd__(self, other: WriteCounts) -> WriteCounts:
        self.added += other.added
        self.replaced += other.replaced
        self.unchanged += other.unchanged
        return self


def _hash(value: Any) -> str:
    return hashlib.sha256(orjson.dumps(value, option=orjson.OPT_SORT_KEYS)).hexdigest()[:32]


def input_hash(doc: RawDocument, date: object = None) -> str:
    """The content hash of an input article, known before it is tagged (so that `archive add`
    need not tag again what is stored unchanged)."""
    return _input_hash(doc, parse_date(date))


def _input_hash(doc: RawDocument, date: str) -> str:
    return _hash([doc.title, doc.text, date, doc.kind, [[key, value] for key, value in doc.extra]])


def from_tagged(doc: RawDocument, record: dict[str, Any], record_json: bytes | str, date: object = None) -> StoredArticle:
    """The article `doc` was tagged into `record`; `date`: the input's date field, if any."""
    input_date = parse_date(date)
    published = input_date or parse_date(date_field(record))
    extra = [[key, value] for key, value in doc.extra]
    source = {"kind": doc.kind, "extra": extra, "warnings": list(doc.warnings), "encoding": doc.encoding}
    return StoredArticle(
        id=doc.id,
        content_hash=_input_hash(doc, input_date),
        published=published,
        title=record.get("title") if record.get("title") is not None else doc.title,
        text=doc.text,
        source=source,
        record=record,
        record_json=record_json.decode() if isinstance(record_json, bytes) else record_json,
    )


def from_record(record: dict[str, Any], record_json: bytes | str) -> StoredArticle:
    """A record as `newstag tag` wrote it. Its text is the record's `text` field when it has one
    (HTML input, or input fields passed through), else unknown: full text then searches the title."""
    text = record.get("text") if isinstance(record.get("text"), str) else None
    return StoredArticle(
        id=record["id"],
        content_hash=_hash(record),
        published=parse_date(date_field(record)),
        title=record.get("title"),
        text=text,
        source={"kind": "record", "extra": [], "warnings": []},
        record=record,
        record_json=record_json.decode() if isinstance(record_json, bytes) else record_json,
    )


def date_field(fields: dict[str, Any]) -> object:
    """The first of DATE_FIELDS that `fields` has (not empty), or None."""
    return next((fields[name] for name in DATE_FIELDS if fields.get(name)), None)


def parse_date(value: object) -> str:
    """YYYY-MM-DD of an input's date, or '' when there is none or it cannot be read.

    ISO 8601 (2024-03-05, 2024-03-05T10:00:00Z), RFC 2822 (Tue, 05 Mar 2024 10:00:00 GMT) and
    the wire style of Reuters-21578 (26-FEB-1987 15:01:01.79)."""
    if not isinstance(value, str) or not value.strip():
        return ""
    text = value.strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return datetime.strptime(text.split(" ")[0].title(), "%d-%b-%Y").date().isoformat()
    except ValueError:
        return ""


class ChunkRows:
    """The rows a chunk inserts into each table, built in one pass over each record. A row's
    first value is its article's position in the chunk: Store.write adds the chunk's first seq
    as it inserts (Backend.insert_rows' seq_base), so that the rows can be built before the
    writer lock is taken and the seqs are known (prepare_chunk, in a worker process)."""

    __slots__ = ("articles", "bodies", "topics", "regions", "places", "agencies", "names", "months", "_named")

    def __init__(self, named: set[tuple[str, str]]) -> None:
        self.articles: list[tuple] = []  # (position, id, hash, published, title, source); added_at at write
        self.bodies: list[tuple] = []
        self.topics: list[tuple] = []
        self.regions: list[tuple] = []
        self.places: list[tuple] = []
        self.agencies: list[tuple] = []
        self._named = named  # (facet, code) already in tag_names: not collected again
        self.names: set[tuple[str, str, str]] = set()  # (facet, code, name) of the others
        self.months: Counter = Counter()  # month_counts(self), once the chunk's rows are all added

    def add(self, position: int, article: StoredArticle) -> None:
        record, published, named, names = article.record, article.published, self._named, self.names
        self.articles.append((
            position, article.id, article.content_hash, published, article.title, orjson.dumps(article.source).decode(),
        ))
        self.bodies.append((position, article.title, article.text, article.record_json))
        # A code listed twice in a record is one row, its first entry's.
        seen: set = set()
        for t in record.get("general") or ():
            code = t["code"]
            if code not in seen:
                seen.add(code)
                self.topics.append((position, code, published, t["level"], t["score"]))
                if ("topic", code) not in named:
                    names.add(("topic", code, t["label"]))
        seen.clear()
        for r in record.get("regions") or ():
            code = r["code"]
            if code not in seen:
                seen.add(code)
                self.regions.append((position, code, published, r["relevance"], r["kind"], r["score"]))
                if ("region", code) not in named:
                    names.add(("region", code, r["name"]))
        places: dict[int, list] = {}
        for p in record.get("places") or ():
            gid = p.get("geonameid")
            if gid is None:
                continue  # unresolved, or an M49 region (in article_regions)
            if gid in places:
                places[gid][5] += 1
            else:
                places[gid] = [position, gid, published, p["start"], p["end"], 1]
                if ("place", str(gid)) not in named:
                    names.add(("place", str(gid), p["name"]))
        self.places.extend(tuple(p) for p in places.values())
        self.agencies.extend((position, name, published) for name in dict.fromkeys(record.get("agencies") or ()))

    def by_table(self) -> dict[str, list[tuple]]:
        return {
            ARTICLE_TOPICS.name: self.topics,
            ARTICLE_REGIONS.name: self.regions,
            ARTICLE_PLACES.name: self.places,
            ARTICLE_AGENCIES.name: self.agencies,
        }

    def only(self, positions: set[int]) -> ChunkRows:
        """These rows less those of the articles at positions not in `positions` (tag names
        kept: a name stored for a code no stored article has is never shown, and harmless)."""
        kept = ChunkRows(self._named)
        for name in ("articles", "bodies", "topics", "regions", "places", "agencies"):
            setattr(kept, name, [row for row in getattr(self, name) if row[0] in positions])
        kept.names = self.names
        kept.months = month_counts(kept)
        return kept


def month_counts(rows: ChunkRows) -> Counter:
    """(facet, code, relevance, month) -> articles, over the articles of `rows` (schema.TAG_MONTHS)."""
    return _tally(
        (row[3] for row in rows.articles),
        ((row[1], row[2]) for row in rows.topics),
        ((row[1], row[3], row[2]) for row in rows.regions),
        ((row[1], row[2]) for row in rows.agencies),
    )


def _stored_month_counts(backend: Backend, seqs: list[int]) -> Counter:
    """month_counts of the stored articles `seqs`, read from their rows (before a replacement deletes them)."""
    marks = placeholders(seqs)
    return _tally(
        (published for (published,) in backend.query(f"SELECT published FROM articles WHERE seq IN ({marks})", seqs)),
        backend.query(f"SELECT code, published FROM article_topics WHERE seq IN ({marks})", seqs),
        backend.query(f"SELECT code, relevance, published FROM article_regions WHERE seq IN ({marks})", seqs),
        backend.query(f"SELECT name, published FROM article_agencies WHERE seq IN ({marks})", seqs),
    )


def _tally(articles: Iterable[str], topics: Iterable[tuple[str, str]], regions: Iterable[tuple[str, str, str]],
           agencies: Iterable[tuple[str, str]]) -> Counter:
    """The month counts of articles given by their dates, (code, date) of their topics, (code,
    relevance, date) of their regions and (name, date) of their agencies (month '' for no date):
    each article once under "all", once under each of its topics and agencies, and under each
    of its regions once with relevance '' and once with its own (a code is one row of an
    article: ChunkRows.add)."""
    counts: Counter = Counter()
    for published in articles:
        counts["all", "", "", published[:7]] += 1
    for code, published in topics:
        counts["topic", code, "", published[:7]] += 1
    for code, relevance, published in regions:
        counts["region", code, "", published[:7]] += 1
        counts["region", code, relevance, published[:7]] += 1
    for name, published in agencies:
        counts["agency", name, "", published[:7]] += 1
    return counts


@dataclass(frozen=True, slots=True)
class PreparedChunk:
    """A chunk's ids and content hashes (in chunk order) and its rows (prepare_chunk), ready for
    Store.write. No record is kept: a chunk prepared in another process is sent as this."""

    ids: list[str]
    hashes: list[str]
    rows: ChunkRows


def prepare_chunk(articles: Sequence[StoredArticle], named: set[tuple[str, str]] | frozenset = frozenset()) -> PreparedChunk:
    """The rows of `articles`, built ahead of Store.write on any thread or process (`archive add
    --tagged` builds them in a worker process: batch.stream.made_in_process), so that the
    writer spends its time in the database. Tag names of (facet, code) in `named` are not
    collected; Store.write stores the others it does not know to be stored already."""
    rows = ChunkRows(named)
    for position, article in enumerate(articles):
        rows.add(position, article)
    rows.months = month_counts(rows)
    return PreparedChunk([a.id for a in articles], [a.content_hash for a in articles], rows)


class Store:
    """Writes chunks of StoredArticle into one archive."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self._named: set[tuple[str, str]] = set()  # (facet, code) known to be in tag_names
        self._in_bulk = False
        self._indexes_checked = False  # a killed bulk load's missing indexes built (see bulk)

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """Writes of a large load; see the module docstring. Pages read while it runs into an
        empty archive are slower (no tag indexes) until it ends."""
        backend = self.backend
        with backend.loading():
            with backend.writing():
                if not backend.query("SELECT 1 FROM articles LIMIT 1"):
                    backend.drop_deferrable_indexes()
            self._in_bulk = True
            try:
                yield
            finally:
                self._in_bulk = False
                backend.create_missing_indexes()  # those dropped above, or by an earlier load killed
                self._indexes_checked = True

    def prepare(self, articles: Sequence[StoredArticle]) -> PreparedChunk:
        """prepare_chunk, less the tag names this Store knows to be stored."""
        return prepare_chunk(articles, self._named)

    def stored_hashes(self, ids: Sequence[str]) -> dict[str, tuple[int, str]]:
        """id -> (seq, content hash) of those of `ids` that are stored."""
        if not ids:
            return {}
        unique = list(dict.fromkeys(ids))
        rows = self.backend.query(f"SELECT id, seq, content_hash FROM articles WHERE id IN ({placeholders(unique)})", unique)
        return {id_: (seq, content_hash) for id_, seq, content_hash in rows}

    def write(self, chunk: Sequence[StoredArticle] | PreparedChunk, *, replace: bool = False) -> WriteCounts:
        """Store one chunk (articles, or prepare_chunk's) in one transaction; see the module
        docstring. `replace`: a stored article is replaced even when its hash is the same
        (`archive retag`: same input, new record)."""
        counts = WriteCounts()
        prepared = chunk if isinstance(chunk, PreparedChunk) else self.prepare(chunk)
        if not prepared.ids:
            return counts
        backend = self.backend
        if not (self._in_bulk or self._indexes_checked):
            backend.create_missing_indexes()
            self._indexes_checked = True
        with backend.writing():
            stored = self.stored_hashes(prepared.ids)
            current = {id_: content_hash for id_, (_, content_hash) in stored.items()}
            chosen: dict[str, int] = {}  # id -> the position of its last version to write
            for position, (id_, content_hash) in enumerate(zip(prepared.ids, prepared.hashes)):
                before = current.get(id_)
                if before is None:
                    counts.added += 1
                elif before == content_hash and not replace:
                    counts.unchanged += 1
                    continue
                else:
                    counts.replaced += 1
                current[id_] = content_hash
                chosen[id_] = position
            if not chosen:
                return counts
            old = [stored[id_][0] for id_ in chosen if id_ in stored]
            months = Counter()
            if old:
                months.subtract(_stored_month_counts(backend, old))
                marks = placeholders(old)
                backend.unindex_text(old)
                for table in TAG_TABLES:
                    backend.execute(f"DELETE FROM {table.name} WHERE seq IN ({marks})", old)
                backend.execute(f"DELETE FROM article_bodies WHERE seq IN ({marks})", old)
                backend.execute(f"DELETE FROM articles WHERE seq IN ({marks})", old)
            rows = prepared.rows
            if len(chosen) != len(prepared.ids):  # some unchanged, or an id twice: the stored ones' rows
                rows = rows.only(set(chosen.values()))
            # An article's seq is the chunk's first seq plus its position in the chunk (the seqs of
            # those not stored are left out). Writers hold the writer lock, so max(seq) + 1 is ours alone.
            first_seq = (backend.query("SELECT max(seq) FROM articles")[0][0] or 0) + 1
            added_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
            backend.insert_rows(ARTICLES.name, ARTICLES.column_names, [(*row, added_at) for row in rows.articles], first_seq)
            backend.insert_rows(ARTICLE_BODIES.name, ARTICLE_BODIES.column_names, rows.bodies, first_seq)
            backend.index_text(
                range(first_seq, first_seq + len(prepared.ids)),
                documents=((first_seq + a[0], a[3], b[1], b[2]) for a, b in zip(rows.articles, rows.bodies)),
            )
            tag_rows = rows.by_table()
            for table in TAG_TABLES:
                backend.insert_rows(table.name, table.column_names, tag_rows[table.name], first_seq)
            months.update(rows.months)
            self._count_months(months)
            # Of two names for a code, the first inserted stays.
            new_names = sorted(name for name in rows.names if name[:2] not in self._named)
            if new_names:
                backend.execute_many(
                    "INSERT INTO tag_names (facet, code, name) VALUES (?, ?, ?) ON CONFLICT (facet, code) DO NOTHING",
                    new_names,
                )
        self._named.update((facet, code) for facet, code, _ in new_names)
        return counts

    def _count_months(self, changes: Counter) -> None:
        """Add `changes` (month_counts, less those of replaced articles) to schema.TAG_MONTHS."""
        rows = [(*key, n) for key, n in sorted(changes.items()) if n]
        if rows:
            table = TAG_MONTHS.name
            self.backend.execute_many(
                f"INSERT INTO {table} ({', '.join(TAG_MONTHS.column_names)}) VALUES (?, ?, ?, ?, ?) "
                f"ON CONFLICT (facet, code, relevance, month) DO UPDATE SET articles = {table}.articles + excluded.articles",
                rows,
            )
