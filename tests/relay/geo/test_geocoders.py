"""The geopy adapters against the local stub: what they send, what they make of the answers."""

from __future__ import annotations

import pytest

from cna_relay.geo.boundary import Boundary
from cna_relay.geo.geocoders import FlemishGeocoder, Geocoder, GeocoderDown, NominatimGeocoder, build_geocoder
from cna_relay.geo.points import GeoPoint
from tests.relay.geo.conftest import geo_settings
from tests.support.geocoder_stub import GeocoderStub

BBOX = Boundary.bundled(municipality="Zonnebeke").bbox
USER_AGENT = "cna-relay-tests/1.0 (+mailto:tests@gemeente.example)"


def nominatim(stub: GeocoderStub, **overrides: object) -> Geocoder:
    return build_geocoder(geo_settings(stub, "sqlite://", **overrides), BBOX)


def flemish(stub: GeocoderStub) -> Geocoder:
    return build_geocoder(geo_settings(stub, "sqlite://", geocoder="flemish"), BBOX)


def test_settings_choose_the_provider(geocoder_stub: GeocoderStub) -> None:
    assert isinstance(nominatim(geocoder_stub), NominatimGeocoder)
    assert isinstance(flemish(geocoder_stub), FlemishGeocoder)
    assert nominatim(geocoder_stub).provider == "nominatim"
    assert flemish(geocoder_stub).provider == "flemish"


def test_nominatim_search_is_bounded_to_the_municipality(geocoder_stub: GeocoderStub) -> None:
    found = nominatim(geocoder_stub).search("Kerkstraat", language="fr", limit=10)
    assert [c.label for c in found] == ["Kerkstraat, 8980 Zonnebeke", "Kerkstraat, 8890 Moorslede"]
    request = geocoder_stub.last()
    assert request.path == "/search"
    params = request.params
    assert params["q"] == "Kerkstraat"
    assert params["format"] == "json"
    assert params["countrycodes"] == "be"
    assert params["bounded"] == "1"
    assert params["addressdetails"] == "1"
    assert params["accept-language"] == "fr"
    assert params["limit"] == "10"
    west, south, east, north = map(float, params["viewbox"].split(","))
    assert (west, south, east, north) == pytest.approx((BBOX.west, BBOX.south, BBOX.east, BBOX.north))
    assert request.headers["User-Agent"] == USER_AGENT


def test_nominatim_reverse_asks_for_a_building_level_address(geocoder_stub: GeocoderStub) -> None:
    found = nominatim(geocoder_stub).reverse(GeoPoint(50.8712, 2.9833), language="nl")
    assert found is not None and found.label == "Ieperstraat 12, 8980 Zonnebeke"
    params = geocoder_stub.last().params
    assert geocoder_stub.last().path == "/reverse"
    assert (params["lat"], params["lon"]) == ("50.8712", "2.9833")
    assert (params["zoom"], params["addressdetails"], params["accept-language"]) == ("18", "1", "nl")
    assert geocoder_stub.last().headers["User-Agent"] == USER_AGENT


def test_nothing_found_is_empty_not_an_error(geocoder_stub: GeocoderStub) -> None:
    assert nominatim(geocoder_stub).search("Onbestaandestraat 1", language="nl", limit=5) == []
    assert nominatim(geocoder_stub).reverse(GeoPoint(50.9, 2.95), language="nl") is None
    assert flemish(geocoder_stub).search("Onbestaandestraat 1", language="nl", limit=5) == []
    assert flemish(geocoder_stub).reverse(GeoPoint(50.9, 2.95), language="nl") is None


def test_flemish_geocoder_speaks_the_geolocation_api(geocoder_stub: GeocoderStub) -> None:
    found = flemish(geocoder_stub).search("Ieperstraat 12, Zonnebeke", language="fr", limit=10)
    assert [c.label for c in found] == ["Ieperstraat 12, 8980 Zonnebeke"]
    request = geocoder_stub.last()
    assert request.path == "/geolocation/v4/Location"
    assert request.params == {"q": "Ieperstraat 12, Zonnebeke", "c": "10"}
    assert request.headers["User-Agent"] == USER_AGENT


def test_flemish_reverse_sends_latlon(geocoder_stub: GeocoderStub) -> None:
    found = flemish(geocoder_stub).reverse(GeoPoint(50.8874, 2.9999), language="nl")
    assert found is not None and found.label == "Tynecotstraat, 8980 Passendale"
    assert geocoder_stub.last().params == {"latlon": "50.8874,2.9999", "c": "1"}


