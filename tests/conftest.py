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
