"""Schema migrations: numbered modules `m0001_*.py`, `m0002_*.py`, ... applied in order.

Each module has `VERSION` (its number) and `statements(dialect) -> list[str]`. The database
records the version it is at (SQLite `PRAGMA user_version`, PostgreSQL the `archive_schema`
table); opening an archive applies the migrations above it in one transaction. A later change
to the schema is a new numbered module (and the matching edit of `schema.py`), never an edit of
an applied one.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def migrations() -> list[ModuleType]:
    """Every migration module, by VERSION."""
    found = [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in pkgutil.iter_modules(__path__)
        if info.name.startswith("m") and info.name[1:5].isdigit()
    ]
    found.sort(key=lambda module: module.VERSION)
    numbers = [m.VERSION for m in found]
    if numbers != list(range(1, len(found) + 1)):
        raise RuntimeError(f"archive migrations must be numbered 1..n without gaps, found {numbers}")
    return found


def latest_version() -> int:
    return len(migrations())
