"""The archive's pages and JSON twins on both backends, through FastAPI's test client."""

from __future__ import annotations

import re
from html import unescape

import orjson
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from newstag.archive import commands
from newstag.archive.backends import open_archive
from newstag.archive.chart import month_chart
from newstag.options import TagOptions
from newstag.service.app import create_app
from newstag.service.options import ServiceOptions

from .conftest import ARTICLES


def archive_app(url: str) -> FastAPI:
    """The service's app serving the archive at `url` (`newstag serve --archive URL`)."""
    return create_app(ServiceOptions(archive=url))


@pytest.fixture
def client(archive_url):
    with open_archive(archive_url) as backend:
        commands.add(backend, [str(ARTICLES)], options=TagOptions())
    with TestClient(archive_app(archive_url)) as c:
        yield c


def _about(records, code):
    return [r for r in records if any(x["code"] == code and x["relevance"] == "about" for x in r["regions"])]


def _hit_ids(html: str) -> list[str]:
    return [unescape(i) for i in re.findall(r'<li class="hit" data-id="([^"]*)"', html)]


def test_region_page_lists_every_story_about_it(client, tagged_records):
    page = client.get("/regions/CU", params={"relevance": "about"})
    assert page.status_code == 200
    expected = {r["id"] for r in _about(tagged_records, "CU")}
    assert set(_hit_ids(page.text)) == expected and len(expected) >= 3
    assert f'data-total="{len(expected)}"' in page.text
    assert "<svg" in page.text and 'class="bar"' in page.text  # the month chart, drawn on the server
    assert 'href="/topics/medtop:04000000"' in page.text  # tags link to their pages


def test_topic_page_and_search_box(client, tagged_records):
    code = "medtop:04000000"
    page = client.get(f"/topics/{code}")
    expected = {r["id"] for r in tagged_records if any(t["code"] == code for t in r["general"])}
    assert set(_hit_ids(page.text)) == expected
    assert "economy, business and finance" in page.text
    found = client.get("/articles", params={"q": "copper"})
    assert _hit_ids(found.text) == ["cl-copper"]
    everything = client.get("/articles", params={"q": ""})
    assert len(_hit_ids(everything.text)) == 10


def test_facets_are_links_that_add_the_filter(client, tagged_records):
    page = client.get("/articles")
    link = re.search(r'<a href="(/articles\?region=CU)" class="">Cuba</a> <span class="count">(\d+)</span>', page.text)
    assert link, page.text[:2000]
    in_cuba = [r for r in tagged_records if any(x["code"] == "CU" for x in r["regions"])]
    assert int(link.group(2)) == len(in_cuba)
    assert set(_hit_ids(client.get(link.group(1)).text)) == {r["id"] for r in in_cuba}


def test_pagination(client):
    from newstag.archive import web

    first = _hit_ids(client.get("/articles").text)
    old = web.PAGE_SIZE
    web.PAGE_SIZE = 3
    try:
        pages = [_hit_ids(client.get("/articles", params={"page": n}).text) for n in (1, 2, 3, 4)]
        html = client.get("/articles", params={"page": 1, "region": "419"}).text
        assert 'rel="next" href="/articles?region=419&amp;page=2"' in html
    finally:
        web.PAGE_SIZE = old
    assert sum(pages, []) == first
    assert client.get("/articles", params={"page": "0"}).status_code == 400


def test_article_page(client, tagged_records):
    page = client.get("/articles/cu-power")
    assert page.status_code == 200
    record = next(r for r in tagged_records if r["id"] == "cu-power")
    assert "Antonio Guiteras power plant" in page.text  # the stored text
    for region in record["regions"]:
        assert f'href="/regions/{region["code"]}"' in page.text
    assert client.get("/articles/no-such-id").status_code == 404


def test_json_twins(client, tagged_records):
    answer = client.get("/v1/articles", params={"region": "CU", "relevance": "about", "limit": 100}).json()
    expected = _about(tagged_records, "CU")
    assert answer["total"] == len(expected)
    assert sorted(answer["articles"], key=lambda r: r["id"]) == sorted(expected, key=lambda r: r["id"])
    topics = {f["value"]: f["count"] for f in answer["facets"]["topic"]}
    assert sum(topics.values()) == sum(len(r["general"]) for r in expected)
    assert client.get("/v1/articles/cl-copper").json() == next(r for r in tagged_records if r["id"] == "cl-copper")
    assert client.get("/v1/articles/none").status_code == 404
    stats = client.get("/v1/stats").json()
    assert stats["articles"] == 10
    assert {m["month"] for m in stats["months"]} >= {"2024-01", "2024-05"}
    bad = client.get("/v1/articles", params={"relevance": "about"})
    assert bad.status_code == 400 and "give a region" in bad.text


