"""Regions: place mentions to GeoNames places, countries and UN M49 regions.

Stages, in order (each its own module):
    detect.py   Article -> Mention*             (gazetteer matching, filters)
    resolve.py  Mention* -> Resolution*         (priors, dateline, co-occurrence)
    anaphora.py Resolution* -> Resolution*      ("the Caribbean island" -> the story's Caribbean country)
    focus.py    Resolution* -> RegionScore*     (about vs mentioned, M49 roll-up)
The gazetteer they share is built by `gazetteer/build.py` and read by `gazetteer/store.py`.
"""

from __future__ import annotations

from newstag.types import Article, RegionScore, Resolution

__all__ = ["GeoTagger"]


class GeoTagger:
    """Runs detect -> resolve -> focus on one article. Loads the gazetteer lazily, once."""

    def __init__(self) -> None:
        self._stages = None

    def _load(self):
        if self._stages is None:
            from newstag.geo.anaphora import resolve_region_anaphora
            from newstag.geo.detect import Detector
            from newstag.geo.focus import focus
            from newstag.geo.gazetteer.store import load_gazetteer
            from newstag.geo.resolve import Resolver

            g = load_gazetteer()
            self._stages = (g, Detector(g), Resolver(g), resolve_region_anaphora, focus)
        return self._stages

    def tag(self, article: Article) -> tuple[tuple[Resolution, ...], tuple[RegionScore, ...]]:
        g, detector, resolver, anaphora, focus = self._load()
        resolutions = resolver.resolve(detector.detect(article), lambda: detector.dialect(article))
        resolutions = anaphora(article, resolutions, g)
        return tuple(resolutions), tuple(focus(resolutions, g))

    def versions(self) -> dict[str, str]:
        g = self._load()[0]
        return {"gazetteer": g.build_id}
