"""Filters -> SQL: the WHERE of every search, built here and nowhere else (not in the views).

A search is driven from one table, `d`, that holds (seq, published) for every article it can
return: the tag table of the first tag filter given (region, topic, place, agency, in that
order), else `articles`. Its index (tag, published, seq) yields the matches newest first, so a
page of 20 reads 20 index entries however many articles match. Every other filter is an EXISTS
on its tag table's primary key (seq, tag), and full text a match on the dialect's index.
PostgreSQL full text is the exception: `d` is articles_fts, whose GIN index holds the words and
the tag keys, so one index scan finds the articles matching every filter (_pg_full_text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any

from newstag.archive.schema import FTS_CONFIG, FULL_TEXT, PG_TAG_KEYS, pg_date_keys, pg_tag_key
from newstag.errors import InputError

RELEVANCES = ("about", "mentioned")
# A full-text query: "quoted phrases" and single words; every one must occur (AND).
_TERM_RE = re.compile(r'"([^"]*)"|(\S+)')
_WORD_RE = re.compile(r"\w+")
MAX_QUERY_CHARS = 500
MAX_QUERY_TERMS = 16


class FilterError(InputError):
    """A filter value that cannot be used (a bad date, --relevance without --region, ...)."""


@dataclass(frozen=True, slots=True)
class Filters:
    query: str | None = None  # full text over title and text
    topic: str | None = None  # an IPTC code, medtop:11000000
    region: str | None = None  # ISO 3166-1 alpha-2 or UN M49 code: CU, 419
    relevance: str | None = None  # about | mentioned (of `region`)
    place: int | None = None  # a GeoNames id
    agency: str | None = None  # as the record names it: Reuters, AFP
    since: str | None = None  # YYYY-MM-DD, inclusive
    until: str | None = None  # YYYY-MM-DD, inclusive

    def __post_init__(self) -> None:
        if self.relevance is not None:
            if self.relevance not in RELEVANCES:
                raise FilterError(f"relevance must be one of {', '.join(RELEVANCES)}, not {self.relevance!r}")
            if self.region is None:
                raise FilterError("relevance is the relevance of a region: give a region too (--region CU --relevance about)")
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None:
                try:
                    date.fromisoformat(value)
                except ValueError:
                    raise FilterError(f"{name} must be a date as YYYY-MM-DD, not {value!r}") from None
        if self.query is not None and len(self.query) > MAX_QUERY_CHARS:
            raise FilterError(f"the search query is {len(self.query):,} characters; at most {MAX_QUERY_CHARS} are searched")

    @classmethod
    def clean(cls, **values: Any) -> Filters:
        """Filters from loose values (a form, a query string): empty strings are no filter."""
        known = {f.name for f in fields(cls)}
        given = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items() if k in known}
        given = {k: v for k, v in given.items() if v not in (None, "")}
        if "place" in given:
            try:
                given["place"] = int(given["place"])
            except (TypeError, ValueError):
                raise FilterError(f"place must be a GeoNames id (a number), not {given['place']!r}") from None
        return cls(**given)

    def given(self) -> dict[str, Any]:
        """The filters set, by name (for links and the JSON answer)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None}

    def with_(self, **changes: Any) -> Filters:
        return replace(self, **changes)


def query_terms(query: str | None) -> list[list[str]]:
    """The query's terms, each the words of one phrase or one word: `"oil price" opec` ->
    [["oil", "price"], ["opec"]]. Punctuation separates words, as both full-text indexes do."""
    if not query:
        return []
    terms = []
    for phrase, word in _TERM_RE.findall(query):
        words = _WORD_RE.findall(phrase or word)
        if words:
            terms.append(words)
    return terms[:MAX_QUERY_TERMS]


@dataclass(frozen=True, slots=True)
class Selection:
    """`SELECT ... FROM {source} WHERE {where}`: the articles matching some Filters."""

    source: str  # e.g. "article_regions d"
    where: str
    params: tuple[Any, ...]
    full_text_only: bool = False  # the one filter is full text: counted from its index alone
    # The words' matches drive: SQLite each looked up in `d` by its key; PostgreSQL always, `d`
    # being articles_fts's matches of every filter (_pg_full_text; read in date slices).
    by_full_text: bool = False

    def seqs(self) -> str:
        return f"SELECT d.seq FROM {self.source} WHERE {self.where}"


_TAG_FILTERS = (  # (filter, table, column), in the order that picks the driving table
    ("region", "article_regions", "code"),
    ("topic", "article_topics", "code"),
    ("place", "article_places", "geonameid"),
    ("agency", "article_agencies", "name"),
)


