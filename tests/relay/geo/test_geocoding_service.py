"""GeocodingService on a real database (SQLite and PostgreSQL) against the stub provider:
shared cache, shared pacing, 503 with Retry-After, results marked inside/outside."""

from __future__ import annotations

from typing import Any

import pytest

from cna_relay.geo.points import GeoPoint
from cna_relay.problems import RelayError
from tests.relay.geo.conftest import GeoRig


async def test_results_are_marked_inside_and_ours_come_first(geo_rig: GeoRig) -> None:
    answer = await geo_rig.services.geocoding.search("Kerkstraat", language="nl", limit=5)
    assert answer == {
        "results": [
            {"label": "Kerkstraat, 8980 Zonnebeke", "lat": 50.8722, "lon": 2.9868, "inside": True},
            {"label": "Kerkstraat, 8890 Moorslede", "lat": 50.8891, "lon": 3.058, "inside": False},
        ]
    }


async def test_inside_results_are_sorted_before_outside_ones(geo_rig: GeoRig) -> None:
    # The provider ranks the Moorslede street first; the citizen still sees Zonnebeke first.
    geo_rig.stub.places = [geo_rig.stub.places[2], geo_rig.stub.places[1]]
    answer = await geo_rig.services.geocoding.search("Kerkstraat", language="nl", limit=5)
    assert [place["inside"] for place in answer["results"]] == [True, False]


async def test_limit_cuts_the_answer_but_not_the_provider_request(geo_rig: GeoRig) -> None:
    answer = await geo_rig.services.geocoding.search("Kerkstraat", language="nl", limit=1)
    assert len(answer["results"]) == 1
    assert geo_rig.stub.last().params["limit"] == "10"
    # A bigger limit afterwards is served from the same cached answer.
    again = await geo_rig.services.geocoding.search("Kerkstraat", language="nl", limit=10)
    assert len(again["results"]) == 2
    assert len(geo_rig.stub.requests) == 1


async def test_a_cache_hit_does_not_ask_the_provider_again(geo_rig: GeoRig) -> None:
    first = await geo_rig.services.geocoding.search("Ieperstraat 12", language="nl", limit=5)
    second = await geo_rig.services.geocoding.search("  ieperstraat   12 ", language="nl", limit=5)
    assert first == second
    assert geo_rig.stub.paths() == ["/search"]


async def test_the_cache_is_shared_by_relay_processes(geo_rig: GeoRig) -> None:
    await geo_rig.services.geocoding.search("Ieperstraat 12", language="nl", limit=5)
    other = geo_rig.another_process()
    await other.geocoding.search("IEPERSTRAAT 12", language="nl", limit=5)
    assert len(geo_rig.stub.requests) == 1


async def test_languages_are_cached_apart(geo_rig: GeoRig) -> None:
    await geo_rig.services.geocoding.search("Ieperstraat 12", language="nl", limit=5)
    await geo_rig.services.geocoding.search("Ieperstraat 12", language="fr", limit=5)
    assert [r.params["accept-language"] for r in geo_rig.stub.requests] == ["nl", "fr"]


async def test_cached_answers_expire(geo_rig: GeoRig) -> None:
    await geo_rig.services.geocoding.search("Ieperstraat 12", language="nl", limit=5)
    geo_rig.clock.advance(7 * 24 * 3600 + 1)
    await geo_rig.services.geocoding.search("Ieperstraat 12", language="nl", limit=5)
    assert len(geo_rig.stub.requests) == 2


async def test_nothing_found_is_cached_for_a_shorter_time(geo_rig: GeoRig) -> None:
    answer = await geo_rig.services.geocoding.search("Nergensstraat 1", language="nl", limit=5)
    assert answer == {"results": []}
    await geo_rig.services.geocoding.search("Nergensstraat 1", language="nl", limit=5)
    assert len(geo_rig.stub.requests) == 1
    geo_rig.clock.advance(24 * 3600 + 1)
    await geo_rig.services.geocoding.search("Nergensstraat 1", language="nl", limit=5)
    assert len(geo_rig.stub.requests) == 2


async def test_two_processes_share_one_pace_of_one_request_per_second(geo_rig: GeoRig) -> None:
    other = geo_rig.another_process()
    await geo_rig.services.geocoding.search("Ieperstraat 1", language="nl", limit=5)
    await other.geocoding.search("Ieperstraat 2", language="nl", limit=5)
    await geo_rig.services.geocoding.search("Ieperstraat 3", language="nl", limit=5)
    # The clock does not move between the calls, so each one waits a full slot more.
    assert geo_rig.sleep.waits == [pytest.approx(1.0), pytest.approx(1.0)]
    assert len(geo_rig.stub.requests) == 3


