"""The municipality's boundary on the device: is a point ours, and how far outside is it?

The relay serves the boundary as GeoJSON (`GET /v1/config` → `boundary`, a Polygon or
MultiPolygon in lon/lat order) and has the last word; the app checks a pin against the same
outline before anything is sent, so a point outside is refused on the spot. The rules are the
relay's (`docs/location.md`): a point on the line counts as inside, and a GPS fix is also
accepted when the line lies within its reported accuracy, up to 50 m.

Pure Python (ray casting and a local flat projection), because the app bundle carries no GEOS.
A boundary the app cannot read is `None`: the app then leaves the decision to the relay.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Ring = tuple[tuple[float, float], ...]  # (lon, lat) vertices, closed or not
Polygon = tuple[Ring, ...]  # outer ring first, then holes

# As the relay: a GPS fix counts as inside when its accuracy circle reaches the municipality.
GPS_TOLERANCE_CAP_M = 50.0
# Bounds on what a hostile or broken configuration can make the app chew on.
MAX_VERTICES = 50_000
MAX_POLYGONS = 200
_M_PER_DEG_LAT = 110_574.0
_M_PER_DEG_LON = 111_320.0
# Web Mercator's limit: beyond it latitudes have no pixel position.
_MAX_MERCATOR_LAT = 85.05112878
_EDGE_EPSILON = 1e-12


@dataclass(frozen=True, slots=True)
class GeoPoint:
    lat: float
    lon: float

    @property
    def valid(self) -> bool:
        return (
            math.isfinite(self.lat)
            and math.isfinite(self.lon)
            and -90 <= self.lat <= 90
            and -180 <= self.lon <= 180
        )


@dataclass(frozen=True, slots=True)
class Boundary:
    """An outline of one or more polygons (with holes); build it with `parse_boundary`."""

    polygons: tuple[Polygon, ...]

    def covers(self, point: GeoPoint) -> bool:
        """True inside and on the line."""
        return any(_polygon_covers(polygon, point.lon, point.lat) for polygon in self.polygons)

    def distance_m(self, point: GeoPoint) -> float:
        """Metres from the point to the nearest line of the outline (0 when covered)."""
        if self.covers(point):
            return 0.0
        scale = math.cos(math.radians(point.lat))
        best = math.inf
        for polygon in self.polygons:
            for ring in polygon:
                for (x1, y1), (x2, y2) in _edges(ring):
                    a = ((x1 - point.lon) * _M_PER_DEG_LON * scale, (y1 - point.lat) * _M_PER_DEG_LAT)
                    b = ((x2 - point.lon) * _M_PER_DEG_LON * scale, (y2 - point.lat) * _M_PER_DEG_LAT)
                    best = min(best, _distance_to_segment(a, b))
        return best

    def accepts(self, point: GeoPoint, *, accuracy_m: float | None = None) -> bool:
        """The relay's rule: covered, or a GPS fix whose accuracy circle reaches the outline."""
        if self.covers(point):
            return True
        tolerance = gps_tolerance(accuracy_m)
        return tolerance > 0 and self.distance_m(point) <= tolerance

    def rings(self) -> list[Ring]:
        """Every ring (outer lines and holes), for drawing the outline on the map."""
        return [ring for polygon in self.polygons for ring in polygon]


def gps_tolerance(accuracy_m: float | None) -> float:
    """How far outside a GPS fix with this accuracy may lie (0 for pins and addresses)."""
    if accuracy_m is None or not math.isfinite(accuracy_m) or accuracy_m <= 0:
        return 0.0
    return min(accuracy_m, GPS_TOLERANCE_CAP_M)


