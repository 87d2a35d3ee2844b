"""The HTML side: the tagging page at `/` and the API reference at `/docs`.

The page works without JavaScript: the form posts here and the result is rendered on the server
(chips, highlighted mentions with CSS tooltips, the SVG map, the footer, the record). The one
script, `static/page.js`, only adds the copy button and links mentions to their dots on the map.
"""

from __future__ import annotations

import functools
from http import HTTPStatus
from pathlib import PurePath
from typing import Any

from fastapi import APIRouter, Request
from jinja2 import Environment, PackageLoader
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.responses import HTMLResponse

from newstag.batch.stream import DocumentBytes, Item, item_size
from newstag.parse.readers import HTML_SUFFIXES, JSONL_SUFFIXES, jsonl_record
from newstag.service.api import saturated
from newstag.service.engine import Saturated
from newstag.service.options import PAGE_MAX_RECORDS
from newstag.service.problems import Problem
from newstag.service.security import key_matches
from newstag.service.views import article_view
from newstag.types import RawDocument

router = APIRouter(include_in_schema=False)
PASTED_ID = "pasted"


@functools.cache
def templates() -> Environment:
    # autoescape=True for every template: article text is hostile and is only ever escaped.
    return Environment(loader=PackageLoader("newstag.service", "templates"), autoescape=True)


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    options = request.app.state.options
    html = templates().get_template(name).render(needs_key=options.api_key is not None, **context)
    return HTMLResponse(html, status_code=status)


@router.get("/", response_class=HTMLResponse)
async def form_page(request: Request) -> HTMLResponse:
    return render(request, "index.html", max_records=PAGE_MAX_RECORDS)


@router.post("/", response_class=HTMLResponse)
async def tag_page(request: Request) -> HTMLResponse:
    """The form's answer: the same page with the results under it, or with what to fix."""
    form_values: dict[str, str] = {}
    try:
        docs, note, form_values = await _documents(request)
        size = sum(map(item_size, docs))
        try:
            tagged = await request.app.state.engine.tag_documents(docs, size)
        except Saturated as exc:
            raise saturated(request, exc) from None
    except Problem as exc:
        return render(
            request, "index.html", status=exc.status, error=exc.detail, error_title=HTTPStatus(exc.status).phrase,
            max_records=PAGE_MAX_RECORDS, form=form_values,
        )
    views = [article_view(t) for t in tagged]
    return render(
        request, "index.html", results=views, note=note, max_records=PAGE_MAX_RECORDS,
        form=form_values,
    )


async def _documents(request: Request) -> tuple[list[Item], str | None, dict[str, str]]:
    """The documents the form sent (pasted text, or an uploaded file), checked against the limits."""
    options = request.app.state.options
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > options.max_batch_bytes:
        raise Problem(413, f"the upload is {int(declared):,} bytes; the limit is {options.max_batch_bytes:,}")
    try:
        form = await request.form(max_files=1, max_fields=8, max_part_size=options.max_article_bytes + 1024)
    except HTTPException as exc:  # what Starlette makes of a malformed or oversized form
        detail = str(exc.detail)
        if "maximum size" in detail.lower():
            raise Problem(413, f"the pasted text is over {options.max_article_bytes:,} bytes: upload it as a file, or cut it") from None
        raise Problem(400, f"the form could not be read ({detail}): send it from the page") from None
    values = {name: value for name, value in form.items() if isinstance(value, str)}
    kept = {"title": values.get("title", ""), "id": values.get("id", "")}
    if not key_matches(options.api_key, values.get("api_key") or None):
        raise Problem(401, "this server needs an API key: enter the key it was started with")
    upload = form.get("file")
    if isinstance(upload, UploadFile) and upload.filename:
        data = await upload.read()
        return *_file_documents(data, upload.filename, options.max_article_bytes), kept
    text = values.get("text", "")
    if not text.strip():
        raise Problem(422, "paste an article's text, or choose a .txt, .html or .jsonl file")
    if len(text.encode()) > options.max_article_bytes:
        raise Problem(413, f"the pasted text is over {options.max_article_bytes:,} bytes: cut it")
    kept["text"] = text
    title = values.get("title", "").strip() or None
    return [RawDocument(id=values.get("id", "").strip() or PASTED_ID, text=text, title=title, kind="raw")], None, kept


def _file_documents(data: bytes, filename: str, max_article_bytes: int) -> tuple[list[Item], str | None]:
    name = PurePath(filename).name or "upload"
    suffix = PurePath(name).suffix.lower()
    if suffix in JSONL_SUFFIXES:
        # Lines as `newstag tag` reads them: split at "\n" only; a last line needs no newline.
        lines = data.split(b"\n")
        if lines[-1] == b"":
            lines.pop()
        # JSON Lines lines by the batch layer's rules, numbered as the CLI numbers them.
        docs = [jsonl_record(line, number, max_article_bytes) for number, line in enumerate(lines[:PAGE_MAX_RECORDS], start=1)]
        if not docs:
            raise Problem(422, f"{name} holds no lines: a JSON Lines file has one {{\"text\": ...}} object per line")
        note = f"the first {PAGE_MAX_RECORDS} of {len(lines):,} records of {name}" if len(lines) > PAGE_MAX_RECORDS else None
        return docs, note
    if len(data) > max_article_bytes:
        raise Problem(413, f"{name} is {len(data):,} bytes; one article may be {max_article_bytes:,}")
    # Decoded on the tagging thread as `newstag tag` decodes a file (parse.readers.read_bytes).
    return [DocumentBytes(name, data, "html" if suffix in HTML_SUFFIXES else "raw")], None


@router.get("/docs", response_class=HTMLResponse)
async def docs_page(request: Request) -> HTMLResponse:
    """The API reference, drawn from the OpenAPI document (no Swagger UI: it needs a CDN and inline script)."""
    spec = request.app.openapi()
    endpoints = []
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            endpoints.append({
                "method": method.upper(),
                "path": path,
                "summary": op.get("summary", ""),
                "description": op.get("description", ""),
                "bodies": list(op.get("requestBody", {}).get("content", {})),
                "responses": [(code, r.get("description", "")) for code, r in op.get("responses", {}).items()],
            })
    return render(request, "docs.html", endpoints=endpoints, title=spec["info"]["title"], version=spec["info"]["version"])
