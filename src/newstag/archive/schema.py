"""The archive's schema, described once and rendered for each SQL dialect (sqlite, postgresql).

    articles          one row per article id: its title, date, content hash, input kind (narrow,
                      so that sorting thousands of full-text matches by date reads few pages)
    article_bodies    its text and full record (and the title again, for the full-text index)
    article_topics    (article, IPTC code): every `general` entry of the record
    article_regions   (article, region code, relevance): every `regions` entry
    article_places    (article, GeoNames id): each resolved place once, with its first mention's
                      offsets and the number of mentions (every mention stays in the record)
    article_agencies  (article, agency name)
    tag_names         (facet, code) -> the name to show (topic label, region name, place name)
    tag_months        (facet, code, relevance, month) -> articles: the month charts' and the
                      stats' counts, kept
                      in step by every write (schema version 4; see m0004 and store.month_counts)
    full text         title and text of article_bodies: SQLite FTS5 (an external-content table
                      the backend keeps in step); PostgreSQL a narrow table `articles_fts`
                      (seq, published, tsvector, tags) with a GIN index over the vector and the tags,
                      filled by the backend in the same transaction as the article (schema
                      versions 3 and 6; see m0003, m0006)

Every tag table carries the article's `published` date beside its `seq`, so that a tag page
(newest first, LIMIT n) walks one index in order instead of sorting every match.
`published` is the ISO date the input gave (YYYY-MM-DD), or '' when it gave none: never NULL,
so that both dialects sort it the same way (NULL sorts last in SQLite and first in PostgreSQL).

Full text uses no stemming and no stop words in either dialect, and both remove accents (FTS5
`unicode61 remove_diacritics 2`; PostgreSQL `newstag_text`, the `simple` configuration with the `unaccent`
dictionary before it), so that a query finds the same articles in both: "Sao Paulo" finds "São
Paulo" and the other way round. (Letters with no accent to remove in Unicode, like ł, ø and ß,
unaccent folds, FTS5 keeps: "Lodz" finds "Łódź" in PostgreSQL only.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

DIALECTS = ("sqlite", "postgresql")
# PostgreSQL's text search configuration (schema version 5, m0005): `simple` with accents
# removed (the `unaccent` extension), as SQLite's FTS5 `unicode61` removes them.
FTS_CONFIG = "newstag_text"
# SQLite's FTS5 tokenizer: accents removed also from letters with more than one (Nguyễn ->
# nguyen), which `remove_diacritics 1`, the default, leaves whole (schema version 5).
SQLITE_TOKENIZER = "unicode61 remove_diacritics 2"
PG_FTS_STATISTICS = 1000  # PostgreSQL's statistics target of the tsvector column (render_full_text)
PG_PUBLISHED_STATISTICS = 1000  # and of articles_fts.published (render_full_text)

# Abstract column types -> each dialect's.
_TYPES = {
    "seq": {"sqlite": "INTEGER", "postgresql": "BIGINT"},
    "int": {"sqlite": "INTEGER", "postgresql": "INTEGER"},
    "bigint": {"sqlite": "INTEGER", "postgresql": "BIGINT"},
    "real": {"sqlite": "REAL", "postgresql": "DOUBLE PRECISION"},
    "text": {"sqlite": "TEXT", "postgresql": "TEXT"},
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a key of _TYPES
    nullable: bool = False
    default: str | None = None  # an SQL literal valid in both dialects


@dataclass(frozen=True)
class Index:
    name: str
    columns: tuple[str, ...]
    unique: bool = False


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    indexes: tuple[Index, ...] = ()
    # SQLite: store rows in the primary-key b-tree (a tag table is all key: half the size).
    without_rowid: bool = False

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


@dataclass(frozen=True)
class FullText:
    """Full-text search over `columns` of `table`, whose integer key is `key`."""

    table: str
    key: str
    columns: tuple[str, ...]
    name: str = field(default="")

    @property
    def fts_table(self) -> str:  # SQLite's virtual table
        return self.name or f"{self.table}_fts"


def render_table(table: Table, dialect: str) -> list[str]:
    cols = []
    for c in table.columns:
        sql = f"{c.name} {_TYPES[c.type][dialect]}"
        if not c.nullable:
            sql += " NOT NULL"
        if c.default is not None:
            sql += f" DEFAULT {c.default}"
        cols.append(sql)
    cols.append(f"PRIMARY KEY ({', '.join(table.primary_key)})")
    tail = " WITHOUT ROWID" if table.without_rowid and dialect == "sqlite" else ""
    statements = [f"CREATE TABLE {table.name} (\n  " + ",\n  ".join(cols) + f"\n){tail}"]
    statements += [render_index(table.name, index) for index in table.indexes]
    return statements


def render_index(table: str, index: Index) -> str:
    unique = "UNIQUE " if index.unique else ""
    return f"CREATE {unique}INDEX {index.name} ON {table} ({', '.join(index.columns)})"


def render_full_text(ft: FullText, dialect: str) -> list[str]:
    if dialect == "sqlite":
        # External content: the index holds no copy of the text. It is kept in step by the
        # backend (SqliteBackend.index_text / unindex_text), not by triggers: a trigger per
        # row made storing three times slower (0.45 ms against 0.13 ms per article, measured).
        return [
            f"CREATE VIRTUAL TABLE {ft.fts_table} USING fts5({', '.join(ft.columns)}, content='{ft.table}', "
            f"content_rowid='{ft.key}', tokenize='{SQLITE_TOKENIZER}')",
            # How many articles hold a word, read off the index (all of its entries: queries.plan
            # counts a query's matches with a LIMIT instead).
            f"CREATE VIRTUAL TABLE {ft.fts_table}_vocab USING fts5vocab({ft.fts_table}, 'row')",
        ]
    # PostgreSQL: a table of its own, not a column of article_bodies. Every full-text match is
    # a heap visit; in article_bodies that is a wide row (title, text, record: 5 a page, plus
    # TOAST) per match. Here a row is (seq, published, tsvector): 11 a page (200,000 articles,
    # measured: 17,498 pages against article_bodies' 37,155 and its TOAST's 25,114). A vector
    # over PostgreSQL's ~2 KB TOAST threshold is moved out of line down to toast_tuple_target
    # (128 bytes) instead of to ~2 KB, so long articles take no more room in the row than a
    # pointer. `published` lets a full-text search without a tag filter sort its matches here,
    # or walk (published, seq) newest first testing each row, without a join to `articles`
    # (filters.select). `tags` (schema version 6): the article's tag and date keys (pg_tag_key,
    # pg_tag_keys_of), so that full text with tag filters, in a date slice, is answered by this
    # table's GIN index alone (see m0006).
    return [
        f"CREATE TABLE {ft.fts_table} (\n  {ft.key} BIGINT NOT NULL,\n  published TEXT NOT NULL DEFAULT '',\n"
        f"  fts tsvector NOT NULL,\n  tags TEXT[] NOT NULL DEFAULT '{{}}',\n  PRIMARY KEY ({ft.key})\n) WITH (toast_tuple_target = 128)",
        # ANALYZE keeps the frequencies of 10 x this many words (default 100 -> 1,000 words); a
        # word outside them is estimated at half the rarest kept one's frequency (~5,000 of a
        # million with the default, for words in 1,678 and in 18,458 articles alike), and the
        # search plans its sort from that estimate (queries.plan). With 1,000: the slowest
        # benchmark words' estimates within 1% of their counts; ANALYZE of a million ~6 s (measured).
        f"ALTER TABLE {ft.fts_table} ALTER COLUMN fts SET STATISTICS {PG_FTS_STATISTICS}",
        # The dates' histogram, in 1,000 parts rather than 100: a search reads its matches newest
        # first in date slices cut at its bounds (queries.newest_seqs), the first slice as narrow
        # as a thousandth of the archive for a query that matches many articles.
        f"ALTER TABLE {ft.fts_table} ALTER COLUMN published SET STATISTICS {PG_PUBLISHED_STATISTICS}",
        pg_gin_index(ft)[1],
        _pg_published_index(ft)[1],
    ]


def pg_document(ft: FullText, prefix: str = "") -> str:
    """The SQL expression of the text PostgreSQL indexes: the columns (each `prefix` + name)
    joined by a space, as pg_words."""
    return pg_words(" || ' ' || ".join(f"coalesce({prefix}{c}, '')" for c in ft.columns))


def pg_words(text_sql: str) -> str:
    """`text_sql` with every run of punctuation made a space, before PostgreSQL's parser reads it
    (schema version 5). FTS5 splits words at every character that is not a letter or a digit;
    PostgreSQL's parser keeps "8.5", "dlrs/bbl" (a file path) and URLs whole and drops
    "<United Asian Bank Bhd>" (an XML tag), so that the search for "United" or "10.4 mln" (its
    words: 10, 4, mln) found articles in SQLite and none in PostgreSQL (measured on the Reuters
    dev mix)."""
    return f"regexp_replace({text_sql}, '[[:punct:]]+', ' ', 'g')"


def pg_gin_index(ft: FullText) -> tuple[str, str]:
    # Both columns in one GIN index: a scan for a word and two tags steps through the three
    # posting lists together, skipping ahead in the long ones (a region's 600,000 entries) to the
    # next entry of the shortest, instead of building a bitmap of each and ANDing them.
    name = f"{ft.fts_table}_gin"
    return name, f"CREATE INDEX {name} ON {ft.fts_table} USING GIN (fts, tags)"


# PostgreSQL: the tag tables whose values articles_fts.tags holds, as (key prefix, table, column).
# A key is `prefix:value`, a region's also `r:value:relevance`: `t:medtop:11000000`, `r:CU`,
# `r:CU:about`, `p:3553478`, `a:Reuters`. Equality of a key is equality of the tag table's
# column, so `tags @> keys` selects what the tag tables' EXISTS select (filters.select).
PG_TAG_KEYS = (("t", "article_topics", "code"), ("r", "article_regions", "code"), ("p", "article_places", "geonameid"),
               ("a", "article_agencies", "name"))
# Beside them, the article's date as a year, a month and a day key (`y:2024`, `m:2024-03`,
# `d:2024-03-05`; none when it has no date): a date slice is then a condition of the GIN index
# too (pg_date_keys), and a slice reads only the matches in it. As a `published` range ANDed
# in by the planner it did not: estimating 401 of the 8,239 matches of a slice, it read all
# 25,169 matches of the query and dropped those outside (1M articles, measured).


def pg_tag_key(prefix: str, value: object, relevance: str | None = None) -> str:
    """The key of one tag value in articles_fts.tags (PG_TAG_KEYS)."""
    return f"{prefix}:{value}" if relevance is None else f"{prefix}:{value}:{relevance}"


def pg_tag_keys_of(seq: str, published: str) -> str:
    """SQL: the text[] of the keys of the article whose seq and date are the SQL `seq` and
    `published`: its tags' (pg_tag_key, read from the tag tables, each by its primary key, seq
    first) and its date's."""
    parts = []
    for prefix, table, column in PG_TAG_KEYS:
        parts.append(f"SELECT '{prefix}:' || x.{column} FROM {table} x WHERE x.seq = {seq}")
        if table == "article_regions":
            parts.append(f"SELECT '{prefix}:' || x.{column} || ':' || x.relevance FROM {table} x WHERE x.seq = {seq}")
    # `published` is YYYY-MM-DD or '' (store.parse_date).
    parts.append(f"SELECT unnest(ARRAY['y:' || substr({published}, 1, 4), 'm:' || substr({published}, 1, 7), "
                 f"'d:' || {published}]) WHERE {published} <> ''")
    return "ARRAY(" + " UNION ALL ".join(parts) + ")"


