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
                       at the end (schema.deferrable_indexes). Killed before the end, the archive
                       keeps its committed chunks whole; the next write (any Store's first chunk,
                       or the next bulk load's end) builds the indexes. Readers never build them:
                       a page opened while a bulk load runs must not undo it. Its session
                       settings: Backend.loading().
    ChunkRows          the rows of a chunk for every table, in one pass over each record
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
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
    """The rows one chunk inserts into each table, built in one pass over each record."""

    __slots__ = ("articles", "bodies", "topics", "regions", "places", "agencies", "names", "_named")

    def __init__(self, named: set[tuple[str, str]]) -> None:
        self.articles: list[tuple] = []
        self.bodies: list[tuple] = []
        self.topics: list[tuple] = []
        self.regions: list[tuple] = []
        self.places: list[tuple] = []
        self.agencies: list[tuple] = []
        self._named = named  # (facet, code) already in tag_names: not collected again
        self.names: set[tuple[str, str, str]] = set()  # (facet, code, name) of the others

    def add(self, seq: int, article: StoredArticle, added_at: str) -> None:
        record, published, named, names = article.record, article.published, self._named, self.names
        self.articles.append((
            seq, article.id, article.content_hash, published, article.title,
            orjson.dumps(article.source).decode(), added_at,
        ))
        self.bodies.append((seq, article.title, article.text, article.record_json))
        # A code listed twice in a record is one row, its first entry's.
        seen: set = set()
        for t in record.get("general") or ():
            code = t["code"]
            if code not in seen:
                seen.add(code)
                self.topics.append((seq, code, published, t["level"], t["score"]))
                if ("topic", code) not in named:
                    names.add(("topic", code, t["label"]))
        seen.clear()
        for r in record.get("regions") or ():
            code = r["code"]
            if code not in seen:
                seen.add(code)
                self.regions.append((seq, code, published, r["relevance"], r["kind"], r["score"]))
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
                places[gid] = [seq, gid, published, p["start"], p["end"], 1]
                if ("place", str(gid)) not in named:
                    names.add(("place", str(gid), p["name"]))
        self.places.extend(tuple(p) for p in places.values())
        self.agencies.extend((seq, name, published) for name in dict.fromkeys(record.get("agencies") or ()))

    def by_table(self) -> dict[str, list[tuple]]:
        return {
            ARTICLE_TOPICS.name: self.topics,
            ARTICLE_REGIONS.name: self.regions,
            ARTICLE_PLACES.name: self.places,
            ARTICLE_AGENCIES.name: self.agencies,
        }


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

    def stored_hashes(self, ids: Sequence[str]) -> dict[str, tuple[int, str]]:
        """id -> (seq, content hash) of those of `ids` that are stored."""
        if not ids:
            return {}
        unique = list(dict.fromkeys(ids))
        rows = self.backend.query(f"SELECT id, seq, content_hash FROM articles WHERE id IN ({placeholders(unique)})", unique)
        return {id_: (seq, content_hash) for id_, seq, content_hash in rows}

    def write(self, articles: Sequence[StoredArticle], *, replace: bool = False) -> WriteCounts:
        """Store one chunk in one transaction; see the module docstring. `replace`: a stored
        article is replaced even when its hash is the same (`archive retag`: same input, new record)."""
        counts = WriteCounts()
        if not articles:
            return counts
        backend = self.backend
        if not (self._in_bulk or self._indexes_checked):
            backend.create_missing_indexes()
            self._indexes_checked = True
        with backend.writing():
            stored = self.stored_hashes([a.id for a in articles])
            current = {id_: content_hash for id_, (_, content_hash) in stored.items()}
            chosen: dict[str, StoredArticle] = {}  # the last version of each id to write
            for article in articles:
                before = current.get(article.id)
                if before is None:
                    counts.added += 1
                elif before == article.content_hash and not replace:
                    counts.unchanged += 1
                    continue
                else:
                    counts.replaced += 1
                current[article.id] = article.content_hash
                chosen[article.id] = article
            if not chosen:
                return counts
            old = [stored[id_][0] for id_ in chosen if id_ in stored]
            if old:
                marks = placeholders(old)
                backend.unindex_text(old)
                for table in TAG_TABLES:
                    backend.execute(f"DELETE FROM {table.name} WHERE seq IN ({marks})", old)
                backend.execute(f"DELETE FROM article_bodies WHERE seq IN ({marks})", old)
                backend.execute(f"DELETE FROM articles WHERE seq IN ({marks})", old)
            # Writers hold the writer lock, so max(seq) + 1 is ours alone.
            next_seq = (backend.query("SELECT max(seq) FROM articles")[0][0] or 0) + 1
            added_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
            rows = ChunkRows(self._named)
            for seq, article in enumerate(chosen.values(), start=next_seq):
                rows.add(seq, article, added_at)
            backend.insert_rows(ARTICLES.name, ARTICLES.column_names, rows.articles)
            backend.insert_rows(ARTICLE_BODIES.name, ARTICLE_BODIES.column_names, rows.bodies)
            backend.index_text(range(next_seq, next_seq + len(rows.bodies)))
            tag_rows = rows.by_table()
            for table in TAG_TABLES:
                backend.insert_rows(table.name, table.column_names, tag_rows[table.name])
            new_names = sorted(rows.names)  # of two names for a code, the first inserted stays
            if new_names:
                backend.execute_many(
                    "INSERT INTO tag_names (facet, code, name) VALUES (?, ?, ?) ON CONFLICT (facet, code) DO NOTHING",
                    new_names,
                )
        self._named.update((facet, code) for facet, code, _ in new_names)
        return counts
