"""The page without a browser: the form posts, the server renders the result, escaped."""

from __future__ import annotations

import re

import orjson

from tests.conftest import EXAMPLE, REPO

HOSTILE = '<script>alert(1)</script> Talks in Paris. <img src=x onerror=alert(2)> "><svg onload=alert(3)>'


def external_refs(html: str) -> list[str]:
    """src / href values of scripts, styles, images, frames and forms pointing off this server."""
    refs = re.findall(r'<(?:script|link|img|iframe|source|form|object|embed)\b[^>]*?(?:src|href|action)="([^"]*)"', html)
    return [r for r in refs if not (r.startswith("/") and not r.startswith("//")) and not r.startswith("data:")]


def test_form_page_loads_nothing_from_another_host(api):
    page = api.get("/")
    assert page.status_code == 200 and "<form" in page.text and 'name="text"' in page.text
    assert external_refs(page.text) == []
    assert "<script>" not in page.text and 'src="/static/page.js"' in page.text  # no inline script at all


def test_result_is_rendered_on_the_server(api, example_text):
    page = api.post("/", files={"text": (None, example_text)})
    html = page.text
    assert page.status_code == 200
    assert 'class="chip topic level-1"' in html and "economy, business and finance" in html
    assert re.search(r'<ul class="chips regions about">.*?Chile', html, re.S)
    assert len(re.findall(r'<mark class="place resolved"', html)) >= 20
    assert '<path class="country about"' in html and '<circle class="dot"' in html
    assert re.search(r"General: [^<\n]*economy, business and finance", html)
    assert "Download the JSON record" in html and external_refs(html) == []
    # The JSON record on the page is the API's record for the same text (pasted text was never
    # bytes, so it has no encoding).
    record = api.post("/v1/tag", params={"id": "pasted"}, content=example_text.encode(), headers={"Content-Type": "text/plain"}).json()
    assert record["encoding"] == "utf-8"
    record["encoding"] = None
    assert orjson.dumps(record, option=orjson.OPT_INDENT_2).decode().replace('"', "&#34;") in html


def test_article_text_is_escaped_everywhere(api):
    html = api.post("/", files={"text": (None, HOSTILE), "title": (None, "<b>bold</b> & co")}).text
    assert "<script>alert" not in html and "<img src=x" not in html and "<svg onload" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;b&gt;bold&lt;/b&gt; &amp; co" in html


def test_uploads(api):
    page = (REPO / "tests" / "fixtures" / "page.html").read_bytes()
    html = api.post("/", files={"file": ("story.html", page, "text/html")}).text
    assert "<code>story.html</code>" in html and '<mark class="place' in html
    lines = b"".join(orjson.dumps({"id": f"s{i}", "text": f"Storms hit Manila on day {i}."}) + b"\n" for i in range(25))
    html = api.post("/", files={"file": ("archive.jsonl", lines, "application/x-ndjson")}).text
    assert html.count('<article class="card result"') == 20 and "the first 20 of 25 records of archive.jsonl" in html
    html = api.post("/", files={"file": ("a.txt", EXAMPLE.read_bytes(), "text/plain")}).text
    assert "<code>a.txt</code>" in html and "Chile" in html


def test_form_errors_are_shown_on_the_page(api, keyed_api):
    empty = api.post("/", files={"text": (None, "  ")})
    assert empty.status_code == 422 and "paste an article" in empty.text
    big = api.post("/", files={"text": (None, "Rain in Lima. " * 100_000)})
    assert big.status_code == 413 and 'role="alert"' in big.text
    binary = api.post("/", files={"file": ("x.bin.txt", bytes(range(256)) * 4, "text/plain")})
    assert binary.status_code == 200 and "Not tagged (read)" in binary.text  # the reader's error record
    assert 'name="api_key"' in keyed_api.get("/").text
    refused = keyed_api.post("/", files={"text": (None, "Talks in Cairo.")})
    assert refused.status_code == 401 and "API key" in refused.text
    ok = keyed_api.post("/", files={"text": (None, "Talks in Cairo."), "api_key": (None, "s3cret")})
    assert ok.status_code == 200 and "Egypt" in ok.text
