"""The archive in the service: HTML pages and their JSON twins, with the same filters.

    /articles              search box, results newest first, facet counts as links, pages
    /topics/{code}         every story under an IPTC topic, with its chart of articles per month
    /regions/{code}        every story on a country or M49 region (?relevance=about|mentioned)
    /articles/{id}         one stored article: its text, its tags linking to their pages
    GET /v1/articles       {"total", "total_is_lower_bound", "articles": [records], "facets": {...}}
                           for the same filters (total: exact up to queries.COUNT_CAP, else the cap)
    GET /v1/articles/{id}  the record;   GET /v1/stats   counts per topic, region, agency, month

`install(app, url)` adds them to the service's app (`newstag serve --archive DB`), which gives
them its layout (templates/base.html), security headers, API key check and problem+json errors.
Views are thin: filters come from the query string (filters.Filters.clean), queries and facets
from queries.py and facets.py, markup from templates/ (autoescaped: article text is hostile).
Each server thread reads through a connection of its own.
"""

from __future__ import annotations

import functools
import threading
from importlib import resources
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, FastAPI, Request
from jinja2 import ChoiceLoader, Environment, PackageLoader
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.staticfiles import StaticFiles

from newstag.archive.backends import Backend, open_archive
from newstag.archive.chart import month_chart
from newstag.archive.facets import Facets, facet_counts
from newstag.archive.filters import FilterError, Filters
from newstag.archive.queries import COUNT_CAP, Hit, article_text, get_article, months, search_page, stats, total
from newstag.service.problems import Problem
from newstag.service.security import require_api_key
from newstag.service.views import segments

PAGE_SIZE = 20
MAX_OFFSET = 10_000  # deeper pages cost a scan each; narrow the filters instead
MAX_API_LIMIT = 100
FILTER_PARAMS = ("q", "topic", "region", "relevance", "place", "agency", "since", "until")

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/v1", tags=["archive"], dependencies=[Depends(require_api_key)])


