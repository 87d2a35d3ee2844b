"""The HTTP API, versioned under /v1/. Every route needs the API key when one is set."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, Optional, Union

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field
from starlette.responses import Response, StreamingResponse

from newstag.emit.schema import Record
from newstag.errors import InputError
from newstag.service.engine import Saturated, TaggingEngine
from newstag.service.inputs import (
    JSON_TYPES,
    JSONL_TYPES,
    RAW_TYPES,
    document_from_bytes,
    json_article,
    jsonl_chunks,
    media_type,
    read_body,
)
from newstag.service.options import ServiceOptions
from newstag.service.problems import Problem, problem_responses
from newstag.service.security import require_api_key

NDJSON = "application/x-ndjson"
# A raw body's id when the request names none: what `newstag tag` gives text read from stdin.
RAW_DEFAULT_ID = "-"

router = APIRouter(prefix="/v1", dependencies=[Depends(require_api_key)])


class TagRequest(BaseModel):
    """One article as JSON: a line of the CLI's JSON Lines input."""

    text: str = Field(description="The article's text, as scraped (title first line, footer last lines, or body only).")
    title: Optional[str] = Field(default=None, description="The headline, when it is not the text's first line.")
    id: Optional[Union[str, int]] = Field(default=None, description="Your id, returned in the record (default '1').")


class Health(BaseModel):
    status: str = Field(description="'ok' while the process answers.")


class Ready(BaseModel):
    ready: bool = Field(description="True once this worker has loaded the gazetteer and the topic model.")


class TaxonomyTopic(BaseModel):
    code: str = Field(description="IPTC Media Topic code, e.g. medtop:04000000.")
    label: str
    level: int
    parent: Optional[str]


class Taxonomy(BaseModel):
    topics: list[TaxonomyTopic] = Field(description="Every topic the loaded model can give, in the model's order.")
    versions: dict[str, str]


class BodyStreamingResponse(StreamingResponse):
    """A streamed answer whose generator is still reading the request body.

    Starlette's StreamingResponse, under servers of ASGI spec < 2.4 (uvicorn), also listens for
    the client's disconnect by calling `receive()` beside the generator: that listener would take
    the body's next messages and the generator would wait for them for ever. This one only sends;
    a client that goes away ends the body stream (ClientDisconnect) and so the generator.
    """

    async def __call__(self, scope, receive, send) -> None:
        await self.stream_response(send)
        if self.background is not None:
            await self.background()


def engine_of(request: Request) -> TaggingEngine:
    return request.app.state.engine


def options_of(request: Request) -> ServiceOptions:
    return request.app.state.options


def saturated(request: Request, exc: Saturated) -> Problem:
    seconds = options_of(request).retry_after
    return Problem(503, f"the server is busy ({exc}): try again in {seconds} s", headers={"Retry-After": str(seconds)})


_TAG_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": TagRequest.model_json_schema()},
            "text/plain": {"schema": {"type": "string"}},
            "text/html": {"schema": {"type": "string"}},
        },
    }
}
_BATCH_BODY = {
    "requestBody": {
        "required": True,
        "content": {NDJSON: {"schema": {"type": "string", "description": 'JSON Lines: {"text", "title"?, "id"?} per line.'}}},
    }
}


@router.post(
    "/tag",
    response_model=Record,
    summary="Tag one article",
    openapi_extra=_TAG_BODY,
    responses=problem_responses(400, 401, 413, 415, 422, 503),
)
async def tag(
    request: Request,
    id: Optional[str] = Query(default=None, description="The record's id for a text/plain or text/html body (default '-', as for stdin). A JSON body carries its own `id`."),
) -> Response:
    """One article in, the record `newstag tag --format json` gives for it out.

    Send JSON (`{"text", "title"?, "id"?}`, tagged as one JSON Lines line), or the raw scraped
    text as `text/plain` (as the CLI reads a file) or a page as `text/html` (main text extracted;
    offsets point into the record's `text`). A `charset` in Content-Type is honoured; the default
    is UTF-8.
    """
    options = options_of(request)
    kind, charset = media_type(request)
    if kind not in JSON_TYPES and kind not in RAW_TYPES:
        raise Problem(415, f"Content-Type {kind or '(none)'} is not accepted here: send application/json, text/plain or text/html")
    body = await read_body(request, options.max_article_bytes, "the article")
    if kind in JSON_TYPES:
        item = json_article(body)
    else:
        try:
            item = document_from_bytes(body, id if id else RAW_DEFAULT_ID, RAW_TYPES[kind], charset)
        except InputError as exc:
            raise Problem(400, str(exc)) from None
    try:
        (record,) = await engine_of(request).tag_items([item], len(body))
    except Saturated as exc:
        raise saturated(request, exc) from None
    return Response(record.rstrip(b"\n"), media_type="application/json")


@router.post(
    "/tag/batch",
    summary="Tag JSON Lines, streamed",
    openapi_extra=_BATCH_BODY,
    responses={
        200: {"description": "One record per input line, in input order, as JSON Lines.", "content": {NDJSON: {"schema": {"type": "string"}}}},
        **problem_responses(401, 413, 415, 503),
    },
    response_class=BodyStreamingResponse,
)
async def tag_batch(request: Request) -> Response:
    """JSON Lines in (`{"text", "title"?, "id"?}` per line), one record per line out, in order.

    The answer streams as the body is tagged. A line that cannot be an article (bad JSON, no
    text, over the per-article limit) gets its error record, as in `newstag tag`; a missing `id`
    is the line number.
    """
    options = options_of(request)
    kind, _ = media_type(request)
    if kind not in JSONL_TYPES:
        raise Problem(415, f"Content-Type {kind or '(none)'} is not accepted here: send JSON Lines as {NDJSON}")
    engine = engine_of(request)
    chunks = jsonl_chunks(request, options.max_article_bytes, options.max_batch_bytes)
    first = await anext(chunks, None)
    if first is None:
        return Response(b"", media_type=NDJSON)
    try:
        # The first chunk is admitted or refused before the answer starts: a 503 is still possible.
        first_records = await engine.tag_items(*first)
    except Saturated as exc:
        await chunks.aclose()
        raise saturated(request, exc) from None

    async def records() -> AsyncIterator[bytes]:
        yield b"".join(first_records)
        async for items, size in chunks:
            yield b"".join(await engine.tag_items(items, size, wait=True))

    return BodyStreamingResponse(records(), media_type=NDJSON)


@router.get("/health", response_model=Health, summary="Liveness")
async def health() -> dict[str, Any]:
    return {"status": "ok"}


@router.get("/ready", response_model=Ready, summary="Readiness", responses=problem_responses(401, 503))
async def ready(request: Request) -> dict[str, Any]:
    """200 once this worker's artifacts are loaded (they load before the server accepts a request)."""
    if not engine_of(request).ready:
        raise Problem(503, "the artifacts are not loaded yet, or the server is stopping: try again shortly",
                      headers={"Retry-After": str(options_of(request).retry_after)})
    return {"ready": True}


@router.get("/version", response_model=dict[str, str], summary="Versions", responses=problem_responses(401))
async def version(request: Request) -> dict[str, str]:
    """The `versions` every record carries: newstag, gazetteer, topic model, IPTC vocabulary."""
    return engine_of(request).versions


@router.get("/taxonomy", response_model=Taxonomy, summary="Topics the model can give", responses=problem_responses(401))
async def taxonomy(request: Request) -> dict[str, Any]:
    engine = engine_of(request)
    return {"topics": engine.labels, "versions": engine.versions}
