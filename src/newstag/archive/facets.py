"""Facet counts: for the articles matching some Filters, how many carry each topic and region.

Counted over the whole result, not the page shown, as Datasette does; each count is a link that
adds its value to the filters (the views build the links, the counts are built here).
"""

from __future__ import annotations

from dataclasses import dataclass

from newstag.archive.backends import Backend
from newstag.archive.filters import Filters, select

FACETS = {"topic": ("article_topics", "code"), "region": ("article_regions", "code")}
FACET_SIZE = 15


@dataclass(frozen=True, slots=True)
class FacetValue:
    value: str
    name: str  # the label to show (topic label, region name)
    count: int


def facet_counts(backend: Backend, filters: Filters, size: int = FACET_SIZE) -> dict[str, list[FacetValue]]:
    """{"topic": [...], "region": [...]}: the `size` most frequent values of each, most first."""
    selection = select(filters, backend.dialect)
    out = {}
    for facet, (table, column) in FACETS.items():
        if selection.source.startswith("articles ") and selection.where == "TRUE":
            inner, params = f"SELECT {column} AS value, count(*) AS n FROM {table} GROUP BY {column}", ()
        else:
            inner = (f"SELECT x.{column} AS value, count(*) AS n FROM {table} x "
                     f"WHERE x.seq IN ({selection.seqs()}) GROUP BY x.{column}")
            params = selection.params
        rows = backend.query(
            f"SELECT c.value, coalesce(t.name, c.value), c.n FROM ({inner}) c "
            f"LEFT JOIN tag_names t ON t.facet = ? AND t.code = c.value "
            f"ORDER BY c.n DESC, c.value LIMIT ?",
            (*params, facet, size),
        )
        out[facet] = [FacetValue(value, name, n) for value, name, n in rows]
    return out
