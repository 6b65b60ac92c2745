"""The municipality boundary: inside, outside, on the line, holes, exclaves, bad files."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from cna_relay.geo.boundary import GPS_TOLERANCE_CAP_M, Boundary, BoundaryError, gps_tolerance
from cna_relay.geo.points import GeoPoint
from cna_relay.geo.services import load_boundary
from cna_relay.i18n import Catalog
from cna_relay.problems import RelayError, problem_body
from cna_relay.settings import RelaySettings

# A 1°×1° square with a square hole, plus a separate exclave square (lon, lat order).
SQUARE = [[3.0, 50.0], [4.0, 50.0], [4.0, 51.0], [3.0, 51.0], [3.0, 50.0]]
HOLE = [[3.4, 50.4], [3.4, 50.6], [3.6, 50.6], [3.6, 50.4], [3.4, 50.4]]
EXCLAVE = [[5.0, 50.0], [5.5, 50.0], [5.5, 50.5], [5.0, 50.5], [5.0, 50.0]]
MULTI = {"type": "MultiPolygon", "coordinates": [[SQUARE, HOLE], [EXCLAVE]]}


def boundary(geometry: Any = MULTI, name: str = "Gemeente Proefdorp") -> Boundary:
    return Boundary.from_geojson(geometry, municipality=name)


@pytest.mark.parametrize(
    ("lat", "lon", "inside"),
    [
        (50.2, 3.2, True),  # in the main polygon
        (50.5, 3.5, False),  # in the hole
        (50.25, 5.25, True),  # in the exclave
        (50.25, 4.5, False),  # between polygon and exclave
        (52.0, 3.5, False),  # north of everything
        (50.0, 3.5, True),  # on the southern edge
        (50.5, 4.0, True),  # on the eastern edge
        (51.0, 4.0, True),  # on a vertex
        (50.0, 3.0, True),  # on the first (= last) vertex
        (50.4, 3.5, True),  # on the hole's edge: still the municipality's land
        (50.4, 3.4, True),  # on a vertex of the hole
        (50.5, 5.5, True),  # on the exclave's corner
        (50.0, 2.9999999, False),  # a hair outside
    ],
)
def test_points_are_inside_on_the_border_or_outside(lat: float, lon: float, inside: bool) -> None:
    assert boundary().covers(GeoPoint(lat, lon)) is inside


def test_a_point_outside_is_refused_naming_the_municipality() -> None:
    with pytest.raises(RelayError) as caught:
        boundary().ensure_inside(GeoPoint(52.0, 3.5))
    error = caught.value
    assert (error.code, error.status) == ("outside_municipality", 422)
    assert error.params == {"municipality": "Gemeente Proefdorp"}
    assert [(item.field, item.code) for item in error.errors] == [("location", "outside_municipality")]
    body = problem_body(error, "nl", Catalog.bundled())
    assert "Gemeente Proefdorp" in body["detail"]
    assert "Gemeente Proefdorp" in body["errors"][0]["message"]


def test_points_inside_and_on_the_border_pass() -> None:
    outline = boundary()
    outline.ensure_inside(GeoPoint(50.2, 3.2))
    outline.ensure_inside(GeoPoint(51.0, 4.0))


def test_tolerance_accepts_a_gps_fix_just_outside_but_not_further() -> None:
    outline = boundary()
    near = GeoPoint(50.5, 4.0005)  # ≈ 35 m east of the eastern edge
    assert 30 < outline.distance_m(near) < 40
    outline.ensure_inside(near, tolerance_m=50)
    with pytest.raises(RelayError):
        outline.ensure_inside(near, tolerance_m=20)
    with pytest.raises(RelayError):
        outline.ensure_inside(near)


def test_distance_is_zero_inside_and_grows_outside() -> None:
    outline = boundary()
    assert outline.distance_m(GeoPoint(50.2, 3.2)) == 0
    # The middle of the hole is 0.1° from its east and west edges: 0.1 × 111.32 km × cos(50.5°).
    assert outline.distance_m(GeoPoint(50.5, 3.5)) == pytest.approx(7080, rel=0.01)


@pytest.mark.parametrize(
    ("accuracy", "expected"),
    [(None, 0.0), (0, 0.0), (-5, 0.0), (float("nan"), 0.0), (12.5, 12.5), (5000, GPS_TOLERANCE_CAP_M)],
)
def test_gps_tolerance_is_the_accuracy_capped(accuracy: float | None, expected: float) -> None:
    assert gps_tolerance(accuracy) == expected


# ---- the bundled demo boundary ---------------------------------------------------------------


@pytest.fixture(scope="module")
def zonnebeke() -> Boundary:
    return Boundary.bundled(municipality="Gemeente Zonnebeke")


@pytest.mark.parametrize(
    ("place", "lat", "lon"),
    [
        ("Zonnebeke church", 50.8726, 2.98725),
        ("Passendale", 50.9003, 3.0206),
        ("Beselare", 50.8428, 3.0434),
        ("Zandvoorde", 50.8143, 2.9827),
        ("Tyne Cot", 50.8874, 2.9999),
    ],
)
def test_bundled_boundary_holds_the_villages_of_zonnebeke(
    zonnebeke: Boundary, place: str, lat: float, lon: float
) -> None:
    assert zonnebeke.covers(GeoPoint(lat, lon)), place


@pytest.mark.parametrize(
    ("place", "lat", "lon"),
    [
        ("Ieper", 50.8503, 2.8853),
        ("Moorslede", 50.8905, 3.0614),
        ("Langemark", 50.9135, 2.9175),
        ("Wervik", 50.7803, 3.0384),
        ("Brussels", 50.8467, 4.3525),
    ],
)
def test_bundled_boundary_excludes_the_neighbours(
    zonnebeke: Boundary, place: str, lat: float, lon: float
) -> None:
    assert not zonnebeke.covers(GeoPoint(lat, lon)), place


def test_bundled_boundary_is_a_realistic_outline(zonnebeke: Boundary) -> None:
    geometry = zonnebeke.geojson
    ring = geometry["coordinates"][0]
    assert geometry["type"] == "Polygon"
    assert 50 < len(ring) < 500
    box = zonnebeke.bbox
    assert 2.9 < box.west < box.east < 3.1 and 50.7 < box.south < box.north < 51.0
    # Zonnebeke is 67.6 km²; the simplified outline may differ by a few percent.
    km_per_deg_lon = 111.32 * 0.6309
    area = _shoelace(ring) * km_per_deg_lon * 110.574
    assert 64 < area < 72


def _shoelace(ring: list[list[float]]) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in itertools.pairwise(ring))) / 2


def test_geojson_is_a_copy_callers_cannot_corrupt(zonnebeke: Boundary) -> None:
    zonnebeke.geojson["coordinates"].clear()
    assert zonnebeke.geojson["coordinates"]


# ---- configuration ---------------------------------------------------------------------------


def test_configured_boundary_file_is_loaded(tmp_path: Path) -> None:
    path = tmp_path / "gemeente.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [{"type": "Feature", "properties": {}, "geometry": MULTI}],
            }
        )
    )
    outline = load_boundary(RelaySettings(boundary_path=path, municipality_name="Proefdorp"))
    assert outline.covers(GeoPoint(50.25, 5.25))
    assert outline.municipality == "Proefdorp"


def test_feature_collection_of_several_polygons_becomes_one_multipolygon() -> None:
    features = [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [SQUARE, HOLE]}},
        {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [EXCLAVE]}},
    ]
    outline = boundary({"type": "FeatureCollection", "features": features})
    assert outline.geojson["type"] == "MultiPolygon"
    assert outline.covers(GeoPoint(50.25, 5.25)) and not outline.covers(GeoPoint(50.5, 3.5))


def test_default_settings_load_the_bundled_boundary() -> None:
    assert load_boundary(RelaySettings()).covers(GeoPoint(50.8726, 2.98725))


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ([], "GeoJSON object"),
        ({"type": "Point", "coordinates": [3.0, 50.0]}, "Polygon or MultiPolygon"),
        ({"type": "Feature", "geometry": None}, "GeoJSON object"),
        ({"type": "FeatureCollection", "features": []}, "no features"),
        ({"type": "Polygon", "coordinates": []}, "no rings"),
        ({"type": "MultiPolygon", "coordinates": None}, "no polygons"),
        ({"type": "Polygon", "coordinates": [SQUARE[:3]]}, "at least 4"),
        ({"type": "Polygon", "coordinates": [[*SQUARE[:-1], [3.5, 50.0]]]}, "not closed"),
        (
            {"type": "Polygon", "coordinates": [[[3.0, 50.0], [4.0, "x"], [4.0, 51.0], [3.0, 50.0]]]},
            "bad position",
        ),
        (
            {
                "type": "Polygon",
                "coordinates": [[[3.0, 50.0], [4.0, float("nan")], [4.0, 51.0], [3.0, 50.0]]],
            },
            "bad position",
        ),
        (
            {"type": "Polygon", "coordinates": [[[3.0, 50.0], [True, 50.0], [4.0, 51.0], [3.0, 50.0]]]},
            "bad position",
        ),
        # Lambert 72 metres instead of WGS84 degrees: the classic Flemish mistake.
        (
            {
                "type": "Polygon",
                "coordinates": [[[60000, 170000], [61000, 170000], [61000, 171000], [60000, 170000]]],
            },
            "WGS84",
        ),
        # Latitude and longitude swapped past 90°.
        (
            {"type": "Polygon", "coordinates": [[[50.0, 3.0], [50.0, 4.0], [51.0, 94.0], [50.0, 3.0]]]},
            "WGS84",
        ),
        # A ring "around the world" the wrong way, i.e. across the antimeridian.
        (
            {
                "type": "Polygon",
                "coordinates": [
                    [[179.5, 10.0], [-179.5, 10.0], [-179.5, 11.0], [179.5, 11.0], [179.5, 10.0]]
                ],
            },
            "antimeridian",
        ),
        # A bow tie: valid JSON, invalid polygon.
        (
            {
                "type": "Polygon",
                "coordinates": [[[3.0, 50.0], [4.0, 51.0], [4.0, 50.0], [3.0, 51.0], [3.0, 50.0]]],
            },
            "not a valid polygon",
        ),
        (
            {"type": "Polygon", "coordinates": [[[3.0, 50.0], [3.0, 50.0], [3.0, 50.0], [3.0, 50.0]]]},
            "not a valid polygon",
        ),
    ],
)
def test_unusable_boundaries_stop_the_relay(document: Any, message: str) -> None:
    with pytest.raises(BoundaryError, match=message):
        boundary(document)


def test_unreadable_boundary_file_stops_the_relay(tmp_path: Path) -> None:
    path = tmp_path / "broken.geojson"
    path.write_bytes(b"{not json")
    with pytest.raises(BoundaryError, match="cannot read"):
        Boundary.load(path, municipality="x")
    with pytest.raises(BoundaryError, match="cannot read"):
        Boundary.load(tmp_path / "missing.geojson", municipality="x")