def test_flemish_results_far_from_the_municipality_are_dropped(geocoder_stub: GeocoderStub) -> None:
    # The Flemish API has no bounding box: Kerkstraat exists in Ieper and Gent too.
    labels = [c.label for c in flemish(geocoder_stub).search("Kerkstraat", language="nl", limit=10)]
    assert labels == ["Kerkstraat, 8980 Zonnebeke", "Kerkstraat, 8890 Moorslede"]


@pytest.mark.parametrize("status", [500, 502, 503, 504, 401, 403])
def test_provider_errors_become_geocoder_down(geocoder_stub: GeocoderStub, status: int) -> None:
    for geocoder in (nominatim(geocoder_stub), flemish(geocoder_stub)):
        geocoder_stub.fail_next(status=status)
        with pytest.raises(GeocoderDown):
            geocoder.search("Kerkstraat", language="nl", limit=5)


def test_rate_limiting_carries_retry_after(geocoder_stub: GeocoderStub) -> None:
    geocoder_stub.fail_next(status=429, headers={"Retry-After": "7"})
    with pytest.raises(GeocoderDown) as caught:
        nominatim(geocoder_stub).search("Kerkstraat", language="nl", limit=5)
    assert caught.value.retry_after == 7


def test_a_query_the_provider_calls_malformed_is_nothing_found(geocoder_stub: GeocoderStub) -> None:
    geocoder_stub.fail_next(status=400)
    assert nominatim(geocoder_stub).search("Kerkstraat", language="nl", limit=5) == []


def test_unreadable_answers_become_geocoder_down(geocoder_stub: GeocoderStub) -> None:
    for geocoder in (nominatim(geocoder_stub), flemish(geocoder_stub)):
        geocoder_stub.malformed_next()
        with pytest.raises(GeocoderDown):
            geocoder.search("Kerkstraat", language="nl", limit=5)


@pytest.mark.parametrize(
    "body",
    [
        {"not": "a list"},
        ["just", "strings"],
        [{"lat": "abc", "lon": "3.0", "address": {"road": "Kerkstraat"}}],
        [{"lon": "3.0", "address": {"road": "Kerkstraat"}}],
        [{"lat": "95", "lon": "3.0", "address": {"road": "Kerkstraat"}}],
        "a string",
        12,
    ],
)
def test_wrongly_shaped_answers_become_geocoder_down(geocoder_stub: GeocoderStub, body: object) -> None:
    geocoder_stub.answer_next(body)
    with pytest.raises(GeocoderDown):
        nominatim(geocoder_stub).search("Kerkstraat", language="nl", limit=5)


@pytest.mark.parametrize(
    "body",
    [
        {"LocationResult": "nope"},
        ["not", "an", "object"],
    ],
)
def test_wrongly_shaped_flemish_answers_become_geocoder_down(
    geocoder_stub: GeocoderStub, body: object
) -> None:
    geocoder_stub.answer_next(body)
    with pytest.raises(GeocoderDown):
        flemish(geocoder_stub).search("Kerkstraat", language="nl", limit=5)


def test_flemish_results_without_usable_positions_are_skipped(geocoder_stub: GeocoderStub) -> None:
    good = {"Thoroughfarename": "Kerkstraat", "Zipcode": "8980", "Municipality": "Zonnebeke"}
    geocoder_stub.answer_next(
        {
            "LocationResult": [
                {**good, "Location": {"Lat_WGS84": "x", "Lon_WGS84": 2.98}},
                {**good, "Location": None},
                "junk",
                {**good, "Location": {"Lat_WGS84": 50.8722, "Lon_WGS84": 2.9868}},
            ]
        }
    )
    found = flemish(geocoder_stub).search("Kerkstraat", language="nl", limit=5)
    assert [c.label for c in found] == ["Kerkstraat, 8980 Zonnebeke"]


def test_a_slow_provider_times_out_as_geocoder_down(geocoder_stub: GeocoderStub) -> None:
    geocoder_stub.delay_s = 0.5
    with pytest.raises(GeocoderDown):
        nominatim(geocoder_stub, geocoder_timeout_s=0.1).search("Kerkstraat", language="nl", limit=5)


def test_an_unreachable_provider_is_geocoder_down() -> None:
    stub = GeocoderStub(host="127.0.0.1", port=9)  # discard port: nothing listens
    with pytest.raises(GeocoderDown):
        nominatim(stub).search("Kerkstraat", language="nl", limit=5)
