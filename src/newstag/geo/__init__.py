"""Regions: place mentions to GeoNames places, countries and UN M49 regions.

Stages, in order (each its own module):
    detect.py   Article -> Mention*             (gazetteer matching, filters)
    resolve.py  Mention* -> Resolution*         (priors, dateline, co-occurrence)
    focus.py    Resolution* -> RegionScore*     (about vs mentioned, M49 roll-up)
"""

from __future__ import annotations

from newstag.types import Article, RegionScore, Resolution


class GeoTagger:
    """Runs detect -> resolve -> focus on one article. Loads the gazetteer lazily, once."""

    def tag(self, article: Article) -> tuple[tuple[Resolution, ...], tuple[RegionScore, ...]]:
        # Placeholder until the geo stages land: no places, no regions.
        return (), ()

    def versions(self) -> dict[str, str]:
        return {}
