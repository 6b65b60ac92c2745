"""The municipality's boundary: is a point ours, and how far outside is it?

The boundary is a GeoJSON Polygon or MultiPolygon in WGS84 (a bare geometry, a Feature, or a
FeatureCollection of polygon features), read once at start-up. A malformed file stops the relay
with `BoundaryError` rather than letting it refuse or accept reports at random.

A point exactly on the border counts as inside (`intersects`, i.e. *covers*, not *contains*).
shapely answers on a prepared geometry: ≈ 4 µs per point on the bundled 164-vertex outline,
against ≈ 12 µs for pure-Python ray casting (both agree on 20,000 random points; see
docs/adr/0004-location-services.md). shapely also gives the distance for the GPS tolerance.
"""

from __future__ import annotations

import copy
import json
import math
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from cna_relay.geo.points import GeoPoint
from cna_relay.problems import FieldError, RelayError

BUNDLED_BOUNDARY = "zonnebeke.geojson"
# A GPS fix counts as inside when its accuracy circle reaches the municipality, up to this radius:
# beyond it the fix says too little to accept a report on it.
GPS_TOLERANCE_CAP_M = 50.0
# Metres per degree of latitude, and of longitude at the equator (WGS84, mean values).
_M_PER_DEG_LAT = 110_574.0
_M_PER_DEG_LON = 111_320.0


class BoundaryError(ValueError):
    """The configured boundary file is not a usable WGS84 (Multi)Polygon."""


@dataclass(frozen=True, slots=True)
class BBox:
    west: float
    south: float
    east: float
    north: float

    @property
    def centre(self) -> GeoPoint:
        return GeoPoint((self.south + self.north) / 2, (self.west + self.east) / 2)

    def contains(self, point: GeoPoint, *, margin_deg: float = 0.0) -> bool:
        return (
            self.south - margin_deg <= point.lat <= self.north + margin_deg
            and self.west - margin_deg <= point.lon <= self.east + margin_deg
        )


