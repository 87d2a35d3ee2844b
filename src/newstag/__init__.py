"""newstag: tag raw news articles with IPTC Media Topics and countries / UN M49 regions.

    >>> import newstag
    >>> record = newstag.tag("Title\\n\\nMoscow - Russian leaders met ...")   # the output record
    >>> tagger = newstag.Tagger(); records = [newstag.to_record(t) for t in tagger.pipe(texts)]
"""

from __future__ import annotations

import logging

__version__ = "0.1.0"
__all__ = ["Tagger", "TagOptions", "NewstagError", "tag", "to_record", "__version__"]

logging.getLogger(__name__).addHandler(logging.NullHandler())

_default_tagger = None


def tag(text: str, id: str = "1") -> dict:
    """Tag one raw article and return its output record (a plain dict, see the README)."""
    global _default_tagger
    from newstag.emit.record import to_record
    from newstag.pipeline import Tagger
    from newstag.types import RawDocument

    if _default_tagger is None:
        _default_tagger = Tagger()
    return to_record(_default_tagger.tag(RawDocument(id=id, text=text)))


def __getattr__(name: str):
    # Lazy exports: importing newstag must not load numpy, scikit-learn or the gazetteer.
    if name == "Tagger":
        from newstag.pipeline import Tagger

        return Tagger
    if name == "TagOptions":
        from newstag.options import TagOptions

        return TagOptions
    if name == "NewstagError":
        from newstag.errors import NewstagError

        return NewstagError
    if name == "to_record":
        from newstag.emit.record import to_record

        return to_record
    raise AttributeError(name)
