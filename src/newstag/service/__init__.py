"""The service edge: `newstag serve`, an HTTP API under /v1/ and a web page at /.

    app.py       create_app: routers, problem answers, security headers, the engine's start-up
    api.py       /v1/tag, /v1/tag/batch, /v1/health, /v1/ready, /v1/version, /v1/taxonomy
    pages.py     / (the tagging page, no JavaScript needed) and /docs (drawn from /openapi.json)
    views.py     a tagged article as the page's plain values (segments, chips, map)
    worldmap.py  country outlines from the vendored world-atlas TopoJSON, as SVG paths
    inputs.py    request bodies -> the batch layer's items, with size limits
    engine.py    one tagging thread per worker behind a bounded queue (503 when full)
    security.py  CSP and other headers on every response; the API key
    problems.py  errors as application/problem+json
    server.py    load, bind, fork N workers (artifacts shared copy-on-write)
    options.py   ServiceOptions, built at the edge

Like every edge, it calls the pipeline (through the batch layer's ChunkTagger, so that a record
here is the CLI's record) and the emitters, never a stage.
"""

from newstag.service.options import ServiceOptions

__all__ = ["ServiceOptions"]  # the app: newstag.service.app.create_app; the server: newstag.service.server.serve
