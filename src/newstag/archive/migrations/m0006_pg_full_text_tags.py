"""Schema version 6: PostgreSQL's articles_fts holds each article's tag and date keys (`tags`, a
text[]: `t:medtop:11000000`, `r:CU`, `r:CU:about`, `p:3553478`, `a:Reuters`, `y:2024`,
`m:2024-03`, `d:2024-03-05`; schema.pg_tag_keys_of) and its GIN index covers the vector and the
keys; the dates' statistics target is 1,000. SQLite: nothing.

Why: full text with tag filters joined two tables, the words' matches (articles_fts) and a tag's
entries (a tag table), and no plan of that join was cheap for every query: from the tag's index
it hash-joined every entry of the tag (a region of 600,000 articles) or looked up each of
thousands of articles' vectors; from the words it probed every match in the tag tables. At a
million articles the p99 of full text + topic + region was 156-260 ms (target 50). In one GIN
index the intersection of a word, a topic and a region is found in the index, and only the
articles in it are read; the date keys cut that intersection into date slices, newest first, in
the index too (queries.newest_seqs). The backend writes the keys from the tag tables in the article's
transaction (PostgresBackend.writing), so they change with the tags (a replace, a retag).
The existing rows' keys are read from the tag tables here; the GIN index is built again.
"""

from __future__ import annotations

from newstag.archive.schema import FULL_TEXT, PG_PUBLISHED_STATISTICS, pg_gin_index, pg_tag_keys_of

VERSION = 6


def statements(dialect: str) -> list[str]:
    if dialect != "postgresql":
        return []
    fts = FULL_TEXT.fts_table
    return [
        f"DROP INDEX IF EXISTS {fts}_gin",  # absent when a bulk load was killed (create_missing_indexes)
        f"ALTER TABLE {fts} ADD COLUMN IF NOT EXISTS tags TEXT[] NOT NULL DEFAULT '{{}}'",
        f"UPDATE {fts} f SET tags = {pg_tag_keys_of('f.seq', 'f.published')}",
        f"ALTER TABLE {fts} ALTER COLUMN published SET STATISTICS {PG_PUBLISHED_STATISTICS}",
        pg_gin_index(FULL_TEXT)[1],
        f"ANALYZE {fts}",
    ]