def test_hostile_text_is_escaped(archive_url, tmp_path):
    hostile = tmp_path / "hostile.jsonl"
    hostile.write_bytes(orjson.dumps({
        "id": "<script>alert(1)</script>", "title": "<img src=x onerror=alert(1)> Havana talks",
        "text": "HAVANA - Talks in Havana on Monday. <script>alert('x')</script> Cuba said the talks would go on.",
    }) + b"\n")
    with open_archive(archive_url) as backend:
        commands.add(backend, [str(hostile)], options=TagOptions())
    with TestClient(archive_app(archive_url)) as c:
        for path in ("/articles", "/regions/CU", "/articles/%3Cscript%3Ealert(1)%3C%2Fscript%3E", "/articles?q=%3Cscript%3E"):
            html = c.get(path).text
            assert "<script>alert" not in html and "<img src=x" not in html, path
        assert "&lt;img src=x onerror=alert(1)&gt; Havana talks" in c.get("/articles").text


def test_month_chart_geometry():
    chart = month_chart([("2023-11", 2), ("2024-02", 4)])
    assert [b.month for b in chart.bars] == ["2023-11", "2023-12", "2024-01", "2024-02"]
    assert [b.count for b in chart.bars] == [2, 0, 0, 4]
    assert chart.bars[3].height == 2 * chart.bars[0].height and chart.bars[1].height == 0
    assert [y for _, y in chart.years] == ["2023", "2024"]
    assert month_chart([]) is None


def test_service_rules_apply(archive_url):
    """The service's security headers, API key and problem+json answers cover the archive too."""
    with open_archive(archive_url) as backend:
        commands.add(backend, [str(ARTICLES)], options=TagOptions())
    with TestClient(create_app(ServiceOptions(archive=archive_url, api_key="k3y"))) as c:
        page = c.get("/regions/CU")
        assert "script-src 'self'" in page.headers["content-security-policy"]
        assert "default-src 'none'" in page.headers["content-security-policy"]
        assert c.get("/v1/articles").status_code == 401
        answer = c.get("/v1/articles/none", headers={"Authorization": "Bearer k3y"})
        assert answer.status_code == 404 and answer.headers["content-type"].startswith("application/problem+json")
        assert "no article with id 'none'" in answer.json()["detail"]
        assert c.get("/v1/stats", headers={"Authorization": "Bearer k3y"}).json()["articles"] == 10


def test_a_total_beyond_the_cap_is_shown_as_a_lower_bound(client, tagged_records, monkeypatch):
    from newstag.archive import queries, web

    monkeypatch.setattr(queries, "COUNT_CAP", 3)
    monkeypatch.setattr(web, "PAGE_SIZE", 2)
    assert len(tagged_records) == 10
    answer = client.get("/v1/articles", params={"limit": 2}).json()
    assert answer["total"] == 3 and answer["total_is_lower_bound"] is True and len(answer["articles"]) == 2
    schema = client.get("/openapi.json").json()["paths"]["/v1/articles"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert set(schema["required"]) == set(answer) == set(schema["properties"])  # the documented answer is the one given
    exact = client.get("/v1/articles", params={"region": "CU", "relevance": "about"}).json()
    assert exact["total"] == len(_about(tagged_records, "CU")) <= 3 and exact["total_is_lower_bound"] is False
    html = client.get("/articles").text
    assert 'data-total-is-lower-bound="true"' in html and "More than 3 articles" in html and "page 1 of more than 1" in html
    # "more than": every page has a next link until the last match, and the pages hold every article once.
    seen, page = [], 1
    while True:
        html = client.get("/articles", params={"page": page}).text
        seen += _hit_ids(html)
        if 'rel="next"' not in html:
            break
        page += 1
    assert sorted(seen) == sorted(r["id"] for r in tagged_records) and page == 5
    assert 'data-total="10" data-total-is-lower-bound="false"' in html  # the last page counts them all
