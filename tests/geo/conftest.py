from __future__ import annotations

import pytest

from newstag.geo import GeoTagger
from newstag.parse import parse_document
from newstag.types import RawDocument


@pytest.fixture(scope="session")
def geo() -> GeoTagger:
    return GeoTagger()


@pytest.fixture(scope="session")
def tag(geo):
    """Tag a text (JSON Lines style: all of it is body) -> (places, regions)."""

    def run(text: str, title: str = "", kind: str = "jsonl"):
        raw = RawDocument(id="t", text=text, title=title if kind == "jsonl" else None, kind=kind)  # type: ignore[arg-type]
        return geo.tag(parse_document(raw))

    return run


def countries(places) -> set[str]:
    return {r.place.country for r in places if r.place is not None and r.place.country}


def resolved(places) -> dict[str, str | None]:
    """Every mention text in the record, resolved or not, with its country (None when unresolved)."""
    return {r.mention.text: (r.place.country if r.place else None) for r in places}
