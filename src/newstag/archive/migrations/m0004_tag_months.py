"""Schema version 4: `tag_months`, articles per month of every topic and region, counted from the
tag tables already stored; from then on kept in step by every write (store.Store.write).

Why: a tag page's chart counted its tag's articles per month from the tag's index at every view:
at a million articles, up to 600,000 index entries for a region like US (p99 ~200 ms on both
backends, measured), longer than the rest of the page. The counts are now read from a few hundred
rows (queries.months).
"""

from __future__ import annotations

from newstag.archive.schema import TAG_MONTHS, render_table

VERSION = 4

_MONTH = "substr(published, 1, 7)"


def statements(dialect: str) -> list[str]:
    insert = f"INSERT INTO {TAG_MONTHS.name} ({', '.join(TAG_MONTHS.column_names)}) "
    dated = "WHERE published <> ''"
    return [
        *render_table(TAG_MONTHS, dialect),
        insert + f"SELECT 'topic', code, '', {_MONTH}, count(*) FROM article_topics {dated} GROUP BY code, {_MONTH}",
        insert + f"SELECT 'region', code, '', {_MONTH}, count(*) FROM article_regions {dated} GROUP BY code, {_MONTH}",
        insert + f"SELECT 'region', code, relevance, {_MONTH}, count(*) FROM article_regions {dated} "
        f"GROUP BY code, relevance, {_MONTH}",
        insert + f"SELECT 'all', '', '', {_MONTH}, count(*) FROM articles {dated} GROUP BY {_MONTH}",
    ]
