"""Coordinates from outside: only finite, in-range, plainly written numbers become a GeoPoint."""

from __future__ import annotations

import pytest

from cna_relay.geo.points import GeoPoint, parse_point
from cna_relay.problems import ValidationFailed


@pytest.mark.parametrize(
    ("lat", "lon", "expected"),
    [
        (50.8726, 2.98725, GeoPoint(50.8726, 2.98725)),
        ("50.8726", "2.98725", GeoPoint(50.8726, 2.98725)),
        (" -33.5 ", "+151", GeoPoint(-33.5, 151.0)),
        (90, -180, GeoPoint(90.0, -180.0)),
        ("-90", "180.0", GeoPoint(-90.0, 180.0)),
        (".5", "0", GeoPoint(0.5, 0.0)),
    ],
)
def test_valid_coordinates_become_a_point(lat: object, lon: object, expected: GeoPoint) -> None:
    assert parse_point(lat, lon) == expected


def _codes(lat: object, lon: object) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as caught:
        parse_point(lat, lon, field="location")
    assert caught.value.status == 422
    return {error.field: error.code for error in caught.value.errors}


@pytest.mark.parametrize(
    "bad",
    [
        float("nan"),
        float("inf"),
        float("-inf"),
        "nan",
        "NaN",
        "inf",
        "Infinity",
        "1e999",
        "5e1",
        "0x32",
        "1_0",
        "50,87",
        "fifty",
        "",
        " ",
        "50.87\x00",
        "5" * 40,
        True,
        [50.8],
        {"lat": 50.8},
        10**400,
    ],
)
def test_non_numbers_are_refused_per_field(bad: object) -> None:
    assert _codes(bad, 2.98) == {"location.lat": "not_a_number"}
    assert _codes(50.87, bad) == {"location.lon": "not_a_number"}


@pytest.mark.parametrize(
    ("lat", "lon", "field"),
    [
        (90.0001, 0, "location.lat"),
        (-91, 0, "location.lat"),
        (0, 180.5, "location.lon"),
        (0, -999, "location.lon"),
        ("123.4", "0", "location.lat"),
    ],
)
def test_out_of_range_coordinates_are_refused(lat: object, lon: object, field: str) -> None:
    assert _codes(lat, lon) == {field: "out_of_range"}


def test_missing_and_bad_coordinates_are_all_reported() -> None:
    assert _codes(None, "abc") == {"location.lat": "required", "location.lon": "not_a_number"}


def test_field_prefix_is_optional_for_query_parameters() -> None:
    with pytest.raises(ValidationFailed) as caught:
        parse_point("x", "1")
    assert [error.field for error in caught.value.errors] == ["lat"]


def test_rounding_puts_points_on_an_eleven_metre_grid() -> None:
    assert GeoPoint(50.872649, 2.987251).rounded() == GeoPoint(50.8726, 2.9873)
