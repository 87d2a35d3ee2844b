"""What every response carries, and the API key check.

Article text is hostile: the page inserts it only through Jinja's autoescaping, and the headers
below make the browser refuse anything that slipped through anyway: no inline script, no script
or style or image from another host, no framing, no referrer sent on links out.
"""

from __future__ import annotations

import secrets

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newstag.service.problems import Problem

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


class SecurityHeaders:
    """ASGI middleware: the security headers on every HTTP response, errors and assets included.

    Plain ASGI rather than a BaseHTTPMiddleware, which would buffer the streamed batch answer
    and cost a task per request.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def key_matches(expected: str | None, given: str | None) -> bool:
    """True when no key is set, or `given` is it (compared in constant time)."""
    if expected is None:
        return True
    return given is not None and secrets.compare_digest(given.encode(), expected.encode())


def require_api_key(request: Request) -> None:
    """FastAPI dependency of every /v1/ route: `Authorization: Bearer <key>` when a key is set."""
    expected = request.app.state.options.api_key
    if expected is None:
        return
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not key_matches(expected, given.strip()):
        raise Problem(
            401,
            "this server needs an API key: send the header 'Authorization: Bearer <key>'"
            if not given else "the API key is wrong: send the key the server was started with (--api-key or NEWSTAG_API_KEY)",
            headers={"WWW-Authenticate": 'Bearer realm="newstag"'},
        )
