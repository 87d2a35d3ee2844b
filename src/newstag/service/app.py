"""The application factory: routers, error answers, security headers, and the tagging engine's life.

The engine's artifacts are loaded in the lifespan's start-up, which uvicorn completes before it
accepts a connection: a request never waits for (or sees) a half-loaded worker.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from importlib import resources

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from newstag import __version__
from newstag.batch.parallel import ChunkTagger
from newstag.service import api, pages, problems
from newstag.service.engine import TaggingEngine
from newstag.service.options import ServiceOptions
from newstag.service.security import SecurityHeaders

DESCRIPTION = """Tags news articles with IPTC Media Topics (General) and countries / UN M49 regions
(Regions), with the evidence behind every tag. `POST /v1/tag` answers exactly the record
`newstag tag --format json` gives for the same input; `POST /v1/tag/batch` takes JSON Lines and
streams one record per line. Errors are `application/problem+json` (RFC 9457)."""


def create_app(options: ServiceOptions | None = None, tagger: ChunkTagger | None = None) -> FastAPI:
    """The service as an ASGI app. `tagger`: artifacts already loaded (before a fork), else the
    app loads its own at start-up."""
    options = options or ServiceOptions()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        engine = TaggingEngine(options.tag, options.queue_articles, options.queue_bytes, tagger)
        app.state.engine = engine
        engine.start()
        try:
            await engine.wait_ready()
            yield
        finally:
            engine.stop()

    # /docs is our own page (pages.py) drawn from /openapi.json: the stock Swagger UI loads its
    # scripts from a CDN and starts itself with an inline script, which the page's CSP refuses.
    app = FastAPI(
        title="newstag",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.options = options
    problems.install(app)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=str(resources.files("newstag.service") / "static")), name="static")
    if options.archive:
        from newstag.archive.web import install

        install(app, options.archive)
    app.add_middleware(SecurityHeaders)
    return app
