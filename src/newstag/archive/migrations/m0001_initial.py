"""Schema version 1: the articles, the tag tables, the tag names and the full-text index."""

from __future__ import annotations

from newstag.archive.schema import FULL_TEXT, TABLES, render_full_text, render_table

VERSION = 1
V1_FTS_CONFIG = "simple"  # version 1's PostgreSQL text search configuration (m0005 changes it)
V1_DOCUMENT = "coalesce(title, '') || ' ' || coalesce(text, '')"  # the text it indexed (m0005 splits punctuation)


def statements(dialect: str) -> list[str]:
    # Rendered from schema.py's description. When a later migration changes a table, copy the
    # version-1 description of that table here first, so that this file keeps creating version 1.
    out: list[str] = []
    for table in TABLES:
        out += render_table(table, dialect)
    if dialect == "sqlite":
        out += render_full_text(FULL_TEXT, dialect)
    else:
        # Version 1's PostgreSQL full text: a generated column of article_bodies (version 3
        # moves it to a table of its own, m0003_narrow_pg_full_text).
        out += [
            f"ALTER TABLE {FULL_TEXT.table} ADD COLUMN fts tsvector "
            f"GENERATED ALWAYS AS (to_tsvector('{V1_FTS_CONFIG}', {V1_DOCUMENT})) STORED",
            f"CREATE INDEX {FULL_TEXT.table}_fts_gin ON {FULL_TEXT.table} USING GIN (fts)",
        ]
    return out
