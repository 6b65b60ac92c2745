"""`GET /v1/geocode` and `GET /v1/reverse` over HTTP: a logged-in citizen, hostile query strings,
a provider that fails, and the per-account limit. The relay runs with the real accounts module
(sign-up, mailed code, verify) against the simulator, the mail sink and the geocoder stub."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.relay.accounts.helpers import assert_problem, bearer, verified_citizen
from tests.support.databases import sqlite_url
from tests.support.geocoder_stub import GeocoderStub
from tests.support.relay_fixtures import RelayHarness, running_relay


@pytest.fixture
async def relay_with_geocoder(
    sim_app: Any, sim_config: Any, mail_sink: Any, tmp_path: Path, geocoder_stub: GeocoderStub
) -> AsyncIterator[RelayHarness]:
    async with running_relay(
        sim_app=sim_app,
        sim_config=sim_config,
        mail_sink=mail_sink,
        database_url=sqlite_url(tmp_path),
        geocoder_domain=geocoder_stub.domain,
        geocoder_scheme="http",
        geocoder_min_interval_s=0.0,  # pacing itself is tested in test_geocoding_service.py
    ) as harness:
        yield harness


@pytest.fixture
async def citizen(relay_with_geocoder: RelayHarness) -> dict[str, str]:
    pair = await verified_citizen(relay_with_geocoder, "an.desmet@example.org")
    return bearer(pair)


async def test_geocode_needs_a_logged_in_user(
    relay_with_geocoder: RelayHarness, geocoder_stub: GeocoderStub
) -> None:
    for path in ("/v1/geocode?q=Kerkstraat", "/v1/reverse?lat=50.87&lon=2.98"):
        response = await relay_with_geocoder.client.get(path)
        assert_problem(response, 401, "unauthorized")
        bad = await relay_with_geocoder.client.get(path, headers={"Authorization": "Bearer not-a-token"})
        assert_problem(bad, 401, "unauthorized")
    assert geocoder_stub.requests == []


async def test_geocode_returns_places_in_the_callers_language(
    relay_with_geocoder: RelayHarness, citizen: dict[str, str], geocoder_stub: GeocoderStub
) -> None:
    response = await relay_with_geocoder.client.get(
        "/v1/geocode",
        params={"q": "Kerkstraat", "limit": "5"},
        headers={**citizen, "Accept-Language": "fr-BE,fr;q=0.9"},
    )
    assert response.status_code == 200, response.text
    assert response.json() == {
        "results": [
            {"label": "Kerkstraat, 8980 Zonnebeke", "lat": 50.8722, "lon": 2.9868, "inside": True},
            {"label": "Kerkstraat, 8890 Moorslede", "lat": 50.8891, "lon": 3.058, "inside": False},
        ]
    }
    assert geocoder_stub.last().params["accept-language"] == "fr"


HOSTILE_QUERIES: list[tuple[dict[str, str], str, str]] = [
    ({}, "q", "required"),
    ({"q": "   "}, "q", "required"),
    ({"q": "ab"}, "q", "too_short"),
    ({"q": "K" * 201}, "q", "too_long"),
    ({"q": "Kerkstraat " * 400}, "q", "too_long"),
    ({"q": "Kerk\x00straat"}, "q", "control_characters"),
    ({"q": "Kerkstraat\u202e1"}, "q", "control_characters"),
    ({"q": "Kerkstraat", "limit": "0"}, "limit", "out_of_range"),
    ({"q": "Kerkstraat", "limit": "11"}, "limit", "out_of_range"),
    ({"q": "Kerkstraat", "limit": "ten"}, "limit", "not_a_number"),
]


async def test_hostile_geocode_queries_never_reach_the_provider(
    relay_with_geocoder: RelayHarness, citizen: dict[str, str], geocoder_stub: GeocoderStub
) -> None:
    # One relay for all cases: starting one per case would cost a second each.
    for params, field, code in HOSTILE_QUERIES:
        response = await relay_with_geocoder.client.get("/v1/geocode", params=params, headers=citizen)
        body = assert_problem(response, 422, "validation_error")
        assert [(item["field"], item["code"]) for item in body["errors"]] == [(field, code)], params
    assert geocoder_stub.requests == []


async def test_reverse_gives_the_address_of_a_pin(
    relay_with_geocoder: RelayHarness, citizen: dict[str, str], geocoder_stub: GeocoderStub
) -> None:
    response = await relay_with_geocoder.client.get(
        "/v1/reverse", params={"lat": "50.87121", "lon": "2.98331"}, headers=citizen
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"label": "Ieperstraat 12, 8980 Zonnebeke", "lat": 50.87121, "lon": 2.98331}
    assert (geocoder_stub.last().params["lat"], geocoder_stub.last().params["lon"]) == ("50.8712", "2.9833")


HOSTILE_COORDINATES: list[tuple[dict[str, str], list[tuple[str, str]]]] = [
    ({"lat": "nan", "lon": "2.98"}, [("lat", "not_a_number")]),
    ({"lat": "50.87", "lon": "inf"}, [("lon", "not_a_number")]),
    ({"lat": "1e999", "lon": "-Infinity"}, [("lat", "not_a_number"), ("lon", "not_a_number")]),
    ({"lat": "abc", "lon": "2.98"}, [("lat", "not_a_number")]),
    ({"lat": "50.87\x00", "lon": "2.98"}, [("lat", "not_a_number")]),
    ({"lat": "91", "lon": "2.98"}, [("lat", "out_of_range")]),
    ({"lat": "50.87", "lon": "-181"}, [("lon", "out_of_range")]),
    ({"lon": "2.98"}, [("lat", "required")]),
    ({}, [("lat", "required"), ("lon", "required")]),
]


async def test_hostile_coordinates_are_refused_per_field(
    relay_with_geocoder: RelayHarness, citizen: dict[str, str], geocoder_stub: GeocoderStub
) -> None:
    for params, errors in HOSTILE_COORDINATES:
        response = await relay_with_geocoder.client.get("/v1/reverse", params=params, headers=citizen)
        body = assert_problem(response, 422, "validation_error")
        assert [(item["field"], item["code"]) for item in body["errors"]] == errors, params
    assert geocoder_stub.requests == []


async def test_reverse_outside_the_municipality_is_refused(
    relay_with_geocoder: RelayHarness, citizen: dict[str, str], geocoder_stub: GeocoderStub
) -> None:
    response = await relay_with_geocoder.client.get(
        "/v1/reverse", params={"lat": "50.8503", "lon": "2.8853"}, headers=citizen
    )
    body = assert_problem(response, 422, "outside_municipality")
    assert "Zonnebeke" in body["detail"]
    assert geocoder_stub.requests == []


async def test_a_provider_that_is_down_gives_503_with_retry_after(
    relay_with_geocoder: RelayHarness, citizen: dict[str, str], geocoder_stub: GeocoderStub
) -> None:
    geocoder_stub.fail_next(status=502)
    response = await relay_with_geocoder.client.get(
        "/v1/geocode", params={"q": "Kerkstraat"}, headers=citizen
    )
    body = assert_problem(response, 503, "geocoder_unavailable")
    assert int(response.headers["Retry-After"]) > 0
    assert body["title"]


async def test_nothing_found_is_an_empty_list(
    relay_with_geocoder: RelayHarness, citizen: dict[str, str]
) -> None:
    response = await relay_with_geocoder.client.get(
        "/v1/geocode", params={"q": "Onbestaandestraat"}, headers=citizen
    )
    assert response.status_code == 200
    assert response.json() == {"results": []}


async def test_one_account_cannot_hammer_the_geocoder(
    relay_with_geocoder: RelayHarness, citizen: dict[str, str], geocoder_stub: GeocoderStub
) -> None:
    statuses = []
    for _ in range(31):
        response = await relay_with_geocoder.client.get(
            "/v1/geocode", params={"q": "Kerkstraat"}, headers=citizen
        )
        statuses.append(response.status_code)
    assert statuses[:30] == [200] * 30
    assert_problem(response, 429, "rate_limited")
    assert int(response.headers["Retry-After"]) >= 1
    assert len(geocoder_stub.requests) == 1  # everything after the first came from the cache
