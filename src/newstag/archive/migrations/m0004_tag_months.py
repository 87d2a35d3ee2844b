"""Schema version 4: `tag_months`, articles per month of every topic, region and agency, and of
the whole archive (month '' for articles without a date), counted from the tag tables already
stored; from then on kept in step by every write (store.Store.write).

Why: a tag page's chart counted its tag's articles per month from the tag's index at every view:
at a million articles, up to 600,000 index entries for a region like US (p99 ~200 ms on both
backends, measured), longer than the rest of the page. The counts are now read from a few hundred
rows (queries.months), and so are the counts per tag of `archive stats` and /v1/stats, which
counted every row of a tag table (3,000,000 topic rows at a million articles).
"""

from __future__ import annotations

from newstag.archive.schema import TAG_MONTHS, render_table

VERSION = 4

_MONTH = "substr(published, 1, 7)"


def statements(dialect: str) -> list[str]:
    insert = f"INSERT INTO {TAG_MONTHS.name} ({', '.join(TAG_MONTHS.column_names)}) "
    return [
        *render_table(TAG_MONTHS, dialect),
        insert + f"SELECT 'topic', code, '', {_MONTH}, count(*) FROM article_topics GROUP BY code, {_MONTH}",
        insert + f"SELECT 'region', code, '', {_MONTH}, count(*) FROM article_regions GROUP BY code, {_MONTH}",
        insert + f"SELECT 'region', code, relevance, {_MONTH}, count(*) FROM article_regions GROUP BY code, relevance, {_MONTH}",
        insert + f"SELECT 'agency', name, '', {_MONTH}, count(*) FROM article_agencies GROUP BY name, {_MONTH}",
        insert + f"SELECT 'all', '', '', {_MONTH}, count(*) FROM articles GROUP BY {_MONTH}",
    ]
