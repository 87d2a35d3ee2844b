"""The page in a real browser (headless Chromium through Selenium) against `newstag serve`.

It pastes the bundled example and checks what an editor sees; it pastes a hostile article and
checks that nothing in it runs; it saves screenshots at 1280 and 390 px under the test's output
folder (and, with NEWSTAG_SCREENSHOT_DIR set, the 1280 px one there as service.png, for the README).
"""

from __future__ import annotations

import base64
import os
import shutil
from pathlib import Path

import pytest
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

pytestmark = pytest.mark.slow

# Every payload would set window.__pwned (and raise an alert) if the page let it run.
HOSTILE_LINES = [
    "<script>window.__pwned = 1; alert('script')</script> Ministers met in Paris on Monday.",
    "<img src=x onerror=\"window.__pwned = 2; alert('img')\"> Protests continued in Santiago.",
    "\"><svg onload=\"window.__pwned = 3; alert('svg')\"> Talks moved to Geneva.",
    "<a href=\"javascript:window.__pwned=4;alert('link')\">read more</a> in Nairobi",
    "x" * 20 + " " + ("lorem " * 166_660),  # a line of about 1 MB
]


def paste_and_tag(browser, url: str, text: str, title: str = "") -> None:
    browser.get(url + "/")
    # Typing a megabyte key by key takes minutes: set the field's value as a paste would.
    browser.execute_script("arguments[0].value = arguments[1]", browser.find_element(By.ID, "text"), text)
    if title:
        browser.execute_script("arguments[0].value = arguments[1]", browser.find_element(By.ID, "title"), title)
    browser.find_element(By.ID, "tag-button").click()
    WebDriverWait(browser, 60).until(ec.presence_of_element_located((By.CSS_SELECTOR, "article.result")))


def console_errors(browser) -> list[dict]:
    return [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]


def full_page_screenshot(browser, width: int, path: Path) -> None:
    browser.set_window_size(width, 1000)
    # Let the page lay itself out at the new width before it is captured.
    browser.execute_async_script("requestAnimationFrame(() => requestAnimationFrame(arguments[0]))")
    height = browser.execute_script("return document.documentElement.scrollHeight")
    shot = browser.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": width, "height": min(height, 4000), "scale": 1},
    })
    path.write_bytes(base64.b64decode(shot["data"]))


def off_host_resources(browser, url: str) -> list[str]:
    names = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    return [n for n in names if not n.startswith(url + "/") and not n.startswith("data:")]


def test_the_example_shows_chips_highlights_and_map(browser, service_url, example_text, tmp_path):
    browser.set_window_size(1280, 1000)
    browser.get_log("browser")  # start with an empty console
    paste_and_tag(browser, service_url, example_text)
    result = browser.find_element(By.CSS_SELECTOR, "article.result")
    topics = [c.text for c in result.find_elements(By.CSS_SELECTOR, ".chips.general .chip")]
    assert any("economy, business and finance" in t for t in topics)
    about = [c.text for c in result.find_elements(By.CSS_SELECTOR, ".chips.regions.about .chip")]
    assert any(t.startswith("Chile") for t in about) and any(t.startswith("Argentina") for t in about)
    assert result.find_elements(By.CSS_SELECTOR, ".chips.regions.mentioned .chip")
    marks = result.find_elements(By.CSS_SELECTOR, ".article-text mark.place.resolved")
    assert len(marks) >= 20 and marks[0].is_displayed()
    # Focus a mention: its evidence shows (drawn by CSS from the mark's data) and its dot lights up.
    santiago = next(m for m in marks if m.text == "Santiago")
    browser.execute_script("arguments[0].focus()", santiago)
    tip = browser.execute_script("return getComputedStyle(arguments[0], '::after').content", santiago)
    assert "GeoNames 3871336" in tip and "city" in tip
    dot = result.find_element(By.CSS_SELECTOR, f"circle.dot[data-place='{santiago.get_attribute('data-place')}']")
    assert "active" in dot.get_attribute("class")
    assert result.find_elements(By.CSS_SELECTOR, "svg.map path.country.about")
    assert result.find_elements(By.CSS_SELECTOR, "svg.map path.country.mentioned")
    assert result.find_element(By.CSS_SELECTOR, "svg.map").size["width"] > 300
    copy = result.find_element(By.CSS_SELECTOR, "button.copy")
    assert copy.is_displayed()  # shown by the script, which ran
    footer = result.find_element(By.CSS_SELECTOR, ".footer-text").text.splitlines()
    general = next(line for line in footer if line.startswith("General: "))
    # The economy branch is one of the footer's paths, wherever it ranks.
    assert any(path.startswith("economy, business and finance") for path in general.removeprefix("General: ").split("; "))
    assert off_host_resources(browser, service_url) == []
    assert console_errors(browser) == []

    out = tmp_path / "screenshots"
    out.mkdir()
    full_page_screenshot(browser, 1280, out / "service-1280.png")
    full_page_screenshot(browser, 390, out / "service-390.png")
    assert (out / "service-1280.png").stat().st_size > 50_000 and (out / "service-390.png").stat().st_size > 20_000
    if os.environ.get("NEWSTAG_SCREENSHOT_DIR"):
        shutil.copy(out / "service-1280.png", Path(os.environ["NEWSTAG_SCREENSHOT_DIR"]) / "service.png")
    browser.set_window_size(1280, 1000)


def test_a_hostile_article_runs_nothing_and_shows_as_text(browser, service_url, tmp_path):
    browser.set_window_size(1280, 1000)
    browser.get_log("browser")
    text = "\n".join(HOSTILE_LINES)
    assert 1_000_000 < len(text.encode()) < 1 << 20
    paste_and_tag(browser, service_url, text, title="<script>window.__pwned = 5</script> headline")
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018 - reading it is the check
    assert browser.execute_script("return window.__pwned === undefined")
    body = browser.find_element(By.CSS_SELECTOR, ".article-text")
    shown = browser.execute_script("return arguments[0].textContent", body)
    for line in HOSTILE_LINES[:4]:
        assert line in shown
    assert len(shown) > 990_000  # the whole body, its megabyte line included
    assert "<script>window.__pwned = 5</script>" in browser.find_element(By.CSS_SELECTOR, "article.result h2.title").text
    # None of the payloads became an element.
    for selector in ("img[src='x']", "svg[onload]", "a[href^='javascript']", "article.result script"):
        assert browser.find_elements(By.CSS_SELECTOR, selector) == [], selector
    assert browser.find_elements(By.CSS_SELECTOR, ".article-text mark.place")  # still tagged: Paris, Santiago, ...
    assert console_errors(browser) == []
    full_page_screenshot(browser, 1280, tmp_path / "hostile-1280.png")
