"""The service's fixtures: the app in process (Starlette's TestClient runs its start-up, so the
artifacts load as in production), and one real `newstag serve` on a free loopback port for the
tests that need a real server (the browser, the command itself)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from newstag.service.app import create_app
from newstag.service.options import ServiceOptions

NEWSTAG = Path(sys.executable).with_name("newstag")


@pytest.fixture(scope="session")
def api():
    """A TestClient on the service with its default options."""
    with TestClient(create_app(ServiceOptions()), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture(scope="session")
def keyed_api():
    """A TestClient on a service started with an API key ("s3cret")."""
    with TestClient(create_app(ServiceOptions(api_key="s3cret")), raise_server_exceptions=False) as client:
        yield client


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(args: list[str], log: Path) -> Iterator[subprocess.Popen]:
    """`newstag serve ARGS` on a free loopback port, its output in `log`: the process (its URL as
    `.url`) once it is ready. Stopped when the block ends."""
    port = free_port()
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [str(NEWSTAG), "serve", "--port", str(port), *args],
            stdout=out, stderr=subprocess.STDOUT, env={k: v for k, v in os.environ.items() if k != "NEWSTAG_API_KEY"},
        )
    url = process.url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(url + "/v1/ready", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"newstag serve did not become ready: {log.read_text()[-2000:]}")
            time.sleep(0.1)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def service_process(tmp_path_factory):
    """`newstag serve --workers 2` on a free loopback port (a Popen with `.url`), once per session."""
    with serving(["--workers", "2"], tmp_path_factory.mktemp("serve") / "serve.log") as process:
        yield process


@pytest.fixture(scope="session")
def service_url(service_process) -> str:
    """The URL of `newstag serve --workers 2`, ready, for the whole test session."""
    return service_process.url
