"""Schema version 3: PostgreSQL's full text moves from a generated column of article_bodies to
a narrow table `articles_fts` (seq, published, fts tsvector) with the GIN index and a
(published, seq) index; SQLite: nothing.

Why: a full-text match is a heap visit (the bitmap heap scan's, for visibility). In
article_bodies that is a wide row (title, text, record: ~4 KB a page or more each), so a word
in 10,000 articles read ~10,000 pages, and the p99 of full text at a million articles was
286 ms (target 50). The narrow table holds 11 rows a page (measured at 200,000 articles), and
a full-text search without a tag filter needs no other table (its `published` is there). The backend fills it in the article's own transaction
(PostgresBackend.index_text), so a chunk is still stored whole or not at all.
The existing vectors are copied (not computed again), then the old column and index dropped.
"""

from __future__ import annotations

from newstag.archive.schema import FULL_TEXT

VERSION = 3


def statements(dialect: str) -> list[str]:
    if dialect != "postgresql":
        return []
    # Version 3's articles_fts, written out: schema.render_full_text renders the latest version
    # (m0006 adds `tags` and rebuilds the GIN index over both columns).
    return [
        "CREATE TABLE articles_fts (\n  seq BIGINT NOT NULL,\n  published TEXT NOT NULL DEFAULT '',\n"
        "  fts tsvector NOT NULL,\n  PRIMARY KEY (seq)\n) WITH (toast_tuple_target = 128)",
        "ALTER TABLE articles_fts ALTER COLUMN fts SET STATISTICS 1000",
        f"INSERT INTO articles_fts (seq, published, fts) "
        f"SELECT b.seq, a.published, b.fts FROM {FULL_TEXT.table} b JOIN articles a ON a.seq = b.seq",
        "CREATE INDEX articles_fts_gin ON articles_fts USING GIN (fts)",
        "CREATE INDEX articles_fts_published ON articles_fts (published, seq)",
        f"ALTER TABLE {FULL_TEXT.table} DROP COLUMN fts",  # drops its GIN index with it
    ]