def pg_date_keys_of(published: str) -> list[str]:
    """The date keys of an article dated `published` (YYYY-MM-DD, or '': none), as pg_tag_keys_of
    writes them."""
    return [f"y:{published[:4]}", f"m:{published[:7]}", f"d:{published}"] if published else []


def pg_date_keys(lower: str, upper: str) -> list[str]:
    """The fewest date keys (years, months, days) that an article dated lower <= date < upper
    (YYYY-MM-DD) has one of, and no other article has: 2016-10-22 .. 2018-03-01 is 2016-10-22
    to 2016-10-31, 2016-11, 2016-12, 2017 and 2018-01, 2018-02."""
    day, end = date.fromisoformat(lower), date.fromisoformat(upper)
    keys = []
    while day < end:
        next_year = date(day.year + 1, 1, 1) if day.year < date.max.year else date.max
        next_month = date(day.year + day.month // 12, day.month % 12 + 1, 1) if day < date(date.max.year, 12, 1) else date.max
        if (day.month, day.day) == (1, 1) and next_year <= end:
            keys.append(f"y:{day.year:04d}")
            day = next_year
        elif day.day == 1 and next_month <= end:
            keys.append(f"m:{day.year:04d}-{day.month:02d}")
            day = next_month
        else:
            keys.append(f"d:{day.isoformat()}")
            if day == date.max:
                break
            day += timedelta(days=1)
    return keys


def _pg_published_index(ft: FullText) -> tuple[str, str]:
    name = f"{ft.fts_table}_published"
    return name, f"CREATE INDEX {name} ON {ft.fts_table} (published, {ft.key})"


def deferrable_indexes(dialect: str) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the indexes a bulk load into an empty archive drops and builds
    again at its end (store.Store.bulk): every index no write reads, i.e. all but the primary
    keys and `articles_id` (a write looks its ids up). Built once over sorted rows, an index
    costs a fraction of what a million inserts into it do. The SQLite FTS5 index is not among
    them: filled chunk by chunk it costs ~30 us an article, no more than a rebuild (its merges
    are deferred instead: SqliteBackend.drop_deferrable_indexes)."""
    out = [(index.name, render_index(table.name, index)) for table in TABLES for index in table.indexes if not index.unique]
    if dialect == "postgresql":
        out += [pg_gin_index(FULL_TEXT), _pg_published_index(FULL_TEXT)]
    return out


# --- the tables -------------------------------------------------------------------------------

ARTICLES = Table(
    "articles",
    (
        Column("seq", "seq"),  # the integer key the tag tables and the full-text index use
        Column("id", "text"),  # the record's id: the article's key
        Column("content_hash", "text"),  # decides added / replaced / unchanged (store.py)
        Column("published", "text", default="''"),
        Column("title", "text", nullable=True),
        Column("source", "text", default="'{}'"),  # the input's kind, extra fields, reader warnings (JSON)
        Column("added_at", "text"),  # when this version was stored (UTC, ISO 8601)
    ),
    primary_key=("seq",),
    indexes=(
        Index("articles_id", ("id",), unique=True),
        Index("articles_published", ("published", "seq")),
    ),
)
ARTICLE_BODIES = Table(
    "article_bodies",
    (
        Column("seq", "seq"),
        Column("title", "text", nullable=True),
        Column("text", "text", nullable=True),  # the input text the record's offsets point into
        Column("record", "text"),  # the full record as `newstag tag` writes it (JSON)
    ),
    primary_key=("seq",),
)


def _tag_table(name: str, key: tuple[Column, ...], extra: tuple[Column, ...], indexes: tuple[tuple[str, ...], ...]) -> Table:
    columns = (Column("seq", "seq"), *key, Column("published", "text", default="''"), *extra)
    return Table(
        name,
        columns,
        primary_key=("seq", *(c.name for c in key)),
        indexes=tuple(Index(f"{name}_by_{'_'.join(cols[:2])}", (*cols, "published", "seq")) for cols in indexes),
        without_rowid=True,
    )


ARTICLE_TOPICS = _tag_table(
    "article_topics", (Column("code", "text"),), (Column("level", "int"), Column("score", "real")), (("code",),)
)
ARTICLE_REGIONS = _tag_table(
    "article_regions",
    (Column("code", "text"),),
    (Column("relevance", "text"), Column("kind", "text"), Column("score", "real")),
    (("code",), ("code", "relevance")),
)
ARTICLE_PLACES = _tag_table(
    "article_places",
    (Column("geonameid", "bigint"),),
    (Column("first_start", "int"), Column("first_end", "int"), Column("mentions", "int")),
    (("geonameid",),),
)
ARTICLE_AGENCIES = _tag_table("article_agencies", (Column("name", "text"),), (), (("name",),))
TAG_NAMES = Table(
    "tag_names",
    (Column("facet", "text"), Column("code", "text"), Column("name", "text")),
    primary_key=("facet", "code"),
    without_rowid=True,
)
# Articles per month of every topic, region and agency (and of the whole archive), so that a tag
# page's chart reads a few hundred rows, not every index entry of its tag: at a million articles
# the chart of a region page counted up to 600,000 entries (p99 ~200 ms on both backends,
# measured); the counts per tag (`archive stats`) are their sums. facet: "topic", "region",
# "agency", or "all" (code ''); relevance: '' (any), or a region's about / mentioned; month:
# YYYY-MM of `published`, '' for articles without a date. A row may hold 0 once its articles
# are replaced; readers skip those.
TAG_MONTHS = Table(
    "tag_months",
    (Column("facet", "text"), Column("code", "text"), Column("relevance", "text"), Column("month", "text"),
     Column("articles", "int")),
    primary_key=("facet", "code", "relevance", "month"),
    without_rowid=True,
)
TAG_TABLES = (ARTICLE_TOPICS, ARTICLE_REGIONS, ARTICLE_PLACES, ARTICLE_AGENCIES)
# The tables of schema version 1 (m0001 renders them); later tables are their migration's.
TABLES = (ARTICLES, ARTICLE_BODIES, *TAG_TABLES, TAG_NAMES)
FULL_TEXT = FullText("article_bodies", key="seq", columns=("title", "text"), name="articles_fts")
