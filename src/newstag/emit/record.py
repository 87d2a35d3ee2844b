"""The output record: a contract other tools read. Add fields freely; never rename or drop one.

    {"id", "title", "dateline": {"text", "place", "date", ...} | null, "agencies",
     "general": [{"code", "label", "level", "score", "parent"}],
     "regions": [{"code", "name", "kind", "relevance", "score"}],
     "places":  [{"text", "start", "end", "geonameid", "name", "country", "lat", "lon", "type", "score", ...}],
     "warnings", "versions", "error", "error_stage", "body", "footer",
     "encoding", "language"}

    encoding  how the input's bytes were decoded ("utf-8", "cp1252", "utf-16-le"; null when the
              input was given as text, as to `Tagger.pipe`)
    language  ISO 639-1 code of the article's language ("en", "pl"), null when no guess is confident
HTML input also carries `text`, the extracted text that its offsets point into (passed through
from the reader, like a JSON Lines record's own extra fields).
"""

from __future__ import annotations

from typing import Any

from newstag.types import Resolution, TaggedArticle


def _round(x: float) -> float:
    return round(float(x), 4)


def place_object(res: Resolution) -> dict[str, Any]:
    m, p = res.mention, res.place
    return {
        "text": m.text,
        "start": m.start,
        "end": m.end,
        "geonameid": p.geonameid if p else None,
        "name": p.name if p else m.text,
        "country": p.country if p else None,
        "lat": p.lat if p else None,
        "lon": p.lon if p else None,
        "type": res.type,
        "score": _round(res.score),
        "resolved": p is not None,
        "field": m.field,
        "mention_kind": m.kind,
        "m49": p.m49 if p else None,
        "reason": res.reason,
    }


def to_record(tagged: TaggedArticle) -> dict[str, Any]:
    a = tagged.article
    dateline = None
    if a.dateline is not None:
        dl = a.dateline
        dl_place = next(
            (place_object(r) for r in tagged.places if r.mention.in_dateline and r.place is not None),
            None,
        )
        dateline = {
            "text": dl.text,
            "place": dl_place,
            "date": dl.date,
            "start": dl.start,
            "end": dl.end,
            "raw": dl.raw,
            "debris": dl.debris,
        }
    record: dict[str, Any] = {
        "id": a.id,
        "title": a.title,
        "dateline": dateline,
        "agencies": list(a.agencies),
        "general": [
            {"code": t.code, "label": t.label, "level": t.level, "score": _round(t.score), "parent": t.parent}
            for t in tagged.general
        ],
        "regions": [
            {"code": r.code, "name": r.name, "kind": r.kind, "relevance": r.relevance, "score": _round(r.score)}
            for r in tagged.regions
        ],
        "places": [place_object(r) for r in tagged.places],
        "warnings": list(tagged.warnings),
        "versions": dict(tagged.versions),
        "error": tagged.error,
        "error_stage": tagged.error_stage,
        "body": {"start": a.body.start, "end": a.body.end},
        "footer": {k: v for k, v in a.footer},
        "encoding": a.encoding,
        "language": a.language,
    }
    for key, value in a.extra:
        record.setdefault(key, value)
    return record
