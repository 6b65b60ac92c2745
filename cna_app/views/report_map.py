"""The report form's map: the relay's tiles and attribution, the municipality's outline, the pin.

Tap to place the pin; tap elsewhere or drag it to move it (the pin follows the finger, the address
is looked up once the drag ends). The map is one `Semantics` node without children: screen readers
skip the canvas (the chosen place is spoken from the text above the map, and the address search
does everything without it), and on the web pointer events then reach the map with their real
position instead of becoming a position-less "semantic tap" on its centre.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import flet as ft
import flet_map as fm

from cna_app.contract.wire import MapConfig
from cna_app.services.geo import Boundary, GeoPoint, move_by_pixels
from cna_app.services.relay_config import RelayConfig
from cna_app.viewmodels.report_location import LocationPicker
from cna_app.views.screens.base import ViewContext

MAP_HEIGHT = 320
PIN_PX = 48
CAMERA_ZOOM = 17.0
CLIENT_TIMEOUT_S = 5.0
USER_AGENT = "be.cna.app"


class MapPanel:
    def __init__(self, ctx: ViewContext, picker: LocationPicker, boundary: Boundary | None) -> None:
        self._ctx, self._picker = ctx, picker
        config = ctx.shell.config
        self._zoom = float(config.raw["map"]["zoom"]) if config else 13.0
        self._marker: fm.Marker | None = None
        self._dragged: GeoPoint | None = None
        self._camera_moves = picker.camera_moves
        self.pins = fm.MarkerLayer(markers=[])
        self.map = _build_map(config, boundary, self.pins, on_tap=self._tapped, on_moved=self._moved)
        self.control = ft.Semantics(
            identifier="report-map",
            label=ctx.t("report.map.label", municipality=config.municipality_name if config else ""),
            exclude_semantics=True,
            container=True,
            content=ft.Container(
                self.map,
                key="report-map",
                height=MAP_HEIGHT,
                border_radius=8,
                clip_behavior=ft.ClipBehavior.HARD_EDGE,
            ),
        )

    def refresh(self) -> None:
        chosen = self._picker.chosen
        if chosen is None:
            self._marker, self.pins.markers = None, []
        elif self._marker is None:
            self._marker = self._pin(chosen.point)
            self.pins.markers = [self._marker]
        else:
            # Moved in place: replacing the marker would end a drag that is under way.
            self._marker.coordinates = _lat_lng(chosen.point)
        if self._picker.camera_moves != self._camera_moves:
            self._camera_moves = self._picker.camera_moves
            target = self._picker.camera_target
            if target is not None and self._ctx.run_task is not None:
                self._ctx.run_task(self._move_camera, target)

    async def _move_camera(self, point: GeoPoint) -> None:
        zoom = max(self._zoom, CAMERA_ZOOM)
        try:
            await self.map.move_to(destination=_lat_lng(point), zoom=zoom)
        except (RuntimeError, TimeoutError):
            pass  # the pin is right anyway; the map just did not follow

    def _pin(self, point: GeoPoint) -> fm.Marker:
        icon = ft.Icon(ft.Icons.LOCATION_PIN, color=ft.Colors.ERROR, size=PIN_PX)
        return fm.Marker(
            coordinates=_lat_lng(point),
            width=PIN_PX,
            height=PIN_PX,
            alignment=ft.Alignment.TOP_CENTER,
            content=ft.GestureDetector(
                content=icon, on_pan_update=self._dragging, on_pan_end=self._dropped, drag_interval=40
            ),
        )

    def _tapped(self, e: fm.MapTapEvent) -> None:
        self._picker.place(GeoPoint(e.coordinates.latitude, e.coordinates.longitude), "map")

    def _moved(self, e: fm.MapPositionChangeEvent) -> None:
        self._zoom = float(e.camera.zoom)

    def _dragging(self, e: ft.DragUpdateEvent[ft.GestureDetector]) -> None:
        start = self._dragged or (self._picker.chosen.point if self._picker.chosen else None)
        if start is None or e.local_delta is None:
            return
        self._dragged = move_by_pixels(start, e.local_delta.x, e.local_delta.y, zoom=self._zoom)
        self._picker.preview_pin(self._dragged)

    def _dropped(self, e: ft.DragEndEvent[ft.GestureDetector]) -> None:
        point, self._dragged = self._dragged, None
        if point is not None:
            self._picker.place(point, "map")


def _lat_lng(point: GeoPoint) -> fm.MapLatitudeLongitude:
    return fm.MapLatitudeLongitude(point.lat, point.lon)


def _build_map(
    config: RelayConfig | None,
    boundary: Boundary | None,
    pins: fm.MarkerLayer,
    *,
    on_tap: Callable[[fm.MapTapEvent], None],
    on_moved: Callable[[fm.MapPositionChangeEvent], None],
) -> fm.Map:
    if config is None:
        return fm.Map(layers=[pins], on_tap=on_tap, on_position_change=on_moved)
    view = config.raw["map"]
    return fm.Map(
        layers=_layers(view, boundary, pins),
        initial_center=fm.MapLatitudeLongitude(view["center"]["lat"], view["center"]["lon"]),
        initial_zoom=view["zoom"],
        min_zoom=view["min_zoom"],
        max_zoom=view["max_zoom"],
        on_tap=on_tap,
        on_position_change=on_moved,
    )


def _layers(view: MapConfig, boundary: Boundary | None, pins: fm.MarkerLayer) -> list[fm.MapLayer]:
    """Tiles (when the relay's URL is usable), the municipality's outline, the pin, the credit."""
    layers: list[fm.MapLayer] = []
    if _tile_url_ok(view["tile_url"]):
        layers.append(
            fm.TileLayer(
                url_template=view["tile_url"],
                user_agent_package_name=USER_AGENT,
                max_native_zoom=min(view["max_zoom"], 19),
            )
        )
    layers += [_outline(boundary), pins]
    if view["attribution"]:
        layers.append(fm.SimpleAttribution(text=view["attribution"][:200]))
    return layers


def _outline(boundary: Boundary | None) -> fm.PolygonLayer:
    rings = boundary.rings() if boundary else []
    return fm.PolygonLayer(
        polygons=[
            fm.PolygonMarker(
                coordinates=[fm.MapLatitudeLongitude(lat, lon) for lon, lat in ring],
                border_color=ft.Colors.PRIMARY,
                border_stroke_width=3,
                color=ft.Colors.with_opacity(0.06, ft.Colors.PRIMARY),
            )
            for ring in rings
        ]
    )


def _tile_url_ok(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname) and "{z}" in url
