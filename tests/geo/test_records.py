"""The fast record makers of geo/records.py build exactly what the constructors build."""

from __future__ import annotations

import dataclasses

import pytest

from newstag.geo import records
from newstag.geo.detect import Detected, make_detected
from newstag.geo.gazetteer.store import Candidate
from newstag.types import Mention, Place, RegionScore, Resolution


def _same(made, built):
    assert type(made) is type(built)
    assert made == built and hash(made) == hash(built) and repr(made) == repr(built)
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(made, dataclasses.fields(made)[0].name, None)  # still frozen


def test_makers_build_what_the_constructors_build():
    m = records.make_mention("Ozark", 10, 15, "name", "text", False, True, 2)
    _same(m, Mention("Ozark", 10, 15, "name", "text", False, True, 2))
    place = Place(4119617, "Ozark", "US", 36.0, -93.0, "city", 3000, "AR")
    _same(records.make_resolution(m, place, 0.91, "city", "co-occurs with US"),
          Resolution(m, place, 0.91, "city", "co-occurs with US"))
    _same(records.make_region_score("US", "United States", "country", "about", 1.0),
          RegionScore("US", "United States", "country", "about", 1.0))
    cands = (Candidate(7, "name", 0),)
    _same(make_detected(m, cands, ("US", "AR"), False, True, False), Detected(m, cands, ("US", "AR"), False, True, False))


def test_the_fast_path_is_in_use_for_the_current_records():
    # If newstag.types changes shape, the makers fall back to the constructors (still right, but
    # slower): this says so, so that records.py gets updated.
    assert records.make_mention is not Mention
    assert records.make_resolution is not Resolution
    assert records.make_region_score is not RegionScore
    assert make_detected is not Detected


def test_a_record_of_another_shape_gets_its_constructor_back():
    @dataclasses.dataclass(frozen=True, slots=True)
    class Other:
        mention: object
        candidates: tuple
        qualifier: object
        alt: bool
        placelike: bool

        def __post_init__(self):  # a check a maker would skip
            pass

    assert records.detected_maker(Other) is Other
