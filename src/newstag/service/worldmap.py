"""The result page's world map: country outlines as SVG paths, drawn on the server.

The outlines are world-atlas 2.0.2's `countries-110m.json` (TopoJSON of Natural Earth's public
domain 1:110m countries; the package is ISC, its licence beside the file in
`static/vendor/world-atlas/`). TopoJSON stores each shared border once, as an arc of quantised,
delta-encoded points; a country is a list of rings, each a list of arc indices (`~i`, i.e. -i-1,
walks arc i backwards). The projection is plate carrée: x = longitude + 180, y = 90 - latitude,
in degrees, which keeps the arithmetic obvious and lets the page put a place's dot at (lon, lat)
with the same formula. Antarctica is left out (it would take a third of the height and no story
is filed from it often enough to earn that).

Drawn on the server, the map needs no JavaScript, no script library and no network; the page's
script only links the dots to the highlighted mentions. Records carry ISO 3166-1 alpha-2 codes and
world-atlas numeric ISO 3166-1 ids; pycountry maps one to the other.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

import orjson

WORLD_ATLAS = ("static", "vendor", "world-atlas", "countries-110m.json")
# The map's extent in projected units (degrees): 360 wide, from 84 N down to 60 S.
TOP, BOTTOM = 84.0, -60.0
WIDTH, HEIGHT = 360.0, TOP - BOTTOM
ANTARCTICA = "010"


@dataclass(frozen=True, slots=True)
class CountryShape:
    code: str | None  # ISO 3166-1 alpha-2; None for areas without an ISO code (Kosovo, N. Cyprus)
    name: str  # world-atlas' name
    path: str  # SVG path data in map units


def project(lon: float, lat: float) -> tuple[float, float]:
    """(x, y) on the map of a point in degrees."""
    return lon + 180.0, TOP - lat


@functools.cache
def country_shapes() -> tuple[CountryShape, ...]:
    """Every country outline of the shipped world map, decoded once per process."""
    import pycountry

    source = resources.files("newstag.service").joinpath(*WORLD_ATLAS).read_bytes()
    topo = orjson.loads(source)
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs: list[list[tuple[float, float]]] = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append(project(x * sx + tx, y * sy + ty))
        arcs.append(points)

    def ring(indices: list[int]) -> str:
        points: list[tuple[float, float]] = []
        for i in indices:
            arc = arcs[i] if i >= 0 else arcs[~i][::-1]
            # Consecutive arcs share their end point: keep it once.
            points.extend(arc[1:] if points else arc)
        return "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in _dedupe(points)) + "Z"

    alpha2 = {c.numeric: c.alpha_2 for c in pycountry.countries}
    shapes = []
    for geometry in topo["objects"]["countries"]["geometries"]:
        numeric = geometry.get("id")
        if numeric == ANTARCTICA:
            continue
        if geometry["type"] == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        path = "".join(ring(r) for polygon in polygons for r in polygon)
        shapes.append(CountryShape(alpha2.get(numeric), geometry.get("properties", {}).get("name", ""), path))
    return tuple(shapes)


def _dedupe(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Drop points that round to the one before them (they add bytes, not shape)."""
    out: list[tuple[float, float]] = []
    last = None
    for x, y in points:
        key = (round(x, 1), round(y, 1))
        if key != last:
            out.append((x, y))
            last = key
    return out
