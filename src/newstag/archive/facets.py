"""Facet counts: for the articles matching some Filters, how many carry each topic and region.

Counted over the result, not over the page shown, as Datasette does; each count is a link that
adds its value to the filters (the views build the links, the counts are built here). A result
larger than FACET_SAMPLE is counted over its newest FACET_SAMPLE articles, so that a facet costs
the same on a region of 300,000 stories as on one of 3,000 (the counts then say so: `sampled`).
"""

from __future__ import annotations

from dataclasses import dataclass

from newstag.archive.backends import Backend
from newstag.archive.filters import Filters
from newstag.archive.queries import newest_seqs, plan

FACETS = {"topic": ("article_topics", "code"), "region": ("article_regions", "code")}
FACET_SIZE = 15
FACET_SAMPLE = 10_000


@dataclass(frozen=True, slots=True)
class FacetValue:
    value: str
    name: str  # the label to show (topic label, region name)
    count: int


@dataclass(frozen=True, slots=True)
class Facets:
    values: dict[str, list[FacetValue]]  # facet -> its most frequent values, most first
    counted: int  # articles counted: the whole result, or its newest FACET_SAMPLE
    sampled: bool  # True when the result is larger than what was counted


def facet_counts(backend: Backend, filters: Filters, size: int = FACET_SIZE, sample: int = FACET_SAMPLE) -> Facets:
    selection = plan(backend, filters)
    if backend.dialect == "postgresql" and selection.by_full_text:
        # PostgreSQL full text: the newest matches read in date slices (queries.newest_seqs);
        # sorted whole, every match of a common word is read (`the`: 7 s at a million, measured).
        seqs = newest_seqs(backend, filters, int(sample) + 1)
        counted, newest, params = len(seqs), "SELECT unnest(CAST(? AS bigint[])) AS seq", (seqs[: int(sample)],)
    else:
        newest = f"{selection.seqs()} ORDER BY d.published DESC, d.seq DESC LIMIT {int(sample) + 1}"
        counted = backend.query(f"SELECT count(*) FROM ({newest}) m", selection.params)[0][0]
        newest, params = f"{selection.seqs()} ORDER BY d.published DESC, d.seq DESC LIMIT {int(sample)}", selection.params
    sampled = counted > sample
    values = {}
    for facet, (table, column) in FACETS.items():
        # A join from the matches, so that each is looked up by its seq (the tag table's key).
        rows = backend.query(
            f"SELECT c.value, coalesce(t.name, c.value), c.n FROM "
            f"(SELECT x.{column} AS value, count(*) AS n FROM ({newest}) m JOIN {table} x ON x.seq = m.seq "
            f"GROUP BY x.{column}) c "
            f"LEFT JOIN tag_names t ON t.facet = ? AND t.code = c.value ORDER BY c.n DESC, c.value LIMIT ?",
            (*params, facet, size),
        )
        values[facet] = [FacetValue(value, name, n) for value, name, n in rows]
    return Facets(values, min(counted, sample), sampled)
