"""Schema version 1: the articles, the tag tables, the tag names and the full-text index."""

from __future__ import annotations

from newstag.archive.schema import FULL_TEXT, TABLES, render_full_text, render_table

VERSION = 1


def statements(dialect: str) -> list[str]:
    # Rendered from schema.py's description. When a later migration changes a table, copy the
    # version-1 description of that table here first, so that this file keeps creating version 1.
    out: list[str] = []
    for table in TABLES:
        out += render_table(table, dialect)
    out += render_full_text(FULL_TEXT, dialect)
    return out
