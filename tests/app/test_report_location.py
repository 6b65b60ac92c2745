"""Choosing the report's location (`LocationPicker`) and locating the device (`ChainLocator`)."""

from __future__ import annotations

import asyncio

import pytest

from cna_app.contract.wire import Place
from cna_app.services.errors import RelayProblem, RelayUnavailable
from cna_app.services.geo import GeoPoint
from cna_app.services.location import ChainLocator, LocationUnavailable, NoLocator, PlyerLocator, checked_fix
from cna_app.viewmodels.navigation import Route
from cna_app.viewmodels.report_location import ADDRESS_MAX, ChosenLocation, from_wire
from cna_app.viewmodels.shell import Shell
from cna_app.viewmodels.texts import UserText
from tests.app.fakes import INSIDE, OUTSIDE, FakeLocator, FakeRelay, ManualClock, RecordingNavigator, fix_at
from tests.app.test_report_form import later

KERKSTRAAT = "Kerkstraat, 8980 Zonnebeke"


async def test_a_pin_is_named_once_it_stays_put(
    citizen: Shell, fake_relay: FakeRelay, clock: ManualClock
) -> None:
    picker = citizen.report.location
    for step in range(5):  # a drag: the pin follows, nothing is looked up
        picker.preview_pin(GeoPoint(50.8700 + step * 0.0005, 2.9860))
    assert picker.place(GeoPoint(50.8722, 2.9868), "map")
    assert picker.chosen is not None and picker.chosen.address_state == "looking"
    await later(clock, 1)
    assert picker.chosen == ChosenLocation(GeoPoint(50.8722, 2.9868), "map", None, KERKSTRAAT, "found")
    assert fake_relay.count("reverse") == 1


async def test_a_quick_second_pin_cancels_the_first_lookup(
    citizen: Shell, fake_relay: FakeRelay, clock: ManualClock
) -> None:
    picker = citizen.report.location
    picker.place(GeoPoint(50.8712, 2.9832), "map")
    await later(clock, 0)
    picker.place(GeoPoint(50.8722, 2.9868), "map")
    await later(clock, 2)
    assert fake_relay.count("reverse") == 1
    assert picker.chosen is not None and picker.chosen.address == KERKSTRAAT


async def test_a_spot_without_an_address_keeps_its_coordinates(citizen: Shell, clock: ManualClock) -> None:
    picker = citizen.report.location
    picker.place(GeoPoint(50.8850, 3.0300), "map")
    await later(clock, 1)
    assert picker.chosen is not None and picker.chosen.address_state == "unknown"
    assert "address" not in picker.chosen.to_wire()


async def test_a_geocoder_outage_leaves_the_pin_valid(
    citizen: Shell, fake_relay: FakeRelay, clock: ManualClock
) -> None:
    fake_relay.fail_next(
        "reverse", RelayProblem(status=503, code="geocoder_unavailable", detail="Even niet.")
    )
    picker = citizen.report.location
    picker.place(GeoPoint(*INSIDE), "map")
    await later(clock, 1)
    assert picker.chosen is not None and picker.chosen.address_state == "unavailable"
    assert citizen.report.missing == [UserText.of("report.missing.description")]


async def test_when_the_relay_says_the_pin_is_outside_it_is_dropped(
    citizen: Shell, fake_relay: FakeRelay, clock: ManualClock
) -> None:
    fake_relay.fail_next(
        "reverse",
        RelayProblem(status=422, code="outside_municipality", detail="Deze locatie ligt buiten Zonnebeke."),
    )
    picker = citizen.report.location
    picker.place(GeoPoint(*INSIDE), "map")
    await later(clock, 1)
    assert picker.chosen is None and picker.refusal == UserText.relay("Deze locatie ligt buiten Zonnebeke.")


async def test_a_gps_fix_just_outside_counts_when_its_accuracy_reaches_in(citizen: Shell) -> None:
    picker = citizen.report.location
    just_west = GeoPoint(50.8700, 2.9300 - 0.0004)  # about 28 m outside the test square
    assert not picker.place(just_west, "map")
    assert not picker.place(just_west, "device", accuracy_m=10)
    assert picker.place(just_west, "device", accuracy_m=40)
    assert not picker.place(GeoPoint(50.8700, 2.9300 - 0.0010), "device", accuracy_m=500)  # capped at 50 m


async def test_use_my_location_places_a_gps_pin(
    citizen: Shell, locator: FakeLocator, clock: ManualClock
) -> None:
    locator.answers.append(fix_at(50.8722, 2.9868, accuracy_m=8.0))
    picker = citizen.report.location
    await picker.use_my_location()
    await later(clock, 1)
    assert picker.chosen is not None and picker.chosen.to_wire() == {
        "lat": 50.8722,
        "lon": 2.9868,
        "source": "gps",
        "accuracy_m": 8.0,
        "address": KERKSTRAAT,
    }
    assert picker.camera_target == GeoPoint(50.8722, 2.9868) and picker.camera_moves == 1


@pytest.mark.parametrize("reason", ["denied", "denied_forever", "disabled", "unsupported", "timeout"])
async def test_no_position_says_why_and_what_else_works(
    citizen: Shell, locator: FakeLocator, reason: str
) -> None:
    locator.answers.append(LocationUnavailable(reason))  # type: ignore[arg-type]
    await citizen.report.location.use_my_location()
    assert citizen.report.location.locate_note == UserText.of(f"location.gps.{reason}")
    assert not citizen.report.location.locating


async def test_a_position_outside_is_refused(citizen: Shell, locator: FakeLocator) -> None:
    locator.answers.append(fix_at(*OUTSIDE))
    await citizen.report.location.use_my_location()
    assert citizen.report.location.chosen is None
    assert citizen.report.location.refusal == UserText.of(
        "location.outside", municipality="Gemeente Zonnebeke"
    )


