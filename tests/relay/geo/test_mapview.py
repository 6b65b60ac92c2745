"""The app's map opens on the whole municipality, and cannot zoom out to the whole country."""

from __future__ import annotations

import pytest

from cna_relay.geo.boundary import BBox, Boundary
from cna_relay.geo.mapview import fit_zoom, map_view


def test_zonnebeke_fits_a_phone_at_zoom_twelve() -> None:
    bbox = Boundary.bundled(municipality="Zonnebeke").bbox
    view = map_view(bbox, max_zoom=19)
    assert view.zoom == 12
    assert (view.min_zoom, view.max_zoom) == (10, 19)
    assert bbox.south < view.centre.lat < bbox.north and bbox.west < view.centre.lon < bbox.east


@pytest.mark.parametrize(
    ("span_deg", "expected"),
    [
        (0.01, 15),  # a village centre
        (0.13, 12),  # a rural municipality
        (0.5, 10),  # a big city region
        (20.0, 4),  # a country
    ],
)
def test_bigger_areas_open_further_out(span_deg: float, expected: int) -> None:
    assert fit_zoom(BBox(3.0, 50.0, 3.0 + span_deg, 50.0 + span_deg / 2)) == expected


def test_the_whole_bbox_fits_the_viewport_at_the_fitted_zoom() -> None:
    bbox = BBox(2.93, 50.79, 3.07, 50.93)
    zoom = fit_zoom(bbox, viewport_px=(400, 600))
    world_px = 256 * 2**zoom
    assert (bbox.east - bbox.west) / 360 * world_px <= 400
    assert (bbox.east - bbox.west) / 360 * world_px * 2 > 400 or zoom == 19


def test_zoom_never_passes_the_tile_servers_maximum() -> None:
    tiny = BBox(3.0, 50.0, 3.00001, 50.00001)
    assert fit_zoom(tiny, max_zoom=17) == 17
    assert map_view(tiny, max_zoom=17).zoom == 17


def test_an_operator_zoom_overrides_the_fitted_one_within_limits() -> None:
    bbox = BBox(2.93, 50.79, 3.07, 50.93)
    assert map_view(bbox, max_zoom=19, zoom=15).zoom == 15
    # Zooming out stays relative to the fitted zoom (11 here), not the operator's opening zoom.
    assert map_view(bbox, max_zoom=19, zoom=15).min_zoom == 9
    assert map_view(bbox, max_zoom=18, zoom=25).zoom == 18
