"""Quality gate for Regions: `newstag eval geo` figures may not fall below the pinned floors.

The floors live in geo_baseline.json beside this file and change only on purpose (raise them when
quality improves). geotext is not run here; `newstag eval geo` prints it alongside.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newstag.eval.geo import gate_figures, run_geo_eval

BASELINE = Path(__file__).with_name("geo_baseline.json")


@pytest.mark.shared
def test_geo_figures_do_not_regress(shared_dir):
    baseline = json.loads(BASELINE.read_text())
    figures = gate_figures(run_geo_eval(shared_dir, baseline=False))
    tolerance = baseline["tolerance"]
    missing = sorted(set(baseline["floors"]) - set(figures))
    assert not missing, f"the evaluation no longer reports {missing}"
    fallen = {
        name: (figures[name], floor)
        for name, floor in baseline["floors"].items()
        if figures[name] < floor - tolerance
    }
    assert not fallen, f"geo quality fell below its floors (figure, floor): {fallen}"
