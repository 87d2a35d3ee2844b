"""The /v1/ API: records equal to the CLI's, batch order and ids, every error status, the key."""

from __future__ import annotations

import asyncio

import httpx
import orjson
import pytest
from typer.testing import CliRunner

from newstag.cli import app as cli
from newstag.emit.schema import Record
from newstag.service.app import create_app
from newstag.service.engine import Saturated
from newstag.service.options import ServiceOptions

from tests.conftest import EXAMPLE, REPO

PAGE = REPO / "tests" / "fixtures" / "page.html"
PROBLEM = "application/problem+json"


def cli_records(*args: str) -> list[dict]:
    result = CliRunner().invoke(cli, ["tag", "--format", "jsonl", *args])
    assert result.exit_code == 0, result.output
    return [orjson.loads(line) for line in result.stdout.splitlines()]


def assert_problem(response: httpx.Response, status: int, words: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["status"] == status and problem["title"] and problem["instance"]
    assert words in problem["detail"], problem["detail"]
    return problem


@pytest.mark.parametrize("which", ["example", "seed"])
def test_raw_text_gets_the_cli_record(api, which, seed_text, tmp_path):
    path = EXAMPLE if which == "example" else tmp_path / "seed.txt"
    if which == "seed":
        path.write_text(seed_text, encoding="utf-8")
    (expected,) = cli_records(str(path))
    response = api.post("/v1/tag", params={"id": str(path)}, content=path.read_bytes(), headers={"Content-Type": "text/plain"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == expected
    Record.model_validate(response.json())
    assert expected["regions"] and expected["general"]  # a real record, not an empty one


def test_json_body_gets_the_cli_record_of_that_line(api, example_text, tmp_path):
    line = orjson.dumps({"id": "story-7", "title": "Gas deal", "text": example_text})
    path = tmp_path / "one.jsonl"
    path.write_bytes(line + b"\n")
    (expected,) = cli_records(str(path))
    response = api.post("/v1/tag", content=line, headers={"Content-Type": "application/json"})
    assert response.json() == expected and expected["id"] == "story-7"
    # Pretty-printed JSON is the same article.
    pretty = orjson.dumps(orjson.loads(line), option=orjson.OPT_INDENT_2)
    assert api.post("/v1/tag", content=pretty, headers={"Content-Type": "application/json"}).json() == expected


def test_html_body_gets_the_cli_record(api):
    (expected,) = cli_records(str(PAGE))
    response = api.post("/v1/tag", params={"id": str(PAGE)}, content=PAGE.read_bytes(), headers={"Content-Type": "text/html; charset=utf-8"})
    assert response.json() == expected
    assert expected["text"]  # HTML records carry the extracted text their offsets index


def test_raw_body_without_id_is_named_as_stdin(api):
    response = api.post("/v1/tag", content=b"Protests spread across Chile on Tuesday.", headers={"Content-Type": "text/plain"})
    record = response.json()
    assert record["id"] == "-" and "CL" in [r["code"] for r in record["regions"]]


def test_declared_charset_is_honoured(api):
    text = "Les ministres se sont réunis à Genève lundi."
    response = api.post("/v1/tag", content=text.encode("latin-1"), headers={"Content-Type": "text/plain; charset=latin-1"})
    assert response.status_code == 200 and "Genève" in [p["text"] for p in response.json()["places"]]
    assert_problem(api.post("/v1/tag", content=text.encode("latin-1"), headers={"Content-Type": "text/plain"}), 400, "not UTF-8")
    assert_problem(api.post("/v1/tag", content=b"x", headers={"Content-Type": "text/plain; charset=klingon"}), 400, "unknown charset")


def test_batch_streams_one_record_per_line_in_order(api, example_text, tmp_path):
    lines = [
        orjson.dumps({"id": "a", "text": "Floods hit Dhaka and parts of Bangladesh."}),
        b"{not json",
        b"",
        orjson.dumps({"text": example_text}),
        orjson.dumps({"id": 42, "title": "Rome talks", "text": "Leaders met in Rome."}),
        orjson.dumps({"id": "no-text"}),
        orjson.dumps({"id": "last", "text": "Markets fell in Tokyo."}),  # no newline after it
    ]
    body = b"\n".join(lines)
    path = tmp_path / "batch.jsonl"
    path.write_bytes(body)
    expected = cli_records(str(path))
    with api.stream("POST", "/v1/tag/batch", content=body, headers={"Content-Type": "application/x-ndjson"}) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/x-ndjson")
        got = [orjson.loads(line) for line in response.iter_lines() if line]
    assert got == expected
    assert [r["id"] for r in got] == ["a", "2", "3", "4", "42", "no-text", "last"]
    assert [r["error"] is not None for r in got] == [False, True, True, False, False, True, False]
    assert "not valid JSON" in got[1]["error"] and "empty" in got[2]["error"]


def test_batch_of_many_lines_keeps_order_across_chunks(api):
    # 300 lines: more than one chunk of the engine (CHUNK_DOCS), tagged and streamed in order.
    cities = ["Lima", "Oslo", "Nairobi", "Hanoi", "Quito"]
    body = b"".join(orjson.dumps({"id": f"n{i}", "text": f"Officials in {cities[i % 5]} said on day {i}."}) + b"\n" for i in range(300))
    response = api.post("/v1/tag/batch", content=body, headers={"Content-Type": "application/x-ndjson"})
    records = [orjson.loads(line) for line in response.content.splitlines()]
    assert [r["id"] for r in records] == [f"n{i}" for i in range(300)]
    assert all(r["places"][0]["text"] == cities[i % 5] for i, r in enumerate(records))


def test_empty_batch_gives_an_empty_answer(api):
    response = api.post("/v1/tag/batch", content=b"", headers={"Content-Type": "application/x-ndjson"})
    assert response.status_code == 200 and response.content == b""


def test_errors_are_problems_that_say_what_to_fix(api):
    json_type = {"Content-Type": "application/json"}
    assert_problem(api.post("/v1/tag", content=b'{"text": "unterminated', headers=json_type), 400, "not valid JSON")
    assert_problem(api.post("/v1/tag", content=b'{"title": "only a title"}', headers=json_type), 422, "no 'text'")
    assert_problem(api.post("/v1/tag", content=b'{"text": 7}', headers=json_type), 422, "must be a string")
    assert_problem(api.post("/v1/tag", content=b'["text"]', headers=json_type), 422, "JSON list")
    assert_problem(api.post("/v1/tag", content=b"text=hi", headers={"Content-Type": "application/x-www-form-urlencoded"}), 415, "text/plain")
    assert_problem(api.post("/v1/tag", content=b"hi"), 415, "(none)")
    assert_problem(api.post("/v1/tag/batch", content=b'{"text": "x"}', headers=json_type), 415, "application/x-ndjson")
    two_mb = b"Storms in Manila. " * (2_000_000 // 18)
    assert_problem(api.post("/v1/tag", content=two_mb, headers={"Content-Type": "text/plain"}), 413, "limit is 1,048,576 bytes")
    assert_problem(api.get("/v1/nowhere"), 404, "/v1/nowhere")
    assert_problem(api.get("/v1/tag"), 405, "GET is not allowed")


def test_a_line_over_the_article_limit_is_its_error_record(api):
    body = orjson.dumps({"id": "big", "text": "Rain in Paris. " * 80_000}) + b"\n" + orjson.dumps({"id": "ok", "text": "Rain in Paris."})
    records = [orjson.loads(x) for x in api.post("/v1/tag/batch", content=body, headers={"Content-Type": "application/x-ndjson"}).content.splitlines()]
    assert [r["id"] for r in records] == ["1", "ok"]  # the big line is not parsed, so its id is its number
    assert "over the 1,048,576-byte limit" in records[0]["error"] and records[1]["error"] is None


def test_batch_over_its_limit_is_refused_before_tagging():
    small = ServiceOptions(max_batch_bytes=1000, max_article_bytes=500)
    from fastapi.testclient import TestClient

    with TestClient(create_app(small)) as client:
        body = b"".join(orjson.dumps({"text": f"Line {i} from Berlin."}) + b"\n" for i in range(60))
        assert_problem(client.post("/v1/tag/batch", content=body, headers={"Content-Type": "application/x-ndjson"}), 413, "limit is 1,000 bytes")
        assert_problem(client.post("/v1/tag", content=b"x" * 600, headers={"Content-Type": "text/plain"}), 413, "the article is 600 bytes")


def test_info_endpoints(api):
    assert api.get("/v1/health").json() == {"status": "ok"}
    assert api.get("/v1/ready").json() == {"ready": True}
    versions = api.get("/v1/version").json()
    record = api.post("/v1/tag", content=b"Talks in Cairo.", headers={"Content-Type": "text/plain"}).json()
    assert versions == record["versions"] and {"newstag", "gazetteer", "topics_model"} <= set(versions)
    topics = api.get("/v1/taxonomy").json()["topics"]
    codes = {t["code"] for t in topics}
    assert "medtop:04000000" in codes and all(t["code"].startswith("medtop:") for t in topics)
    assert {t["code"] for t in record["general"]} <= codes  # every topic given is in the taxonomy


def test_api_key(keyed_api):
    text = {"Content-Type": "text/plain"}
    problem = assert_problem(keyed_api.post("/v1/tag", content=b"Talks in Cairo.", headers=text), 401, "Authorization: Bearer")
    assert problem
    assert_problem(keyed_api.get("/v1/health", headers={"Authorization": "Bearer wrong"}), 401, "key is wrong")
    assert keyed_api.get("/v1/health").headers.get("www-authenticate", "").startswith("Bearer")
    ok = keyed_api.post("/v1/tag", content=b"Talks in Cairo.", headers={**text, "Authorization": "Bearer s3cret"})
    assert ok.status_code == 200 and ok.json()["regions"][0]["code"] == "EG"


def test_security_headers_on_every_response(api):
    for response in (api.get("/"), api.get("/v1/health"), api.get("/static/style.css"), api.get("/nowhere"),
                     api.post("/v1/tag", content=b"{", headers={"Content-Type": "application/json"})):
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"


def test_openapi_documents_every_endpoint_with_the_record(api):
    spec = api.get("/openapi.json").json()
    assert {"/v1/tag", "/v1/tag/batch", "/v1/health", "/v1/ready", "/v1/version", "/v1/taxonomy"} <= set(spec["paths"])
    tag = spec["paths"]["/v1/tag"]["post"]
    assert tag["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/Record")
    assert set(tag["requestBody"]["content"]) == {"application/json", "text/plain", "text/html"}
    assert {"400", "401", "413", "415", "422", "503"} <= set(tag["responses"])
    docs = api.get("/docs")
    assert docs.status_code == 200 and "/v1/tag/batch" in docs.text and "<script" not in docs.text.replace('<script src="/static/page.js" defer></script>', "")


def test_a_full_queue_answers_503_with_retry_after(example_text):
    """Queue of one job: while a 128-article batch is being tagged, the next request is refused."""

    async def scenario() -> tuple[httpx.Response, httpx.Response]:
        app = create_app(ServiceOptions(queue_jobs=1, retry_after=3))
        async with app.router.lifespan_context(app):
            engine = app.state.engine
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                body = b"".join(orjson.dumps({"text": example_text}) + b"\n" for _ in range(128))
                first = asyncio.create_task(client.post("/v1/tag/batch", content=body, headers={"Content-Type": "application/x-ndjson"}))
                for _ in range(10_000):  # until the batch is admitted (its body read, its job queued)
                    if engine._pending_jobs:
                        break
                    await asyncio.sleep(0)
                refused = await client.post("/v1/tag", content=b"Talks in Cairo.", headers={"Content-Type": "text/plain"})
                return await first, refused

    first, refused = asyncio.run(scenario())
    assert first.status_code == 200 and len(first.content.splitlines()) == 128
    assert_problem(refused, 503, "busy")
    assert refused.headers["retry-after"] == "3"


def test_engine_refuses_at_once_and_a_waiting_batch_gets_in(example_text):
    """The queue's bound: a second job is refused without waiting, or waits when it may."""
    from newstag.options import TagOptions
    from newstag.service.engine import TaggingEngine

    async def scenario():
        engine = TaggingEngine(TagOptions(), queue_jobs=1, queue_bytes=1 << 20)
        engine.start()
        await engine.wait_ready()
        try:
            big = [(i, orjson.dumps({"text": example_text})) for i in range(1, 65)]
            first = asyncio.create_task(engine.tag_items(big, 64 * len(example_text)))
            await asyncio.sleep(0)
            with pytest.raises(Saturated):
                await engine.tag_items([(1, b'{"text": "Rain in Oslo."}')], 30)
            waited = await engine.tag_items([(1, b'{"text": "Rain in Oslo."}')], 30, wait=True)
            return await first, waited
        finally:
            engine.stop()

    first, waited = asyncio.run(scenario())
    assert len(first) == 64 and b'"Oslo"' in waited[0]