def parse_boundary(document: object) -> Boundary | None:
    """The outline in a GeoJSON Polygon/MultiPolygon geometry, or None when it is unusable."""
    if not isinstance(document, dict):
        return None
    kind, coordinates = document.get("type"), document.get("coordinates")
    if not isinstance(coordinates, list):
        return None
    raw_polygons = [coordinates] if kind == "Polygon" else coordinates if kind == "MultiPolygon" else []
    polygons: list[Polygon] = []
    vertices = 0
    for raw in raw_polygons[:MAX_POLYGONS]:
        polygon = _polygon(raw)
        if polygon is None:
            return None
        vertices += sum(len(ring) for ring in polygon)
        if vertices > MAX_VERTICES:
            return None
        polygons.append(polygon)
    return Boundary(tuple(polygons)) if polygons else None


def _polygon(raw: object) -> Polygon | None:
    if not isinstance(raw, list) or not raw:
        return None
    rings = [_ring(item) for item in raw]
    if any(ring is None for ring in rings):
        return None
    return tuple(ring for ring in rings if ring is not None)


def _ring(raw: object) -> Ring | None:
    if not isinstance(raw, list) or len(raw) < 4:
        return None
    vertices: list[tuple[float, float]] = []
    for position in raw:
        if not isinstance(position, list | tuple) or len(position) < 2:
            return None
        lon, lat = position[0], position[1]
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lon, lat)):
            return None
        point = GeoPoint(float(lat), float(lon))
        if not point.valid:
            return None
        vertices.append((point.lon, point.lat))
    return tuple(vertices)


def _edges(ring: Ring) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    return [(ring[index - 1], ring[index]) for index in range(len(ring))]


def _polygon_covers(polygon: Polygon, x: float, y: float) -> bool:
    outer, holes = polygon[0], polygon[1:]
    if _on_line(outer, x, y) or any(_on_line(hole, x, y) for hole in holes):
        return True
    return _inside(outer, x, y) and not any(_inside(hole, x, y) for hole in holes)


def _on_line(ring: Ring, x: float, y: float) -> bool:
    for (x1, y1), (x2, y2) in _edges(ring):
        if min(x1, x2) <= x <= max(x1, x2) and min(y1, y2) <= y <= max(y1, y2):
            if abs((x2 - x1) * (y - y1) - (y2 - y1) * (x - x1)) <= _EDGE_EPSILON:
                return True
    return False


def _inside(ring: Ring, x: float, y: float) -> bool:
    """Even-odd ray casting (points exactly on the line are handled by `_on_line`)."""
    inside = False
    for (x1, y1), (x2, y2) in _edges(ring):
        if (y1 > y) != (y2 > y):
            crossing = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
            if x < crossing:
                inside = not inside
    return inside


def _distance_to_segment(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance from the origin to segment a-b (flat coordinates in metres)."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, -(a[0] * dx + a[1] * dy) / length))
    return math.hypot(a[0] + t * dx, a[1] + t * dy)


# ---- Web Mercator: moving a dragged pin by screen pixels ----------------------------------


def move_by_pixels(point: GeoPoint, dx: float, dy: float, *, zoom: float, tile_size: int = 256) -> GeoPoint:
    """The point `dx`, `dy` screen pixels away at `zoom` (what a finger drag on the map means)."""
    scale = tile_size * 2.0 ** max(0.0, min(zoom, 30.0))
    lat = max(-_MAX_MERCATOR_LAT, min(_MAX_MERCATOR_LAT, point.lat))
    x = (point.lon + 180.0) / 360.0 * scale + dx
    sin = math.sin(math.radians(lat))
    y = (0.5 - math.log((1 + sin) / (1 - sin)) / (4 * math.pi)) * scale + dy
    x = min(max(x, 0.0), scale)
    y = min(max(y, 0.0), scale)
    lon = x / scale * 360.0 - 180.0
    new_lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / scale))))
    return GeoPoint(new_lat, lon)


def format_point(point: GeoPoint) -> str:
    """Coordinates as people read them aloud: five decimals (about a metre)."""
    return f"{point.lat:.5f}, {point.lon:.5f}"