async def test_the_search_runs_on_submit_and_offers_only_places_inside(
    citizen: Shell, fake_relay: FakeRelay
) -> None:
    picker = citizen.report.location
    picker.set_query("kerkstraat")
    assert fake_relay.count("geocode") == 0
    await picker.search()
    assert [p["label"] for p in picker.results] == [KERKSTRAAT]
    picker.choose(0)
    assert (
        picker.chosen is not None and picker.chosen.origin == "search" and picker.chosen.address == KERKSTRAAT
    )
    assert picker.results == [] and picker.query == KERKSTRAAT
    picker.choose(7)  # a stale tap on a list that is gone
    assert picker.chosen.origin == "search"


async def test_a_place_only_outside_is_named_as_such(citizen: Shell, fake_relay: FakeRelay) -> None:
    picker = citizen.report.location
    picker.set_query("Kerkstraat Ieper")
    await picker.search()
    assert picker.results == []
    assert picker.search_note == UserText.of("location.search.outside", municipality="Gemeente Zonnebeke")


@pytest.mark.parametrize(
    ("query", "note"),
    [
        ("ab", UserText.of("location.search.too_short", count=3)),
        ("x" * 201, UserText.of("field.too_long", count=200)),
        ("Nergensstraat 9", UserText.of("location.search.nothing", query="Nergensstraat 9")),
    ],
)
async def test_searches_that_cannot_help(
    citizen: Shell, fake_relay: FakeRelay, query: str, note: UserText
) -> None:
    picker = citizen.report.location
    picker.set_query(query)
    await picker.search()
    assert picker.search_note == note and picker.results == []


async def test_search_failures_say_so_in_plain_words(citizen: Shell, fake_relay: FakeRelay) -> None:
    picker = citizen.report.location
    picker.set_query("Kerkstraat")
    fake_relay.fail_next(
        "geocode", RelayProblem(status=503, code="geocoder_unavailable", detail="Zet een speld.")
    )
    await picker.search()
    assert picker.search_note == UserText.relay("Zet een speld.")
    fake_relay.fail_next("geocode", RelayUnavailable("down"))
    await picker.search()
    assert picker.search_note == UserText.of("error.unavailable")


async def test_hostile_search_results_are_ignored(citizen: Shell, fake_relay: FakeRelay) -> None:
    fake_relay.places = [
        Place(label="Kerkstraat NaN", lat=float("nan"), lon=2.98, inside=True),
        Place(label="   ", lat=50.87, lon=2.98, inside=True),
        Place(label="Kerkstraat 1", lat=50.87, lon=2.98, inside=True),
    ]
    picker = citizen.report.location
    picker.set_query("kerkstraat")
    await picker.search()
    assert [p["label"] for p in picker.results] == ["Kerkstraat 1"]


async def test_an_expired_session_during_a_search_leads_to_log_in(
    citizen: Shell, fake_relay: FakeRelay, nav: RecordingNavigator
) -> None:
    fake_relay.revoke_all_sessions()
    citizen.report.location.set_query("Kerkstraat")
    await citizen.report.location.search()
    assert nav.current == Route.LOGIN_PASSWORD and citizen.return_to == Route.REPORT


def test_a_stored_location_comes_back_and_long_addresses_are_cut() -> None:
    chosen = ChosenLocation(GeoPoint(50.87, 2.98), "search", None, "a" * 500, "found")
    wire = chosen.to_wire()
    assert len(wire["address"] or "") == ADDRESS_MAX and wire["source"] == "address"
    back = from_wire(wire)
    assert back is not None and back.origin == "search" and back.address_state == "found"
    assert from_wire({"lat": 91.0, "lon": 0.0, "source": "pin"}) is None


# ---- locating the device ---------------------------------------------------------------------


async def test_the_chain_falls_through_to_the_next_locator() -> None:
    chain = ChainLocator([NoLocator(), PlyerLocator(), FakeLocator(fix_at(*INSIDE))])
    fix = await chain.locate()
    assert fix.point == GeoPoint(*INSIDE)


async def test_a_refusal_by_the_user_ends_the_chain() -> None:
    later_one = FakeLocator(fix_at(*INSIDE))
    with pytest.raises(LocationUnavailable) as caught:
        await ChainLocator([FakeLocator(LocationUnavailable("denied")), later_one]).locate()
    assert caught.value.reason == "denied" and later_one.calls == 0


async def test_a_locator_that_never_answers_times_out() -> None:
    class Silent:
        async def locate(self):  # type: ignore[no-untyped-def]
            await asyncio.Event().wait()

    with pytest.raises(LocationUnavailable) as caught:
        await ChainLocator([Silent()], timeout_s=0.01).locate()
    assert caught.value.reason == "timeout"


async def test_plyer_without_a_backend_says_unsupported() -> None:
    with pytest.raises(LocationUnavailable) as caught:
        await PlyerLocator().locate()
    assert caught.value.reason == "unsupported"


@pytest.mark.parametrize(
    ("lat", "lon", "accuracy"),
    [(None, 2.9, 5), ("50", 2.9, 5), (True, 2.9, 5), (91.0, 2.9, 5), (50.8, float("inf"), 5)],
)
def test_impossible_platform_positions_are_refused(lat: object, lon: object, accuracy: object) -> None:
    with pytest.raises(LocationUnavailable):
        checked_fix(lat, lon, accuracy, "test")


def test_a_nonsense_accuracy_is_dropped_not_trusted() -> None:
    assert checked_fix(50.8, 2.9, float("nan"), "t").accuracy_m is None
    assert checked_fix(50.8, 2.9, -3, "t").accuracy_m is None
    assert checked_fix(50.8, 2.9, 12, "t").accuracy_m == 12.0
