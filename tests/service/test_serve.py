"""`newstag serve --workers 2` as a user starts it: the issue's 'done when', on a real server."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import httpx
import orjson
import pytest

from tests.service.test_api import cli_records
from tests.service.test_pages import external_refs

pytestmark = pytest.mark.slow


def test_the_real_server_answers_as_the_cli(service_url, seed_text, tmp_path):
    path = tmp_path / "seed.txt"
    path.write_text(seed_text, encoding="utf-8")
    (expected,) = cli_records(str(path))
    response = httpx.post(f"{service_url}/v1/tag", params={"id": str(path)}, content=path.read_bytes(),
                          headers={"Content-Type": "text/plain"}, timeout=30)
    assert response.json() == expected
    too_big = httpx.post(f"{service_url}/v1/tag", content=b"a " * 1_000_000, headers={"Content-Type": "text/plain"}, timeout=30)
    assert too_big.status_code == 413 and too_big.headers["content-type"] == "application/problem+json"
    bad = httpx.post(f"{service_url}/v1/tag", content=b'{"text": ', headers={"Content-Type": "application/json"}, timeout=30)
    assert bad.status_code == 400 and bad.headers["content-type"] == "application/problem+json"
    page = httpx.get(service_url + "/", timeout=30)
    assert page.status_code == 200 and external_refs(page.text) == []


def test_the_real_server_streams_a_long_batch_in_order(service_url):
    # 600 lines: several chunks, so the answer starts while the body is still being read.
    places = ["Lagos", "Manila", "Bogota", "Warsaw"]
    body = b"".join(orjson.dumps({"id": f"b{i}", "text": f"Traffic was heavy in {places[i % 4]} on day {i}."}) + b"\n" for i in range(600))
    with httpx.stream("POST", f"{service_url}/v1/tag/batch", content=body, headers={"Content-Type": "application/x-ndjson"}, timeout=60) as response:
        assert response.status_code == 200 and response.headers.get("transfer-encoding") == "chunked"
        records = [orjson.loads(line) for line in response.iter_lines() if line]
    assert [r["id"] for r in records] == [f"b{i}" for i in range(600)]
    assert all(r["places"] and r["places"][0]["text"] == places[i % 4] for i, r in enumerate(records))



def workers_of(pid: int) -> list[int]:
    return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def test_a_worker_that_dies_is_replaced(service_process):
    before = workers_of(service_process.pid)
    assert len(before) == 2  # --workers 2: two processes beside the supervisor
    os.kill(before[0], signal.SIGKILL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        now = workers_of(service_process.pid)
        if len(now) == 2 and before[0] not in now:
            break
        time.sleep(0.1)
    assert len(now) == 2 and before[0] not in now and before[1] in now
    for _ in range(10):  # whichever worker takes them, the answers come
        response = httpx.post(f"{service_process.url}/v1/tag", content=b"Talks in Cairo.", headers={"Content-Type": "text/plain"}, timeout=30)
        assert response.status_code == 200 and response.json()["regions"][0]["code"] == "EG"
