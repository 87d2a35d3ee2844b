"""Errors as `application/problem+json` (RFC 9457): a status, a title and a `detail` saying what to fix.

Every error the service answers goes through here: the problems handlers raise on purpose
(`Problem`), Starlette's own (404, 405), request validation (422), and, as a last resort, an
exception nobody expected (500, logged; no input is meant to reach it).
"""

from __future__ import annotations

import logging
from http import HTTPStatus

import orjson
from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

PROBLEM_TYPE = "application/problem+json"
log = logging.getLogger("newstag.service")


class Problem(Exception):
    """An error answer: raise it from a handler or a dependency."""

    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers or {}


class ProblemDetails(BaseModel):
    """RFC 9457 problem details."""

    type: str = Field(default="about:blank", description="about:blank: the status code says what kind of problem it is.")
    title: str = Field(description="The status code's phrase.")
    status: int
    detail: str = Field(description="What went wrong with this request and what to change.")
    instance: str = Field(description="The path of the request.")


def problem_response(request: Request, status: int, detail: str, headers: dict[str, str] | None = None) -> Response:
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
    }
    return Response(orjson.dumps(body), status_code=status, media_type=PROBLEM_TYPE, headers=headers)


def problem_responses(*statuses: int) -> dict[int | str, dict]:
    """OpenAPI `responses` entries for these error statuses."""
    return {
        status: {"model": ProblemDetails, "content": {PROBLEM_TYPE: {}}, "description": HTTPStatus(status).phrase}
        for status in statuses
    }


def install(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> Response:
        return problem_response(request, exc.status, exc.detail, exc.headers)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> Response:
        detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
        if exc.status_code == 404:
            detail = f"no such page or endpoint: {request.url.path} (the API is under /v1/; see /docs)"
        elif exc.status_code == 405:
            detail = f"{request.method} is not allowed on {request.url.path}; see /docs for the methods each endpoint takes"
        return problem_response(request, exc.status_code, detail, getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        reasons = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}" for e in exc.errors())
        return problem_response(request, 422, f"the request does not fit the API: {reasons}")

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return problem_response(request, 500, f"the server failed on this request ({type(exc).__name__}); it is logged: please report it")
