"""Property-based fuzzing of the API against its own /openapi.json (schemathesis), on the real
server: whatever schemathesis sends, no 5xx but a deliberate 503, and every answer fits the
schema (status codes, content types, bodies)."""

from __future__ import annotations

import json

import orjson
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks

from newstag.service.app import create_app

pytestmark = pytest.mark.slow


@schemathesis.serializer("application/x-ndjson")
def _ndjson(ctx, value):
    # The batch body is a string of JSON Lines: send a string as its bytes; anything else that
    # negative testing makes up goes as JSON, one line per element of a list.
    if isinstance(value, bytes):
        return {"data": value}
    if isinstance(value, str):
        return {"data": value.encode("utf-8", "surrogatepass")}
    items = value if isinstance(value, list) else [value]
    return {"data": b"".join(_json_line(item) for item in items)}


def _json_line(item) -> bytes:
    try:
        return orjson.dumps(item, default=str) + b"\n"
    except TypeError:  # integers past 64 bits, which orjson refuses and the standard library writes
        return json.dumps(item, default=str).encode() + b"\n"


# The document the server publishes at /openapi.json (building it needs no running server); the
# calls go to the real one.
schema = schemathesis.openapi.from_dict(create_app().openapi())


@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_answers_fit_the_schema(case, service_url):
    response = case.call_and_validate(
        base_url=service_url,
        checks=[
            checks.not_a_server_error,
            checks.status_code_conformance,
            checks.content_type_conformance,
            checks.response_schema_conformance,
        ],
    )
    assert response.status_code < 500 or response.status_code == 503