async def test_a_turn_too_far_away_is_a_503_with_retry_after_and_no_request(geo_rig_factory: Any) -> None:
    rig: GeoRig = await geo_rig_factory(geocoder_min_interval_s=2.0, geocoder_max_wait_s=3.0)
    rig.sleep.advance = False  # three requests arriving at the same moment
    await rig.services.geocoding.search("Ieperstraat 1", language="nl", limit=5)  # slot +0 s
    await rig.another_process().geocoding.search("Ieperstraat 2", language="nl", limit=5)  # slot +2 s
    with pytest.raises(RelayError) as caught:  # slot +4 s: more than 3 s away
        await rig.services.geocoding.search("Ieperstraat 3", language="nl", limit=5)
    assert (caught.value.code, caught.value.status) == ("geocoder_unavailable", 503)
    assert caught.value.headers["Retry-After"] == "4"
    assert rig.sleep.waits == [pytest.approx(2.0)]
    assert len(rig.stub.requests) == 2


async def test_a_provider_that_is_down_gives_503_and_is_not_cached(geo_rig: GeoRig) -> None:
    geo_rig.stub.fail_next(status=503)
    with pytest.raises(RelayError) as caught:
        await geo_rig.services.geocoding.search("Ieperstraat 12", language="nl", limit=5)
    assert (caught.value.code, caught.value.status) == ("geocoder_unavailable", 503)
    assert int(caught.value.headers["Retry-After"]) > 0
    geo_rig.clock.advance(5)
    answer = await geo_rig.services.geocoding.search("Ieperstraat 12", language="nl", limit=5)
    assert answer["results"][0]["label"] == "Ieperstraat 12, 8980 Zonnebeke"


async def test_a_429_holds_every_process_back_for_the_retry_after(geo_rig: GeoRig) -> None:
    geo_rig.stub.fail_next(status=429, headers={"Retry-After": "30"})
    with pytest.raises(RelayError) as caught:
        await geo_rig.services.geocoding.search("Ieperstraat 12", language="nl", limit=5)
    assert caught.value.headers["Retry-After"] == "30"
    with pytest.raises(RelayError) as again:
        await geo_rig.another_process().geocoding.search("Kerkstraat", language="nl", limit=5)
    assert again.value.code == "geocoder_unavailable"
    assert len(geo_rig.stub.requests) == 1  # the second process did not even try
    geo_rig.clock.advance(31)
    await geo_rig.services.geocoding.search("Kerkstraat", language="nl", limit=5)
    assert len(geo_rig.stub.requests) == 2


async def test_reverse_sends_only_a_rounded_position(geo_rig: GeoRig) -> None:
    answer = await geo_rig.services.geocoding.reverse(GeoPoint(50.871234567, 2.983298765), language="nl")
    assert answer == {"label": "Ieperstraat 12, 8980 Zonnebeke", "lat": 50.871234567, "lon": 2.983298765}
    params = geo_rig.stub.last().params
    assert (params["lat"], params["lon"]) == ("50.8712", "2.9833")


async def test_reverse_answers_are_cached_per_eleven_metre_cell(geo_rig: GeoRig) -> None:
    await geo_rig.services.geocoding.reverse(GeoPoint(50.87121, 2.98331), language="nl")
    await geo_rig.services.geocoding.reverse(GeoPoint(50.87124, 2.98326), language="nl")
    assert len(geo_rig.stub.requests) == 1
    await geo_rig.services.geocoding.reverse(GeoPoint(50.8722, 2.9868), language="nl")
    assert len(geo_rig.stub.requests) == 2


async def test_reverse_with_nothing_near_has_no_label(geo_rig: GeoRig) -> None:
    answer = await geo_rig.services.geocoding.reverse(GeoPoint(50.90, 2.95), language="nl")
    assert answer == {"label": None, "lat": 50.90, "lon": 2.95}


async def test_the_flemish_provider_works_the_same_way(geo_rig_factory: Any) -> None:
    rig: GeoRig = await geo_rig_factory(geocoder="flemish")
    answer = await rig.services.geocoding.search("Ieperstraat 12", language="nl", limit=5)
    assert answer["results"] == [
        {"label": "Ieperstraat 12, 8980 Zonnebeke", "lat": 50.8712, "lon": 2.9832, "inside": True}
    ]
    reverse = await rig.services.geocoding.reverse(GeoPoint(50.8712, 2.9832), language="nl")
    assert reverse["label"] == "Ieperstraat 12, 8980 Zonnebeke"
    assert {r.path for r in rig.stub.requests} == {"/geolocation/v4/Location"}
