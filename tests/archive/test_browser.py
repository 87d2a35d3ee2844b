"""The archive's pages in a real browser: `newstag serve --archive DB` on a loopback port, driven
through the test run's one headless Chromium (the `browser` fixture of tests/conftest.py)."""

from __future__ import annotations

import orjson
import pytest

from newstag.archive import commands
from newstag.archive.backends import open_archive
from newstag.options import TagOptions

from .conftest import ARTICLES


@pytest.fixture(scope="module")
def archive_server(tmp_path_factory):
    """`newstag serve --archive DB` with the test articles stored in DB."""
    from tests.service.conftest import serving

    db = tmp_path_factory.mktemp("archive-serve") / "archive.db"
    with open_archive(str(db)) as backend:
        commands.add(backend, [str(ARTICLES)], options=TagOptions())
    with serving(["--archive", str(db)], db.with_name("serve.log")) as process:
        url = process.url
        yield url


def test_tag_pages_in_a_browser(browser, archive_server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as until
    from selenium.webdriver.support.ui import WebDriverWait

    def wait_for_url(part: str) -> None:  # a click navigates; the next page loads after it returns
        WebDriverWait(browser, 20).until(until.url_contains(part))
        WebDriverWait(browser, 20).until(lambda b: b.execute_script("return document.readyState") == "complete")

    expected = [obj for obj in map(orjson.loads, ARTICLES.read_bytes().splitlines())]
    browser.get_log("browser")  # drop what earlier tests left
    browser.get(archive_server + "/regions/CU?relevance=about")
    hits = browser.find_elements(By.CSS_SELECTOR, "li.hit")
    assert len(hits) >= 3
    assert all("Cuba" in h.text or "Havana" in h.text or "Varadero" in h.text for h in hits)
    bars = browser.find_elements(By.CSS_SELECTOR, "figure.month-chart rect.bar")
    assert bars and all(float(b.get_attribute("height")) > 0 for b in bars)
    assert browser.find_element(By.CSS_SELECTOR, "figure.month-chart svg").size["width"] > 300  # the stylesheet applied

    # A topic chip leads to the topic's page; its heading is the label.
    chip = browser.find_element(By.CSS_SELECTOR, "li.hit a.chip.topic")
    label = chip.text
    chip.click()
    wait_for_url("/topics/medtop:")
    assert label in browser.find_element(By.CSS_SELECTOR, "h1.archive-heading").text

    # The search box.
    browser.get(archive_server + "/articles")
    box = browser.find_element(By.ID, "archive-q")
    box.send_keys("copper")
    box.submit()
    wait_for_url("q=copper")
    titles = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "li.hit a.hit-title")]
    assert titles == [next(a["title"] for a in expected if a["id"] == "cl-copper")]

    # A facet link narrows the result; the article page shows the text with its places marked.
    browser.get(archive_server + "/articles")
    browser.find_element(By.CSS_SELECTOR, 'ul.facet[data-facet="region"] a').click()
    wait_for_url("region=")
    browser.find_element(By.CSS_SELECTOR, "li.hit a.hit-title").click()
    wait_for_url("/articles/")
    assert browser.find_elements(By.CSS_SELECTOR, ".article-text mark.place")
    assert browser.find_elements(By.CSS_SELECTOR, "a.chip.region")

    # No CSP violation, no missing asset (the service has no favicon: Chromium asks for one).
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE" and "/favicon.ico" not in e["message"]]
    assert errors == [], errors