class Boundary:
    """A municipality outline; build with `Boundary.load(path)` or `Boundary.bundled()`."""

    def __init__(self, geometry: dict[str, Any], *, municipality: str) -> None:
        self.municipality = municipality
        self._geojson = geometry
        self._shape = _checked_shape(geometry)
        shapely.prepare(self._shape)
        west, south, east, north = self._shape.bounds
        self.bbox = BBox(west, south, east, north)
        self._metric = _to_local_metres(self._shape, self.bbox.centre)
        # GEOS builds a prepared geometry's index on first use: do it now, in one thread,
        # rather than racing on it from the worker threads that may check reports.
        self.covers(self.bbox.centre)
        self._metric.distance(shapely.Point(0.0, 0.0))

    @classmethod
    def from_geojson(cls, document: Any, *, municipality: str) -> Boundary:
        return cls(polygon_geometry(document), municipality=municipality)

    @classmethod
    def load(cls, path: Path, *, municipality: str) -> Boundary:
        try:
            document = json.loads(path.read_text("utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise BoundaryError(f"cannot read boundary file {path}: {exc}") from exc
        return cls.from_geojson(document, municipality=municipality)

    @classmethod
    def bundled(cls, *, municipality: str) -> Boundary:
        text = resources.files("cna_relay.geo").joinpath("data").joinpath(BUNDLED_BOUNDARY).read_text("utf-8")
        return cls.from_geojson(json.loads(text), municipality=municipality)

    @property
    def geojson(self) -> dict[str, Any]:
        """The geometry as GeoJSON (lon, lat order), for the app's map."""
        return copy.deepcopy(self._geojson)

    def covers(self, point: GeoPoint) -> bool:
        """True inside and on the border."""
        return bool(shapely.intersects_xy(self._shape, point.lon, point.lat))

    def distance_m(self, point: GeoPoint) -> float:
        """Metres from the point to the municipality (0 inside), in a local flat projection."""
        if self.covers(point):
            return 0.0
        x, y = _local_xy(point, self.bbox.centre)
        return float(self._metric.distance(shapely.Point(x, y)))

    def ensure_inside(self, point: GeoPoint, *, tolerance_m: float = 0.0, field: str = "location") -> None:
        """Refuse a point outside the municipality with `outside_municipality` (422).

        `tolerance_m` accepts a point that close to the border, e.g. a GPS fix whose accuracy
        circle reaches into the municipality; callers cap it (see docs/location.md).
        """
        if self.covers(point):
            return
        if tolerance_m > 0 and self.distance_m(point) <= tolerance_m:
            return
        raise RelayError(
            "outside_municipality",
            status=422,
            params={"municipality": self.municipality},
            errors=[FieldError(field, "outside_municipality", {"municipality": self.municipality})],
        )


def gps_tolerance(accuracy_m: float | None) -> float:
    """The `tolerance_m` for a GPS fix with this reported accuracy (0 for pins and addresses)."""
    if accuracy_m is None or not math.isfinite(accuracy_m) or accuracy_m <= 0:
        return 0.0
    return min(accuracy_m, GPS_TOLERANCE_CAP_M)


def polygon_geometry(document: Any) -> dict[str, Any]:
    """The (Multi)Polygon geometry of a GeoJSON geometry, Feature or FeatureCollection."""
    if not isinstance(document, dict):
        raise BoundaryError("the boundary must be a GeoJSON object")
    kind = document.get("type")
    if kind == "Feature":
        return polygon_geometry(document.get("geometry"))
    if kind == "FeatureCollection":
        features = document.get("features")
        if not isinstance(features, list) or not features:
            raise BoundaryError("the boundary FeatureCollection has no features")
        parts = [polygon_geometry(feature) for feature in features]
        if len(parts) == 1:
            return parts[0]
        polygons = [p["coordinates"] if p["type"] == "MultiPolygon" else [p["coordinates"]] for p in parts]
        return {"type": "MultiPolygon", "coordinates": [poly for group in polygons for poly in group]}
    if kind in ("Polygon", "MultiPolygon"):
        return {"type": kind, "coordinates": document.get("coordinates")}
    raise BoundaryError(f"the boundary must be a Polygon or MultiPolygon, not {kind!r}")


def _checked_shape(geometry: dict[str, Any]) -> BaseGeometry:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    if not isinstance(polygons, list) or not polygons:
        raise BoundaryError("the boundary has no polygons")
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise BoundaryError("a boundary polygon has no rings")
        for ring in polygon:
            _check_ring(ring)
    result = shape(geometry)
    if result.is_empty or not result.is_valid or result.area <= 0:
        raise BoundaryError(f"the boundary is not a valid polygon: {shapely.is_valid_reason(result)}")
    return result


def _check_ring(ring: Any) -> None:
    if not isinstance(ring, list) or len(ring) < 4:
        raise BoundaryError("a boundary ring needs at least 4 positions")
    for position in ring:
        if not (isinstance(position, list) and len(position) >= 2 and all(_finite(v) for v in position[:2])):
            raise BoundaryError(f"bad position in the boundary: {position!r:.60}")
        lon, lat = position[0], position[1]
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise BoundaryError(f"position {position!r:.60} is not WGS84 (lon, lat); Lambert 72?")
    if ring[0][:2] != ring[-1][:2]:
        raise BoundaryError("a boundary ring is not closed")
    lons = [position[0] for position in ring]
    # A municipality never spans half the globe; this is a ring crossing the antimeridian or lat/lon swapped.
    if max(lons) - min(lons) > 180:
        raise BoundaryError("a boundary ring crosses the antimeridian")


def _finite(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _local_xy(point: GeoPoint, origin: GeoPoint) -> tuple[float, float]:
    scale_lon = _M_PER_DEG_LON * math.cos(math.radians(origin.lat))
    return (point.lon - origin.lon) * scale_lon, (point.lat - origin.lat) * _M_PER_DEG_LAT


def _to_local_metres(geometry: BaseGeometry, origin: GeoPoint) -> BaseGeometry:
    """The geometry in metres around `origin`: accurate to ~0.5 % over a municipality."""
    scale_lon = _M_PER_DEG_LON * math.cos(math.radians(origin.lat))

    def project(coords: Any) -> Any:
        coords = coords.copy()
        coords[:, 0] = (coords[:, 0] - origin.lon) * scale_lon
        coords[:, 1] = (coords[:, 1] - origin.lat) * _M_PER_DEG_LAT
        return coords

    metric = shapely.transform(geometry, project)
    shapely.prepare(metric)
    return metric
