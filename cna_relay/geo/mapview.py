"""Where the app's map opens: centred on the municipality, zoomed so all of it fits a phone screen."""

from __future__ import annotations

import math
from dataclasses import dataclass

from cna_relay.geo.boundary import BBox
from cna_relay.geo.points import GeoPoint

TILE_PX = 256
# A phone in portrait, minus app bar and the form around the map (logical pixels).
VIEWPORT_PX = (400, 600)
# Citizens may zoom out a little to find their bearings, not to the whole country.
ZOOM_OUT_STEPS = 2


@dataclass(frozen=True, slots=True)
class MapView:
    centre: GeoPoint
    zoom: int
    min_zoom: int
    max_zoom: int


def fit_zoom(bbox: BBox, *, viewport_px: tuple[int, int] = VIEWPORT_PX, max_zoom: int = 19) -> int:
    """The largest web-mercator zoom at which `bbox` fits the viewport."""
    width_px, height_px = viewport_px
    lon_span = max(bbox.east - bbox.west, 1e-9)
    y_span = max(abs(_mercator_y(bbox.north) - _mercator_y(bbox.south)), 1e-12)
    # At zoom z the world is 256·2^z pixels wide: 360° of longitude and 2π of mercator y.
    zoom_x = math.log2(width_px * 360.0 / (TILE_PX * lon_span))
    zoom_y = math.log2(height_px * 2 * math.pi / (TILE_PX * y_span))
    return max(0, min(max_zoom, math.floor(min(zoom_x, zoom_y))))


def map_view(bbox: BBox, *, max_zoom: int, zoom: int | None = None) -> MapView:
    """Centre and zoom levels for `bbox`; `zoom` overrides the fitted opening zoom."""
    fitted = fit_zoom(bbox, max_zoom=max_zoom)
    opening = fitted if zoom is None else max(0, min(max_zoom, zoom))
    min_zoom = max(0, min(opening, fitted) - ZOOM_OUT_STEPS)
    return MapView(centre=bbox.centre, zoom=opening, min_zoom=min_zoom, max_zoom=max_zoom)


def _mercator_y(lat: float) -> float:
    clamped = max(-85.05112878, min(85.05112878, lat))
    return math.log(math.tan(math.pi / 4 + math.radians(clamped) / 2))
