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
    bounds: tuple[float, float, float, float]  # min x, min y, max x, max y in map units


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

    def ring(indices: list[int]) -> list[tuple[float, float]]:
        points: list[tuple[float, float]] = []
        for i in indices:
            arc = arcs[i] if i >= 0 else arcs[~i][::-1]
            # Consecutive arcs share their end point: keep it once.
            points.extend(arc[1:] if points else arc)
        if max(x for x, _ in points) - min(x for x, _ in points) > 180:
            # A ring across the antimeridian (Fiji): draw it whole past the right edge, where the
            # map's frame cuts it, instead of with a line across the world.
            points = [(x + WIDTH if x < WIDTH / 2 else x, y) for x, y in points]
        return _dedupe(points)

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
        rings = [ring(r) for polygon in polygons for r in polygon]
        path = "".join("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points) + "Z" for points in rings)
        xs = [x for points in rings for x, _ in points]
        ys = [y for points in rings for _, y in points]
        bounds = (min(xs), min(ys), max(xs), max(ys))
        shapes.append(CountryShape(alpha2.get(numeric), geometry.get("properties", {}).get("name", ""), path, bounds))
    return tuple(shapes)


def fitted_view(boxes: list[tuple[float, float, float, float]], min_width: float = 50.0) -> tuple[float, float, float, float]:
    """(x, y, width, height) of a view around `boxes`, padded, at least `min_width` wide, in the
    whole map's proportions and inside it; the whole map when there is nothing to show."""
    if not boxes:
        return 0.0, 0.0, WIDTH, HEIGHT
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    aspect = WIDTH / HEIGHT
    width = max((x1 - x0) * 1.3, (y1 - y0) * 1.3 * aspect, min_width)
    width = min(width, WIDTH)
    height = width / aspect
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    x = min(max(cx - width / 2, 0.0), WIDTH - width)
    y = min(max(cy - height / 2, 0.0), HEIGHT - height)
    return round(x, 1), round(y, 1), round(width, 1), round(height, 1)


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
