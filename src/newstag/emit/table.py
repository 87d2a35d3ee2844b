"""The CSV (and Parquet) row: one flat row per article, lists joined with "|".

Columns are a contract like the record's: add freely, never rename or drop.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from newstag.emit.text import region_names
from newstag.types import TaggedArticle

COLUMNS = (
    "id",
    "title",
    "dateline",
    "agencies",
    "general",
    "general_codes",
    "regions",
    "countries_about",
    "countries_mentioned",
    "region_codes",
    "places",
    "warnings",
    "error",
)


def to_row(tagged: TaggedArticle) -> dict[str, Any]:
    a = tagged.article
    return {
        "id": a.id,
        "title": a.title or "",
        "dateline": a.dateline.text if a.dateline else "",
        "agencies": "|".join(a.agencies),
        "general": "|".join(t.label for t in tagged.general),
        "general_codes": "|".join(t.code for t in tagged.general),
        "regions": "|".join(region_names(tagged)),
        "countries_about": "|".join(r.code for r in tagged.regions if r.kind == "country" and r.relevance == "about"),
        "countries_mentioned": "|".join(r.code for r in tagged.regions if r.kind == "country" and r.relevance == "mentioned"),
        "region_codes": "|".join(r.code for r in tagged.regions if r.kind != "country"),
        "places": "|".join(
            f"{r.mention.text}={r.place.geonameid if r.place and r.place.geonameid else ''}" for r in tagged.places
        ),
        "warnings": "|".join(tagged.warnings),
        "error": f"{tagged.error_stage}: {tagged.error}" if tagged.error else "",
    }


def csv_header() -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(COLUMNS)
    return buf.getvalue()


def csv_rows(tagged: Iterable[TaggedArticle]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    for t in tagged:
        writer.writerow(to_row(t))
    return buf.getvalue()