class ArchiveReader:
    """One read connection per server thread, opened on first use, closed at shutdown."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._local = threading.local()
        self._opened: list[Backend] = []
        self._lock = threading.Lock()
        open_archive(url, create=False).close()  # fail at start-up, not on the first request

    def backend(self) -> Backend:
        backend = getattr(self._local, "backend", None)
        if backend is None:
            backend = self._local.backend = open_archive(self.url, create=False)
            with self._lock:
                self._opened.append(backend)
        return backend

    def close(self) -> None:
        with self._lock:
            for backend in self._opened:
                backend.close()
            self._opened.clear()


def install(app: FastAPI, url: str) -> ArchiveReader:
    """Serve the archive at `url` from `app` (routes above)."""
    reader = ArchiveReader(url)
    app.state.archive = reader
    app.include_router(pages)
    app.include_router(api)
    app.mount("/archive-static", StaticFiles(directory=str(resources.files("newstag.archive") / "static")), name="archive-static")
    app.router.on_shutdown.append(reader.close)
    return reader


def _backend(request: Request) -> Backend:
    return request.app.state.archive.backend()


@functools.cache
def _templates() -> Environment:
    # The archive's templates extend the service's base.html. autoescape for every template.
    loader = ChoiceLoader([PackageLoader("newstag.archive", "templates"), PackageLoader("newstag.service", "templates")])
    return Environment(loader=loader, autoescape=True)


def _render(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(_templates().get_template(name).render(**context), status_code=status)


# --- what the templates are given ---------------------------------------------------------------


def topic_href(code: str) -> str:
    return f"/topics/{quote(code, safe=':')}"


def region_href(code: str, relevance: str | None = None) -> str:
    return f"/regions/{quote(code, safe='')}" + (f"?relevance={relevance}" if relevance else "")


def article_href(article_id: str) -> str:
    return f"/articles/{quote(article_id, safe='')}"


@dataclass(frozen=True, slots=True)
class HitView:
    id: str
    href: str
    title: str
    published: str | None
    general: list[dict[str, Any]]
    about: list[dict[str, Any]]
    mentioned: list[dict[str, Any]]


def hit_view(hit: Hit) -> HitView:
    record = hit.record
    general = [dict(t, href=topic_href(t["code"])) for t in record.get("general") or ()]
    regions = [dict(r, href=region_href(r["code"])) for r in record.get("regions") or ()]
    return HitView(
        id=hit.id, href=article_href(hit.id), title=hit.title or "(no title)", published=hit.published,
        general=general, about=[r for r in regions if r["relevance"] == "about"],
        mentioned=[r for r in regions if r["relevance"] == "mentioned"],
    )


def _query_string(params: dict[str, Any]) -> str:
    given = {k: v for k, v in params.items() if v not in (None, "")}
    return ("?" + urlencode(given)) if given else ""


def _params(filters: Filters) -> dict[str, Any]:
    given = filters.given()
    if "query" in given:
        given["q"] = given.pop("query")
    return given


def _filters(request: Request, **fixed: Any) -> Filters:
    values = {name: request.query_params.get(name) for name in FILTER_PARAMS}
    values["query"] = values.pop("q")
    values.update(fixed)
    try:
        return Filters.clean(**values)
    except FilterError as exc:
        raise Problem(400, str(exc)) from None


def _page_number(request: Request) -> int:
    raw = request.query_params.get("page", "1")
    if not raw.isdigit() or int(raw) < 1:
        raise Problem(400, f"page must be a whole number from 1, not {raw[:40]!r}")
    page = int(raw)
    if (page - 1) * PAGE_SIZE > MAX_OFFSET:
        raise Problem(400, f"pages beyond {MAX_OFFSET // PAGE_SIZE} are not served: narrow the search (a date range, a tag)")
    return page


def _facet_links(facets: Facets, filters: Filters) -> list[dict[str, Any]]:
    out = []
    for facet, values in facets.values.items():  # "topic", "region": also the names of their filters
        links = []
        for value in values:
            active = getattr(filters, facet) == value.value
            change = {facet: None if active else value.value}
            if facet == "region":
                change["relevance"] = None  # relevance was the old region's
            changed = filters.with_(**change)
            links.append({"value": value.value, "name": value.name, "count": value.count, "active": active,
                          "href": "/articles" + _query_string(_params(changed))})
        out.append({"facet": facet, "values": links})
    return out


def _listing(request: Request, filters: Filters, heading: str, path: str, chart: bool) -> HTMLResponse:
    backend = _backend(request)
    page = _page_number(request)
    found = search_page(backend, filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    matches = found.total.value
    facets = facet_counts(backend, filters)
    params = _params(filters)
    in_path = "topic" if path.startswith("/topics/") else "region" if path.startswith("/regions/") else None
    own = {k: v for k, v in params.items() if k != in_path}  # what the page's own links carry
    more = found.total.is_lower_bound  # more than `matches`: more than matches // PAGE_SIZE pages
    pages_total = max(1, matches // PAGE_SIZE if more else -(-min(matches, MAX_OFFSET + PAGE_SIZE) // PAGE_SIZE))
    has_next = page < pages_total or (more and page * PAGE_SIZE <= MAX_OFFSET)
    return _render(
        "archive_list.html", heading=heading, filters=filters, params=params,
        hits=[hit_view(h) for h in found.hits], total=matches, total_is_lower_bound=found.total.is_lower_bound,
        facets=_facet_links(facets, filters),
        facets_sampled=facets.sampled, facets_counted=facets.counted,
        page=page, pages_total=pages_total,
        prev_href=path + _query_string({**own, "page": page - 1}) if page > 1 else None,
        next_href=path + _query_string({**own, "page": page + 1}) if has_next else None,
        json_href="/v1/articles" + _query_string(params),
        chart=month_chart(months(backend, filters)) if chart else None,
        path=path, own=own,
    )


def _error_page(exc: Problem) -> HTMLResponse:
    return _render("archive_error.html", status=exc.status, message=exc.detail)


# --- pages --------------------------------------------------------------------------------------


@pages.get("/articles", response_class=HTMLResponse)
def articles_page(request: Request) -> Response:
    try:
        filters = _filters(request)
        return _listing(request, filters, "Archive", "/articles", chart=filters.topic is not None or filters.region is not None)
    except Problem as exc:
        return _error_page(exc)


@pages.get("/topics/{code}", response_class=HTMLResponse)
def topic_page(request: Request, code: str) -> Response:
    return _tag_page(request, "topic", code, topic_href(code))


@pages.get("/regions/{code}", response_class=HTMLResponse)
def region_page(request: Request, code: str) -> Response:
    return _tag_page(request, "region", code, region_href(code))


def _tag_page(request: Request, facet: str, code: str, path: str) -> Response:
    """Every story under one topic or region, with its chart of articles per month."""
    try:
        filters = _filters(request, **{facet: code})
        relevance = {"about": " — about", "mentioned": " — mentioned"}.get(filters.relevance or "", "")
        heading = f"{_name(request, facet, code)} ({code}){relevance}"
        return _listing(request, filters, heading, path, chart=True)
    except Problem as exc:
        return _error_page(exc)


@pages.get("/articles/{article_id:path}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str) -> Response:
    backend = _backend(request)
    hit = get_article(backend, article_id)
    if hit is None:
        return _error_page(Problem(404, f"no article with id {article_id!r} in the archive"))
    view = hit_view(hit)
    record = hit.record
    places = [dict(p, index=i, href=f"/articles?place={p['geonameid']}" if p.get("geonameid") is not None else None)
              for i, p in enumerate(record.get("places") or ())]
    text = article_text(backend, article_id)
    body = record.get("body") or {}
    # The text with its place mentions marked as on the tag page (the service's segments()).
    body_segments = segments(text, body.get("start", 0), body.get("end", len(text)),
                             [p for p in places if p.get("field") == "text"]) if text else []
    return _render(
        "archive_article.html", hit=view, record=record, body_segments=body_segments, places=places,
        agencies=[{"name": a, "href": "/articles" + _query_string({"agency": a})} for a in record.get("agencies") or ()],
        json_href="/v1" + article_href(article_id),
    )


def _name(request: Request, facet: str, code: str) -> str:
    rows = _backend(request).query("SELECT name FROM tag_names WHERE facet = ? AND code = ?", (facet, code))
    return rows[0][0] if rows else code


# --- JSON ---------------------------------------------------------------------------------------


_FACET_VALUES = {"type": "array", "items": {"type": "object", "required": ["value", "name", "count"], "properties": {
    "value": {"type": "string"}, "name": {"type": "string"}, "count": {"type": "integer"}}}}
ARTICLES_ANSWER = {
    "type": "object",
    "required": ["total", "total_is_lower_bound", "articles", "facets", "facets_counted", "facets_sampled", "filters"],
    "properties": {
        "total": {"type": "integer", "description": f"Articles matching: exact up to {COUNT_CAP:,} (or the end of the page "
                  "asked for, when further), else that number, and total_is_lower_bound is true."},
        "total_is_lower_bound": {"type": "boolean", "description": "True: more than `total` articles match (counting stopped there)."},
        "articles": {"type": "array", "items": {"type": "object"}, "description": "The records of the page, newest first."},
        "facets": {"type": "object", "properties": {"topic": _FACET_VALUES, "region": _FACET_VALUES}},
        "facets_counted": {"type": "integer", "description": "Articles the facets were counted over."},
        "facets_sampled": {"type": "boolean", "description": "True: the facets count the newest facets_counted articles only."},
        "filters": {"type": "object", "additionalProperties": {"type": "string"}},
    },
}


@api.get("/articles", summary="Search the archive",
         responses={200: {"description": "A page of matches and their total", "content": {"application/json": {"schema": ARTICLES_ANSWER}}}})
def articles_json(request: Request, limit: int = PAGE_SIZE, offset: int = 0) -> JSONResponse:
    """The articles matching the filters (q, topic, region, relevance, place, agency, since,
    until), newest first: `{"total", "total_is_lower_bound", "articles": [records], "facets":
    {"topic": [...], "region": [...]}}`. `total` is exact up to a cap (or the page's end when
    further); beyond it, `total` is the cap and `total_is_lower_bound` is true."""
    if not 0 <= limit <= MAX_API_LIMIT or not 0 <= offset <= MAX_OFFSET:
        raise Problem(400, f"limit is 0..{MAX_API_LIMIT} and offset 0..{MAX_OFFSET}")
    filters = _filters(request)
    backend = _backend(request)
    facets = facet_counts(backend, filters)
    found = search_page(backend, filters, limit=limit, offset=offset)
    return JSONResponse({
        "total": found.total.value,
        "total_is_lower_bound": found.total.is_lower_bound,
        "articles": [h.record for h in found.hits],
        "facets": {facet: [{"value": v.value, "name": v.name, "count": v.count} for v in values]
                   for facet, values in facets.values.items()},
        "facets_counted": facets.counted,
        "facets_sampled": facets.sampled,
        "filters": _params(filters),
    })


@api.get("/articles/{article_id:path}", summary="One stored record")
def article_json(request: Request, article_id: str) -> JSONResponse:
    hit = get_article(_backend(request), article_id)
    if hit is None:
        raise Problem(404, f"no article with id {article_id!r} in the archive")
    return JSONResponse(hit.record)


@api.get("/stats", summary="Counts per tag")
def stats_json(request: Request, limit: int = 50) -> JSONResponse:
    """Articles in all, and per topic, region, agency (the `limit` most frequent) and month."""
    backend = _backend(request)
    limit = max(1, min(limit, 1000))

    def rows(by: str, n: int | None) -> list[dict[str, Any]]:
        return [{"value": v, "name": name, "count": c} for v, name, c in stats(backend, by, n)]

    return JSONResponse({
        "articles": total(backend),
        "topics": rows("topic", limit), "regions": rows("region", limit), "agencies": rows("agency", limit),
        "months": [{"month": v, "count": c} for v, _, c in stats(backend, "month", None)],
    })