def select(filters: Filters, dialect: str, by_full_text: bool = False,
           published: tuple[str | None, str | None] = (None, None)) -> Selection:
    """`by_full_text` (SQLite, with full text): drive from the full-text matches, each looked up
    in `d` (the first tag filter's table, else `articles`) by its key, instead of walking d's
    index newest first, (tag, published, seq) or (published, seq): right when the query matches
    few articles (see queries.plan). A tag table holds `published`: with a tag filter, no
    `articles` row is read to sort. PostgreSQL full text is always driven from its GIN index,
    tags included (_pg_full_text). `published` = (lower, upper): only the articles with
    lower <= published < upper (either None: unbounded), a date slice of the result
    (queries.newest_seqs)."""
    matching = full_text_matches(filters.query, dialect)
    if matching is not None and dialect == "postgresql":
        return _pg_full_text(filters, published)
    where: list[str] = []
    params: list[Any] = []
    driving = next((spec for spec in _TAG_FILTERS if getattr(filters, spec[0]) is not None), None)
    source = f"{driving[1]} d" if driving else "articles d"
    by_full_text = by_full_text and matching is not None
    if driving is not None:
        where.append(f"d.{driving[2]} = ?")
        params.append(getattr(filters, driving[0]))
        if driving[0] == "region" and filters.relevance:
            where.append("d.relevance = ?")
            params.append(filters.relevance)
    if matching is not None:
        # SQLite: `+d.seq` (no index may serve it) keeps d's index driving, the matches a set
        # built once and probed per row; given `d.seq IN`, its planner drives from the matches
        # whatever their number (2.4 s for a word in 213,000 articles and US, measured).
        # Before the other tags' EXISTS: SQLite tests the terms in this order, and a probe of the
        # set is cheaper than a lookup in a tag table (a page read, when not in the cache).
        where.append(f"{'d.seq' if by_full_text else '+d.seq'} IN ({matching[0]})")
        params.extend(matching[1])
    for name, table, column in _TAG_FILTERS:
        value = getattr(filters, name)
        if value is None or (name, table, column) == driving:
            continue
        extra = " AND x.relevance = ?" if name == "region" and filters.relevance else ""
        where.append(f"EXISTS (SELECT 1 FROM {table} x WHERE x.seq = d.seq AND x.{column} = ?{extra})")
        params.append(value)
        if extra:
            params.append(filters.relevance)
    date_where, date_params = _dates(filters, published, "d")
    where += date_where
    params += date_params
    only_full_text = matching is not None and set(filters.given()) == {"query"}
    return Selection(source, " AND ".join(where) or "TRUE", tuple(params), full_text_only=only_full_text,
                     by_full_text=by_full_text)


def _dates(filters: Filters, published: tuple[str | None, str | None], alias: str) -> tuple[list[str], list[Any]]:
    """The conditions on `alias`.published of --since / --until and of a date slice."""
    where: list[str] = []
    params: list[Any] = []
    if filters.since:
        where.append(f"{alias}.published >= ?")
        params.append(filters.since)
    if filters.until:
        where.append(f"{alias}.published <= ? AND {alias}.published <> ''")  # '' (no date) sorts before every date
        params.append(filters.until)
    lower, upper = published
    if lower is not None:
        where.append(f"{alias}.published >= ?")
        params.append(lower)
    if upper is not None:
        where.append(f"{alias}.published < ?")
        params.append(upper)
    return where, params


def pg_tag_keys(filters: Filters) -> list[str]:
    """The keys (schema.pg_tag_key) that articles_fts.tags holds for an article matching every
    tag filter of `filters`."""
    keys = []
    for prefix, table, _ in PG_TAG_KEYS:
        name = next(name for name, tag_table, _ in _TAG_FILTERS if tag_table == table)
        value = getattr(filters, name)
        if value is not None:
            keys.append(pg_tag_key(prefix, value, filters.relevance if name == "region" else None))
    return keys


def _pg_full_text(filters: Filters, published: tuple[str | None, str | None]) -> Selection:
    """PostgreSQL full text, with any tag and date filters, as one condition on articles_fts:
    its GIN index (over the vector and the tag keys, schema version 6) finds the articles with
    the words and every tag, and only those rows are read; they hold `published` to sort by.
    Joined to the tag tables instead, no plan was cheap for every query (m0006's docstring).
    OFFSET 0 keeps the subquery whole, its matches found from the index first: left to itself,
    for ORDER BY ... LIMIT the planner walks (published, seq) newest first testing each row's
    vector (a TOAST read apiece) whenever its estimate promises LIMIT matches soon; for a word
    outside its statistics (estimated at ~5,000 of a million) in 1,678 articles, 160,000 rows
    tested (280 ms, measured). Newest first without reading every match: queries.newest_seqs
    asks for date slices (`published`, both bounds YYYY-MM-DD), found in the index too."""
    condition, params = _pg_full_text_condition(query_terms(filters.query), "f")
    where = [condition]
    keys = pg_tag_keys(filters)
    if keys:
        where.append("f.tags @> CAST(? AS text[])")
        params.append(keys)
    lower, upper = published
    if lower is not None and upper is not None:
        # The slice as date keys, which the GIN index ANDs with the rest (schema.pg_date_keys):
        # exact, so no `published` range is given besides, which the planner might read by its
        # own index instead, testing every row of the slice.
        where.append("f.tags && CAST(? AS text[])")
        params.append(pg_date_keys(lower, upper))
        published = (None, None)
    date_where, date_params = _dates(filters, published, "f")
    where += date_where
    params += date_params
    source = f"(SELECT f.seq, f.published FROM {FULL_TEXT.fts_table} f WHERE {' AND '.join(where)} OFFSET 0) d"
    return Selection(source, "TRUE", tuple(params), full_text_only=set(filters.given()) == {"query"}, by_full_text=True)


def full_text_matches(query: str | None, dialect: str) -> tuple[str, list[str]] | None:
    """(SELECT of the seqs of the articles matching `query`, its parameters), or None for no query."""
    terms = query_terms(query)
    if not terms:
        return None
    if dialect == "sqlite":
        # Each term an FTS5 phrase of its words: "oil price" "opec" (words are \w+, no quotes).
        match = " ".join('"' + " ".join(words) + '"' for words in terms)
        return "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", [match]
    condition, params = _pg_full_text_condition(terms, "f")
    return f"SELECT f.seq FROM articles_fts f WHERE {condition}", params


def _pg_full_text_condition(terms: list[list[str]], alias: str) -> tuple[str, list[str]]:
    """PostgreSQL: `alias.fts @@ (...)` over articles_fts for the query's terms, with its parameters."""
    tsquery = " && ".join(f"phraseto_tsquery('{FTS_CONFIG}', ?)" for _ in terms)
    return f"{alias}.fts @@ ({tsquery})", [" ".join(words) for words in terms]
