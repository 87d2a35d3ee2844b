"""Schema version 5: full text removes accents, and splits words, alike in both dialects.

Why: SQLite's FTS5 tokenizer (`unicode61`) removed accents, PostgreSQL's `simple` configuration
kept them, so that "Sao Paulo" found "São Paulo" in one archive and not in the other (and wire
copy writes names both ways). SQLite: the index is made again with `remove_diacritics 2`, which
also takes the accents off letters with two of them (Vietnamese names: Nguyễn), as unaccent
does; its in-memory term limit (m0002) set again. PostgreSQL also splits words at punctuation
before its parser reads them, as FTS5 does (schema.pg_words: "8.5", "dlrs/bbl" and
"<United Asian Bank Bhd>" were one token or none). PostgreSQL: The configuration `newstag_text` is `simple` with the `unaccent`
dictionary (a trusted extension shipped with PostgreSQL since 13: the archive's owner may
create it) before it for words with letters beyond ASCII; the existing vectors are computed
again. A server without the extension keeps accents (the configuration is then `simple` under
the new name) and the archive works as before.
"""

from __future__ import annotations

from newstag.archive.migrations.m0002_fts_pending_terms import FTS_PENDING_TERMS_BYTES
from newstag.archive.schema import FTS_CONFIG, FULL_TEXT, pg_document, render_full_text

VERSION = 5

# Token types of PostgreSQL's parser that may hold letters beyond ASCII (the ascii* ones cannot).
_NON_ASCII_TOKENS = "word, hword, hword_part, numword, numhword, hword_numpart"


def statements(dialect: str) -> list[str]:
    if dialect == "sqlite":
        fts = FULL_TEXT.fts_table
        return [
            f"DROP TABLE IF EXISTS {fts}_vocab",
            f"DROP TABLE {fts}",
            *render_full_text(FULL_TEXT, dialect),
            f"INSERT INTO {fts} ({fts}, rank) VALUES ('hashsize', {FTS_PENDING_TERMS_BYTES})",
            f"INSERT INTO {fts} ({fts}) VALUES ('rebuild')",
        ]
    return [
        # In a block of its own: a server without the extension (or a user not allowed to create
        # it) leaves the rest of the migration to run.
        "DO $$ BEGIN CREATE EXTENSION IF NOT EXISTS unaccent; EXCEPTION WHEN OTHERS THEN NULL; END $$",
        f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {FTS_CONFIG}",  # a copy restored beside an older schema
        f"CREATE TEXT SEARCH CONFIGURATION {FTS_CONFIG} (COPY = simple)",
        f"DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_ts_dict WHERE dictname = 'unaccent') THEN "
        f"ALTER TEXT SEARCH CONFIGURATION {FTS_CONFIG} ALTER MAPPING FOR {_NON_ASCII_TOKENS} WITH unaccent, simple; "
        f"END IF; END $$",
        f"UPDATE {FULL_TEXT.fts_table} f SET fts = to_tsvector('{FTS_CONFIG}', {pg_document(FULL_TEXT, 'b.')}) "
        f"FROM {FULL_TEXT.table} b WHERE b.{FULL_TEXT.key} = f.{FULL_TEXT.key}",
    ]
