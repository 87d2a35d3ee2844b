"""The archive's read side: search, one article, counts per tag and per month, every record.

Query building is in filters.py (the WHERE) and facets.py (the counts); this module runs them
and turns rows into what the CLI and the web pages show.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import orjson

from newstag.archive.backends import Backend, placeholders
from newstag.archive.filters import Filters, Selection, full_text_matches, query_terms, select
from newstag.archive.schema import FULL_TEXT

STATS_BY = ("topic", "region", "agency", "month", "place")
MAX_LIMIT = 1000
# SQLite: full text is driven from the words' matches when the query matches at most this many
# articles (each is then looked up in the tag tables or `articles`, a page read apiece when not
# cached, and sorted by date), else from the tag's (or the date's) index newest first, the
# matches a set probed per index entry. 5,000 rather than 20,000: at a million articles the p99
# of full text + topic + region over the benchmark's queries fell from ~390 to ~280 ms (counting
# up to 1,000; load ~10, so relative only). PostgreSQL drives full text from its GIN index
# always (filters._pg_full_text), so it has no such threshold.
FULL_TEXT_FIRST_BELOW = {"sqlite": 5_000}
# A page's total is exact up to this many articles, then "more than COUNT_CAP" (search_page).
# Counting costs the matches read: at a million articles (load ~9, so relative only), the p99
# of full text + topic + region was ~370 ms on PostgreSQL with 200 against ~900 ms with 1,000,
# each match of a common word costing a heap page read there (then of article_bodies' wide
# rows; schema version 3 moved the tsvector to the narrow articles_fts).
COUNT_CAP = 200
# PostgreSQL full text: the newest n matches are read in date slices, newest first
# (newest_seqs). Each match read costs a heap page
# (articles_fts holds ~11 rows a page: a vector under PostgreSQL's 2 KB TOAST threshold stays in
# the row), so sorting every match of a word in 10,000 articles read 10,000 pages for the 201 a
# page needs (18 ms warm, up to 100 ms when they were not in shared buffers; 1M, measured).
# The first slice is the newest SLICE_MARGIN x n / estimate of the archive, cut at the dates'
# histogram, but at most SLICE_FIRST_MAX of it: the estimate multiplies the words' and the tags'
# frequencies as if they were independent, and they are not (`german` with DE and economy:
# estimated 1,248, matched by 25,169), so a slice too wide costs matches read, one too narrow
# only a query more (~1-2 ms). Each next slice, while the slices so far held fewer than n,
# reaches as far back again as the matches found so far say n needs (x1.5), within
# SLICE_GROWTH (x2 to x16); the last one reaches the oldest article.
SLICE_MARGIN = 2
SLICE_FIRST_MAX = 1 / 32
SLICE_GROWTH = (2, 16)


@dataclass(frozen=True, slots=True)
class Hit:
    seq: int
    id: str
    published: str | None  # YYYY-MM-DD, or None when the input gave no date
    title: str | None
    record: dict[str, Any]


def search(backend: Backend, filters: Filters, limit: int = 20, offset: int = 0) -> list[Hit]:
    """Matching articles, newest first (then the most recently stored first)."""
    limit, offset = max(0, min(limit, MAX_LIMIT)), max(0, offset)
    return articles_by_seq(backend, newest_seqs(backend, filters, limit, offset))


def plan(backend: Backend, filters: Filters, published: tuple[str | None, str | None] = (None, None)) -> Selection:
    """The Selection of `filters` (within the date slice `published`, filters.select), driven
    from the table that yields its matches soonest: SQLite full text from its matches when the
    query matches at most FULL_TEXT_FIRST_BELOW articles."""
    if backend.dialect == "postgresql" or not query_terms(filters.query):
        return select(filters, backend.dialect, published=published)
    below = FULL_TEXT_FIRST_BELOW[backend.dialect]
    return select(filters, backend.dialect, by_full_text=_full_text_matches_at_most(backend, filters, below), published=published)


def newest_seqs(backend: Backend, filters: Filters, n: int, offset: int = 0) -> list[int]:
    """The seqs of the matches number offset + 1 to offset + n, newest first (then the most
    recently stored first). PostgreSQL full text: read in date slices newest first
    (SLICE_MARGIN), stopping at the slice that completes them."""
    selection = plan(backend, filters)
    order = "ORDER BY d.published DESC, d.seq DESC LIMIT ?"
    bounds: list[str] = []
    if backend.dialect == "postgresql" and selection.by_full_text:
        # Even when estimated at fewer than n matches: an estimate of a word with a tag it goes
        # with (`turkey` with TR) may be a hundredth of the count, and sorting them all then cost
        # 17 ms warm, 70 ms cold, where slices find no more than a few matches too many. A query
        # with few matches indeed costs two or three slices, each a scan of the index.
        estimate = max(_estimated_rows(backend, selection.seqs(), selection.params), 1.0)
        bounds = _published_bounds(backend)
        reach = min(SLICE_MARGIN * (offset + n) / estimate, SLICE_FIRST_MAX)
        newest = backend.query(f"SELECT max(published) FROM {FULL_TEXT.fts_table}")[0][0]
        if not newest or newest == date.max.isoformat():
            bounds = []  # no article has a date (or one has the last there is): one query
    if not bounds:
        rows = backend.query(f"{selection.seqs()} {order} OFFSET ?", (*selection.params, n, offset))
        return [seq for (seq,) in rows]
    wanted = offset + n
    seqs: list[int] = []
    upper: str | None = (date.fromisoformat(newest) + timedelta(days=1)).isoformat()  # every slice's bounds are dates
    while True:
        # The slice's lower bound: the date `reach` of the way back from the newest (by the
        # histogram), moved further back past bounds not below the upper one; None: the rest.
        lower: str | None = None
        while reach < 1:
            lower = bounds[int((1 - reach) * (len(bounds) - 1))] or None  # '' (no date) sorts first
            if lower is not None and lower < upper:
                break
            reach, lower = reach * SLICE_GROWTH[0], None
        sliced = plan(backend, filters, published=(lower, upper))
        seqs += [seq for (seq,) in backend.query(f"{sliced.seqs()} {order}", (*sliced.params, wanted - len(seqs)))]
        if len(seqs) >= wanted or lower is None:
            return seqs[offset:]
        growth = 1.5 * wanted / len(seqs) if seqs else SLICE_GROWTH[1]
        upper, reach = lower, reach * min(max(growth, SLICE_GROWTH[0]), SLICE_GROWTH[1])


def _published_bounds(backend: Backend) -> list[str]:
    """PostgreSQL: the histogram of articles_fts.published that ANALYZE keeps (its bounds,
    ascending; ~1,000 parts, schema.PG_PUBLISHED_STATISTICS), or [] before any ANALYZE."""
    rows = backend.query(
        "SELECT histogram_bounds::text::text[] FROM pg_stats WHERE schemaname = current_schema() "
        f"AND tablename = '{FULL_TEXT.fts_table}' AND attname = 'published'"
    )
    return list(rows[0][0]) if rows and rows[0][0] else []


def _full_text_matches_at_most(backend: Backend, filters: Filters, n: int) -> bool:
    # SQLite: counted up to n + 1: reads at most that many entries of the index (fts5vocab's
    # count of a word reads all of its entries: 65 ms for one in 213,000 articles, measured).
    sql, params = full_text_matches(filters.query, backend.dialect)
    return backend.query(f"SELECT count(*) FROM ({sql} LIMIT {n + 1}) m", params)[0][0] <= n


def _estimated_rows(backend: Backend, sql: str, params: Sequence[Any]) -> float:
    estimate = backend.query(f"EXPLAIN (FORMAT JSON) {sql}", params)[0][0]
    if isinstance(estimate, str):
        estimate = orjson.loads(estimate)
    return estimate[0]["Plan"]["Plan Rows"]


@dataclass(frozen=True, slots=True)
class Total:
    """How many articles match, as a page shows it: exact up to a cap, else "more than `value`"."""

    value: int  # the number of matches, or the cap when more match
    is_lower_bound: bool  # True: more than `value` articles match (counting stopped at the cap)


@dataclass(frozen=True, slots=True)
class Page:
    hits: list[Hit]  # newest first
    total: Total


def search_page(backend: Backend, filters: Filters, limit: int = 20, offset: int = 0, cap: int | None = None) -> Page:
    """A page of matches (as `search`) and their total counted up to `cap` (at least up to the
    page's end, so that whether a next page exists is known), in one walk of the matches newest
    first: the page and the count read the same rows once, and never more than cap + 1 matches,
    where an exact count of a common word with a common tag reads every one of them."""
    limit, offset = max(0, min(limit, MAX_LIMIT)), max(0, offset)
    cap = max(COUNT_CAP if cap is None else int(cap), offset + limit)
    seqs = newest_seqs(backend, filters, cap + 1)
    total = Total(cap, True) if len(seqs) > cap else Total(len(seqs), False)
    return Page(articles_by_seq(backend, seqs[offset : offset + limit]), total)


def count(backend: Backend, filters: Filters) -> int:
    """The exact number of matching articles (`archive search --count`); pages use search_page."""
    selection = plan(backend, filters)
    if selection.full_text_only:  # no article row need be read
        sql, params = full_text_matches(filters.query, backend.dialect)
        return backend.query(f"SELECT count(*) FROM ({sql}) m", params)[0][0]
    return backend.query(f"SELECT count(*) FROM {selection.source} WHERE {selection.where}", selection.params)[0][0]


def articles_by_seq(backend: Backend, seqs: list[int]) -> list[Hit]:
    if not seqs:
        return []
    rows = backend.query(
        f"SELECT a.seq, a.id, a.published, a.title, b.record FROM articles a JOIN article_bodies b ON b.seq = a.seq "
        f"WHERE a.seq IN ({placeholders(seqs)})", seqs
    )
    by_seq = {row[0]: row for row in rows}
    return [_hit(by_seq[seq]) for seq in seqs if seq in by_seq]


def get_article(backend: Backend, article_id: str) -> Hit | None:
    rows = backend.query(
        "SELECT a.seq, a.id, a.published, a.title, b.record FROM articles a JOIN article_bodies b ON b.seq = a.seq "
        "WHERE a.id = ?", (article_id,)
    )
    return _hit(rows[0]) if rows else None


def article_text(backend: Backend, article_id: str) -> str | None:
    rows = backend.query("SELECT b.text FROM articles a JOIN article_bodies b ON b.seq = a.seq WHERE a.id = ?", (article_id,))
    return rows[0][0] if rows else None


def _hit(row: tuple) -> Hit:
    seq, id_, published, title, record = row
    return Hit(seq, id_, published or None, title, orjson.loads(record))


def total(backend: Backend) -> int:
    return backend.query("SELECT count(*) FROM articles")[0][0]


def stats(backend: Backend, by: str, limit: int | None = None) -> list[tuple[str, str, int]]:
    """(value, name, articles) per topic / region / agency / place / month, most first (months in order)."""
    if by not in STATS_BY:
        raise ValueError(f"stats by one of {', '.join(STATS_BY)}, not {by!r}")
    tail = f" LIMIT {int(limit)}" if limit else ""
    if by == "month":
        every_month = months(backend, Filters())
        return [(month, month, n) for month, n in (every_month[: int(limit)] if limit else every_month)]
    if by == "place":
        counted = "(SELECT geonameid AS value, count(*) AS n FROM article_places GROUP BY geonameid) c"
        value, facet = "CAST(c.value AS TEXT)", "place"
    else:
        # The sums of the month counts (schema.TAG_MONTHS): a few rows per tag and month, where
        # counting the tag table reads every row of it.
        counted = (f"(SELECT code AS value, sum(articles) AS n FROM tag_months WHERE facet = '{by}' AND relevance = '' "
                   f"GROUP BY code HAVING sum(articles) > 0) c")
        value, facet = "c.value", {"topic": "topic", "region": "region", "agency": ""}[by]
    rows = backend.query(
        f"SELECT {value}, coalesce(t.name, {value}), c.n FROM {counted} "
        f"LEFT JOIN tag_names t ON t.facet = ? AND t.code = {value} ORDER BY c.n DESC, {value}" + tail,
        (facet,),
    )
    return [(str(v), name, n) for v, name, n in rows]


def months(backend: Backend, filters: Filters) -> list[tuple[str, int]]:
    """(YYYY-MM, articles) for the matching articles with a date, in month order (the tag pages' chart).
    A topic, a region (with or without a relevance) or an agency alone, or no filter: read from
    the counts kept per month (schema.TAG_MONTHS); other filters: counted over the matches."""
    given = filters.given()
    kept = _kept_months_key(given)
    if kept is not None:
        return [
            (month, n) for month, n in backend.query(
                "SELECT month, articles FROM tag_months WHERE facet = ? AND code = ? AND relevance = ? AND month <> '' "
                "AND articles > 0 ORDER BY month", kept
            )
        ]
    selection = plan(backend, filters)
    return [
        (month, n) for month, n in backend.query(
            f"SELECT substr(d.published, 1, 7) AS month, count(*) FROM {selection.source} "
            f"WHERE {selection.where} AND d.published <> '' GROUP BY month ORDER BY month",
            selection.params,
        )
    ]


def _kept_months_key(given: dict[str, Any]) -> tuple[str, str, str] | None:
    """(facet, code, relevance) of the tag_months rows that answer Filters `given`, or None."""
    if not given:
        return ("all", "", "")
    if set(given) == {"topic"}:
        return ("topic", given["topic"], "")
    if set(given) <= {"region", "relevance"} and "region" in given:
        return ("region", given["region"], given.get("relevance") or "")
    if set(given) == {"agency"}:
        return ("agency", given["agency"], "")
    return None


def iter_records(backend: Backend) -> Iterator[str]:
    """Every stored record (JSON text), in the order stored."""
    for (record,) in backend.iterate("SELECT record FROM article_bodies ORDER BY seq"):
        yield record


def iter_sources(backend: Backend, page: int = 256) -> Iterator[tuple[str, str | None, str | None, str, str, str]]:
    """(id, title, text, published, source JSON, record JSON) of every article stored when the
    iteration began, in the order stored (for retag). Paged by seq, so that writes between pages
    (retag's own, whose new rows get higher seqs) are neither blocked nor revisited."""
    last, upto = 0, backend.query("SELECT coalesce(max(seq), 0) FROM articles")[0][0]
    while True:
        rows = backend.query(
            "SELECT a.seq, a.id, a.title, b.text, a.published, a.source, b.record "
            "FROM articles a JOIN article_bodies b ON b.seq = a.seq "
            "WHERE a.seq > ? AND a.seq <= ? ORDER BY a.seq LIMIT ?",
            (last, upto, page),
        )
        if not rows:
            return
        last = rows[-1][0]
        for row in rows:
            yield row[1:]
