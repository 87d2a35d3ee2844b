"""Schema version 2: SQLite's full-text index keeps up to 64 MB of a transaction's new terms in
memory before writing them out as a segment (FTS5's `hashsize`; its default is 1 MB).

Why: a bulk chunk (4,096 articles, ~4 MB of title and text) was written as a dozen 1 MB
segments, which FTS5's automerge then merged again: 63 us an article, against 33 us with one
segment a chunk (30,000 articles, measured). A transaction's terms are flushed at its commit
whatever this size, so the memory used is bounded by what one chunk holds; `archive add`'s
chunks of 256 never reach 1 MB. PostgreSQL: nothing (its GIN index is built at a bulk load's end).
"""

from __future__ import annotations

from newstag.archive.schema import FULL_TEXT

VERSION = 2
FTS_PENDING_TERMS_BYTES = 64 * 1024 * 1024


def statements(dialect: str) -> list[str]:
    if dialect != "sqlite":
        return []
    fts = FULL_TEXT.fts_table
    return [f"INSERT INTO {fts} ({fts}, rank) VALUES ('hashsize', {FTS_PENDING_TERMS_BYTES})"]
