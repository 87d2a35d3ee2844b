"""Shared fixtures. `../shared` (the labelled corpora and the seed article) is present in CI and on
developers' machines, not on users': tests that need it are skipped with a reason when it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSTAG_SHARED", REPO.parent / "shared"))
SEED = SHARED / "seed" / "000_2dc698643bc4e8cd.txt"
EXAMPLE = REPO / "examples" / "article.txt"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "data").is_dir():
        pytest.skip(f"../shared is absent ({SHARED}); these tests need the labelled corpora")
    return SHARED


@pytest.fixture(scope="session")
def seed_text() -> str:
    if not SEED.is_file():
        pytest.skip(f"the seed article is absent ({SEED})")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def example_text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    """One headless Chromium for the whole test run, driven by Selenium (Debian's chromium and
    chromium-driver, which .ci/run installs). Generic: any test that needs a real browser uses it.
    It never reaches the network: Selenium Manager is off and Chromium's background traffic too."""
    import shutil

    chromium, driver_path = shutil.which("chromium") or "/usr/bin/chromium", "/usr/bin/chromedriver"
    if not (Path(chromium).exists() and Path(driver_path).exists()):
        pytest.skip(f"a real browser is needed: install Debian's chromium and chromium-driver ({chromium}, {driver_path} absent)")
    os.environ["SE_AVOID_STATS"] = "true"
    os.environ["SE_OFFLINE"] = "true"
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                 "--window-size=1280,1000", f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        yield driver
    finally:
        driver.quit()
