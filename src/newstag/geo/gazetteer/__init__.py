"""The gazetteer: built by `build.py` (`newstag build-gazetteer`), read by `store.py`."""

from newstag.geo.gazetteer.store import Gazetteer, load_gazetteer

__all__ = ["Gazetteer", "load_gazetteer"]
