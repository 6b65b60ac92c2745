"""Short labels from address parts, never the providers' long display strings."""

from __future__ import annotations

from typing import Any

import pytest

from cna_relay.geo.places import AddressParts, Candidate, candidate, flemish_parts, nominatim_parts
from cna_relay.geo.points import GeoPoint
from tests.support.geocoder_stub import PLACES


def test_nominatim_street_address_label() -> None:
    assert nominatim_parts(PLACES[0]).label() == "Ieperstraat 12, 8980 Zonnebeke"


def test_nominatim_point_of_interest_keeps_its_name() -> None:
    assert nominatim_parts(PLACES[5]).label() == "Tyne Cot Cemetery, Tynecotstraat, 8980 Passendale"


def test_label_never_contains_the_display_name_tail() -> None:
    for place in PLACES:
        label = nominatim_parts(place).label()
        assert label is not None and "België" not in label and "Vlaanderen" not in label


@pytest.mark.parametrize(
    ("parts", "label"),
    [
        (AddressParts(locality="Passendale", postcode="8980", name="Passendale"), "8980 Passendale"),
        (AddressParts(street="Markt", locality="Zonnebeke"), "Markt, Zonnebeke"),
        (
            AddressParts(name="Kasteel", street="Berten Pilstraat", house_number="5A"),
            "Kasteel, Berten Pilstraat 5A",
        ),
        (AddressParts(postcode="8980"), None),
        (AddressParts(), None),
    ],
)
def test_labels_leave_out_what_is_missing(parts: AddressParts, label: str | None) -> None:
    assert parts.label() == label


def test_flemish_result_label() -> None:
    raw = {
        "Thoroughfarename": "Langemarkstraat",
        "Housenumber": "7",
        "Zipcode": "8980",
        "Municipality": "Zonnebeke",
    }
    assert flemish_parts(raw).label() == "Langemarkstraat 7, 8980 Zonnebeke"


@pytest.mark.parametrize(
    "raw",
    [
        {},
        {"address": "Ieperstraat"},
        {"address": {"road": ["not", "text"], "village": {"x": 1}}},
        {"address": {"road": True}},
        {"address": {}, "type": ["unhashable"]},
    ],
)
def test_malformed_provider_answers_give_no_label(raw: dict[str, Any]) -> None:
    assert nominatim_parts(raw).label() is None


def test_provider_text_is_cleaned_and_bounded() -> None:
    raw = {"address": {"road": "Kerk\x00straat\n\u202e<script>" + "x" * 300, "village": "Zonne\tbeke"}}
    label = nominatim_parts(raw).label()
    assert label is not None
    assert "\x00" not in label and "\n" not in label and "\u202e" not in label
    assert len(label) <= 160


@pytest.mark.parametrize(
    ("lat", "lon"), [("nan", "3"), ("50", "inf"), (None, 3), ("abc", "3"), (91, 3), (50, 181)]
)
def test_candidates_need_real_coordinates(lat: Any, lon: Any) -> None:
    assert candidate(AddressParts(street="Markt"), lat, lon) is None


def test_candidates_round_trip_through_the_cache_format() -> None:
    item = Candidate("Markt 1, 8980 Zonnebeke", GeoPoint(50.87, 2.98))
    assert Candidate.from_cache(item.to_cache()) == item
