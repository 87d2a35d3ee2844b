"""A tagged article as what the result page shows: plain values for the template, no HTML.

The template escapes every string it is given (Jinja autoescaping); nothing here builds markup.
The article text is cut into segments at the place mentions' offsets so that the template can
wrap each mention in its own element.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import orjson

from newstag.emit.record import to_record
from newstag.emit.text import general_line, regions_line
from newstag.service.worldmap import HEIGHT, WIDTH, country_shapes, project
from newstag.types import TaggedArticle

# Place types that are areas: the map fills their country rather than putting a dot on them.
AREA_TYPES = {"country", "demonym", "continent", "region"}


@dataclass(slots=True)
class Segment:
    text: str
    place: int | None = None  # index into ArticleView.places when this segment is a mention


@dataclass(slots=True)
class ArticleView:
    record: dict[str, Any]
    title_segments: list[Segment]
    body_segments: list[Segment]
    places: list[dict[str, Any]]  # the record's places, each with a "tip" and "index"
    about: list[dict[str, Any]]  # regions: countries about, then M49 regions about
    mentioned: list[dict[str, Any]]
    footer: str
    record_json: str
    download_href: str
    countries: list[dict[str, Any]]  # map shapes with a "class"
    dots: list[dict[str, Any]] = field(default_factory=list)


def article_view(tagged: TaggedArticle) -> ArticleView:
    record = to_record(tagged)
    article = tagged.article
    text = article.text
    places = []
    for index, place in enumerate(record["places"]):
        places.append({**place, "index": index, "tip": _tip(place)})

    in_text = [p for p in places if p["field"] == "text"]
    if article.title_span is not None:
        title_segments = segments(text, article.title_span.start, article.title_span.end, in_text)
    else:
        title_segments = segments(article.title or "", 0, len(article.title or ""), [p for p in places if p["field"] == "title"])
    body_segments = segments(text, article.body.start, article.body.end, in_text)

    regions = record["regions"]
    about = [r for r in regions if r["relevance"] == "about"]
    mentioned = [r for r in regions if r["relevance"] == "mentioned"]
    record_json = orjson.dumps(record, option=orjson.OPT_INDENT_2).decode()
    return ArticleView(
        record=record,
        title_segments=title_segments,
        body_segments=body_segments,
        places=places,
        about=about,
        mentioned=mentioned,
        footer=f"General: {general_line(tagged)}\nRegions: {regions_line(tagged)}",
        record_json=record_json,
        download_href="data:application/json;charset=utf-8," + quote(record_json, safe=""),
        countries=_map_countries(regions),
        dots=_dots(places),
    )


def segments(text: str, start: int, end: int, places: list[dict[str, Any]]) -> list[Segment]:
    """text[start:end] as plain runs and mentions, in order; overlapping mentions keep the first."""
    out: list[Segment] = []
    at = start
    for place in sorted(places, key=lambda p: (p["start"], -p["end"])):
        s, e = place["start"], place["end"]
        if s < at or e > end or s < start:
            continue  # outside this span, or overlaps the mention before it
        if s > at:
            out.append(Segment(text[at:s]))
        out.append(Segment(text[s:e], place["index"]))
        at = e
    if at < end:
        out.append(Segment(text[at:end]))
    return out


def _tip(place: dict[str, Any]) -> str:
    """What hovering or focusing a mention shows (plain text; CSS draws it from an attribute)."""
    if not place["resolved"]:
        return f"unresolved {place['mention_kind']}\nscore {place['score']}\n{place['reason']}".rstrip()
    lines = [
        place["name"] + (f" ({place['country']})" if place["country"] else ""),
        f"type {place['type']}, score {place['score']}",
    ]
    if place["geonameid"] is not None:
        lines.append(f"GeoNames {place['geonameid']}")
    if place["m49"]:
        lines.append(f"UN M49 {place['m49']}")
    if place["reason"]:
        lines.append(f"why: {place['reason']}")
    return "\n".join(lines)


def _map_countries(regions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    relevance = {r["code"]: r["relevance"] for r in regions if r["kind"] == "country"}
    return [
        {"code": shape.code, "name": shape.name, "path": shape.path, "class": relevance.get(shape.code or "", "")}
        for shape in country_shapes()
    ]


def _dots(places: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: set[Any] = set()
    dots = []
    for place in places:
        if not place["resolved"] or place["lat"] is None or place["lon"] is None or place["type"] in AREA_TYPES:
            continue
        key = place["geonameid"] or (place["lat"], place["lon"])
        if key in seen:
            continue
        seen.add(key)
        x, y = project(place["lon"], place["lat"])
        if 0 <= x <= WIDTH and 0 <= y <= HEIGHT:
            dots.append({"x": round(x, 2), "y": round(y, 2), "name": place["name"], "index": place["index"]})
    return dots


MAP_VIEWBOX = f"0 0 {WIDTH:g} {HEIGHT:g}"
