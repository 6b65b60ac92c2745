"""Starting without a connection (view models on the fake relay): the shell starts from the
configuration and account kept on the device in offline mode, the citizen writes a report that
waits in the outbox, and the app leaves offline mode by itself when the relay answers again,
confirming the session (renewing an expired access token) and sending what waited, once.

Each test plays two app runs on one `Device`: a first run with the relay up that keeps the
copies, then a cold start with the relay down.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field

import pytest

from cna_app.services.device import FixedLocales, MemoryPreferences
from cna_app.services.device_cache import MemoryCacheStore
from cna_app.services.drafts import MemoryDraftStore
from cna_app.services.geo import GeoPoint
from cna_app.services.photos import IncomingFile
from cna_app.services.startup_cache import StartupCache
from cna_app.services.tokens import MemoryTokenStore
from cna_app.viewmodels.navigation import Route
from cna_app.viewmodels.relay_link import FIRST_ANSWER_S
from cna_app.viewmodels.report_form import Outcome
from cna_app.viewmodels.routing import needs_connection, screen_for
from cna_app.viewmodels.shell import Phase, Shell
from cna_app.viewmodels.texts import UserText
from tests.app.conftest import CITIZEN, sign_in
from tests.app.fakes import INSIDE, FakeLocator, FakeRelay, ManualClock, RecordingNavigator, settle
from tests.app.test_report_form import DESCRIPTION
from tests.support import images

RELAY = "https://meldingen.zonnebeke.be"


class DeviceTokens(MemoryTokenStore):
    """Tokens that outlive an app run, as the keyring or secure storage keep them."""

    durable = True


@dataclass
class Device:
    """What stays on the phone between app runs."""

    tokens: DeviceTokens = field(default_factory=DeviceTokens)
    preferences: MemoryPreferences = field(default_factory=MemoryPreferences)
    drafts: MemoryDraftStore = field(default_factory=MemoryDraftStore)
    cache: MemoryCacheStore = field(default_factory=MemoryCacheStore)

    def run(self, relay: FakeRelay, clock: ManualClock, *, relay_url: str = RELAY) -> Shell:
        """One app run on this device (a fresh shell, as after a cold start)."""
        return Shell(
            relay=relay,
            tokens=self.tokens,
            preferences=self.preferences,
            locales=FixedLocales(["nl-BE"]),
            nav=RecordingNavigator(),
            clock=clock,
            drafts=self.drafts,
            locator=FakeLocator(),
            outbox_delays_s=(2, 4, 8),
            cache=StartupCache(self.cache, relay_url=relay_url),
        )


@pytest.fixture
def device() -> Device:
    return Device()


async def first_run(device: Device, relay: FakeRelay, clock: ManualClock, *, signed_in: bool = True) -> None:
    """The relay answers: the app keeps its configuration (and, signed in, the account)."""
    shell = device.run(relay, clock)
    await shell.start()
    if signed_in:
        await sign_in(shell, relay)
    shell.close()
    await settle()


async def offline_start(device: Device, relay: FakeRelay, clock: ManualClock) -> Shell:
    relay.offline = True
    shell = device.run(relay, clock)
    await shell.start()
    return shell


async def write_report(shell: Shell) -> str:
    report = shell.report
    report.set_description(DESCRIPTION)
    await report.add_files([IncomingFile("stoep.jpg", images.jpeg(640, 480, gps=False))])
    assert report.location.place(GeoPoint(*INSIDE), "map")
    await settle()
    return report.draft().id


async def back_online(relay: FakeRelay, clock: ManualClock, seconds: float = 2) -> None:
    relay.offline = False
    await settle()
    await clock.advance(seconds)
    await settle()


# ---- the device's copies -------------------------------------------------------------------------


async def test_a_start_with_the_relay_up_keeps_its_configuration_and_the_account(
    device: Device, fake_relay: FakeRelay, clock: ManualClock
) -> None:
    await first_run(device, fake_relay, clock)
    kept = json.loads(device.cache.texts["config"])
    assert kept["relay"] == RELAY and kept["config"] == fake_relay.config_view
    assert json.loads(device.cache.texts["account"])["account"]["email"] == CITIZEN


async def test_an_unchanged_configuration_is_not_written_again(
    device: Device, fake_relay: FakeRelay, clock: ManualClock
) -> None:
    await first_run(device, fake_relay, clock, signed_in=False)
    device.cache.texts["config"] = device.cache.texts["config"].replace('"saved_at":"', '"saved_at":"old-')
    shell = device.run(fake_relay, clock)
    await shell.start()
    assert '"saved_at":"old-' in device.cache.texts["config"]
    fake_relay.config_view["municipality"]["name"] = "Gemeente Zonnebeke-Passendale"
    shell = device.run(fake_relay, clock)
    await shell.start()
    assert "Zonnebeke-Passendale" in device.cache.texts["config"]


async def test_without_the_relay_the_app_starts_from_the_kept_copies_in_offline_mode(
    device: Device, fake_relay: FakeRelay, clock: ManualClock
) -> None:
    await first_run(device, fake_relay, clock)
    shell = await offline_start(device, fake_relay, clock)
    assert shell.phase is Phase.READY and shell.offline
    assert shell.config is not None and shell.config.municipality_name == "Gemeente Zonnebeke"
    assert shell.session.signed_in
    assert shell.session.account is not None and shell.session.account["email"] == CITIZEN
    assert shell.session.account_from_device
    assert screen_for(shell, Route.REPORT) is Route.REPORT and not needs_connection(shell, Route.REPORT)
    shell.close()


async def test_a_first_ever_start_without_the_relay_waits_on_the_retry_screen(
    device: Device, fake_relay: FakeRelay, clock: ManualClock
) -> None:
    shell = device.run(fake_relay, clock)
    fake_relay.offline = True
    starting = asyncio.create_task(shell.start())
    await settle()
    assert shell.phase is Phase.UNREACHABLE and not shell.offline
    await back_online(fake_relay, clock)
    await starting
    assert shell.phase is Phase.READY and not shell.offline


async def test_a_copy_kept_for_another_relay_is_not_used(
    device: Device, fake_relay: FakeRelay, clock: ManualClock
) -> None:
    await first_run(device, fake_relay, clock)
    fake_relay.offline = True
    shell = device.run(fake_relay, clock, relay_url="https://meldingen.ieper.be")
    starting = asyncio.create_task(shell.start())
    await settle()
    assert shell.phase is Phase.UNREACHABLE and shell.config is None
    starting.cancel()
    shell.close()


@pytest.mark.parametrize(
    "text", ["{not json", '{"v":1}', "[]", '{"v":1,"relay":"' + RELAY + '","config":{}}']
)
async def test_a_corrupted_copy_is_ignored(
    device: Device, fake_relay: FakeRelay, clock: ManualClock, text: str
) -> None:
    await first_run(device, fake_relay, clock)
    device.cache.texts["config"] = text
    fake_relay.offline = True
    shell = device.run(fake_relay, clock)
    starting = asyncio.create_task(shell.start())
    await settle()
    assert shell.phase is Phase.UNREACHABLE
    await back_online(fake_relay, clock)
    await starting
    assert json.loads(device.cache.texts["config"])["config"] == fake_relay.config_view  # repaired


async def test_a_relay_that_does_not_answer_in_time_counts_as_unreachable(
    device: Device, fake_relay: FakeRelay, clock: ManualClock
) -> None:
    await first_run(device, fake_relay, clock)
    # Every request hangs, as in a dead zone: nothing at start-up may wait for one.
    gates = [fake_relay.hold(method) for method in ("get_config", "me", "refresh")]
    shell = device.run(fake_relay, clock)
    starting = asyncio.create_task(shell.start())
    await later(clock, FIRST_ANSWER_S)
    await starting
    assert shell.phase is Phase.READY and shell.offline
    assert shell.session.account is not None and shell.session.account["email"] == CITIZEN
    assert fake_relay.count("me") == 0
    for gate in gates:
        gate.set()
    shell.close()


async def test_a_session_whose_tokens_changed_gets_no_account_from_the_copy(
    device: Device, fake_relay: FakeRelay, clock: ManualClock
) -> None:
    await first_run(device, fake_relay, clock)
    saved = await device.tokens.load()
    assert saved is not None
    await device.tokens.save(type(saved)("access-x", "refresh-x"))  # not the pair the copy was kept with
    shell = await offline_start(device, fake_relay, clock)
    assert shell.session.signed_in and shell.session.account is None
    assert needs_connection(shell, Route.REPORT) and needs_connection(shell, Route.REPORTS)
    shell.close()


async def test_log_out_removes_the_account_copy(
    device: Device, fake_relay: FakeRelay, clock: ManualClock
) -> None:
    shell = device.run(fake_relay, clock)
    await shell.start()
    await sign_in(shell, fake_relay)
    assert "account" in device.cache.texts
    await shell.profile.logout()
    assert "account" not in device.cache.texts and "config" in device.cache.texts
    shell.close()


async def test_a_session_kept_only_in_memory_leaves_no_account_copy(
    device: Device, fake_relay: FakeRelay, clock: ManualClock
) -> None:
    device.tokens.durable = False  # the secure storage failed: the session dies with the app
    await first_run(device, fake_relay, clock)
    assert "account" not in device.cache.texts


# ---- offline mode --------------------------------------------------------------------------------


async def test_offline_the_screens_that_need_the_relay_say_so(
    device: Device, fake_relay: FakeRelay, clock: ManualClock
) -> None:
    await first_run(device, fake_relay, clock, signed_in=False)
    shell = await offline_start(device, fake_relay, clock)
    for route in (Route.LOGIN, Route.SIGNUP, Route.RESET):
        assert needs_connection(shell, route)
    assert not needs_connection(shell, Route.START)
    calls = list(fake_relay.calls)
    shell.start_report()
    assert shell.nav.current == Route.LOGIN  # type: ignore[attr-defined]
    assert fake_relay.calls == calls
    shell.close()


async def test_offline_a_report_goes_to_the_outbox_at_once_and_out_once_when_the_relay_is_back(
    device: Device, fake_relay: FakeRelay, clock: ManualClock
) -> None:
    await first_run(device, fake_relay, clock)
    shell = await offline_start(device, fake_relay, clock)
    report_id = await write_report(shell)
    await shell.report.submit()
    assert shell.report.outcome == Outcome("queued", stored=False)
    [entry] = shell.report.outbox.entries
    assert entry.draft.id == report_id and entry.note == UserText.of("outbox.offline")
    assert fake_relay.count("submit_report") == 0  # not even tried: the app knows it is offline
    await back_online(fake_relay, clock, seconds=4)
    assert not shell.offline
    assert list(fake_relay.reports) == [report_id]
    assert shell.report.outbox.entries == []
    await clock.advance(30)  # nothing goes out twice
    assert fake_relay.count("submit_report") == 1
    shell.close()


async def test_back_online_the_config_is_refreshed_and_the_account_confirmed(
    device: Device, fake_relay: FakeRelay, clock: ManualClock
) -> None:
    await first_run(device, fake_relay, clock)
    shell = await offline_start(device, fake_relay, clock)
    changes: list[bool] = []
    shell.changes.subscribe(changes.append)
    await later(clock, 2)  # the probe's first try: still nothing
    assert shell.offline and fake_relay.count("get_config") == 3
    fake_relay.config_view["municipality"]["name"] = "Gemeente Zonnebeke-Passendale"
    await back_online(fake_relay, clock, seconds=4)
    assert not shell.offline
    assert shell.config is not None and shell.config.municipality_name == "Gemeente Zonnebeke-Passendale"
    assert "Zonnebeke-Passendale" in device.cache.texts["config"]
    assert fake_relay.count("me") == 1 and not shell.session.account_from_device
    assert changes[-1] is True  # a new look: every screen is rebuilt
    shell.close()


async def test_the_probe_waits_longer_each_time(
    device: Device, fake_relay: FakeRelay, clock: ManualClock
) -> None:
    await first_run(device, fake_relay, clock, signed_in=False)
    shell = await offline_start(device, fake_relay, clock)
    base = fake_relay.count("get_config")
    tries = []
    await settle()
    for _ in range(7):
        await clock.advance(1)
        tries.append(fake_relay.count("get_config") - base)
    assert tries == [0, 1, 1, 1, 1, 2, 2]  # at 2 s, then 4 s later, ...
    await clock.advance(60)
    assert fake_relay.count("get_config") - base == 5  # ... 8, 15 and 30 s later: at 14, 29, 59 s
    shell.close()


async def test_try_again_now_and_a_delivered_report_cut_the_wait_short(
    device: Device, fake_relay: FakeRelay, clock: ManualClock
) -> None:
    await first_run(device, fake_relay, clock)
    shell = await offline_start(device, fake_relay, clock)
    base = fake_relay.count("get_config")
    shell.retry_now()
    await settle()
    assert fake_relay.count("get_config") == base + 1
    shell.relay_answered()
    await settle()
    assert fake_relay.count("get_config") == base + 2 and shell.offline
    shell.close()


async def test_a_report_getting_through_ends_offline_mode_before_the_probes_next_turn(
    device: Device, fake_relay: FakeRelay, clock: ManualClock
) -> None:
    await first_run(device, fake_relay, clock)
    shell = await offline_start(device, fake_relay, clock)
    await write_report(shell)
    await shell.report.submit()
    await later(clock, 30)  # the probe asked at 2, 6, 14 and 29 s; its next try is at 59 s
    asked = fake_relay.count("get_config")
    fake_relay.offline = False
    await clock.advance(12)  # the outbox (every 8 s by now) gets through first
    assert len(fake_relay.reports) == 1
    assert not shell.offline and fake_relay.count("get_config") == asked + 1
    shell.close()


async def test_an_access_token_that_expired_offline_is_renewed_not_a_log_out(
    device: Device, fake_relay: FakeRelay, clock: ManualClock
) -> None:
    await first_run(device, fake_relay, clock)
    fake_relay.expire_access_tokens()  # a night in a dead zone
    shell = await offline_start(device, fake_relay, clock)
    assert shell.session.signed_in
    report_id = await write_report(shell)
    await shell.report.submit()
    await back_online(fake_relay, clock, seconds=4)
    assert shell.session.signed_in and not shell.offline
    assert fake_relay.count("refresh") == 1  # one renewal, shared by the probe and the outbox
    assert list(fake_relay.reports) == [report_id]
    saved = await device.tokens.load()
    assert saved is not None and json.loads(device.cache.texts["account"])["account"]["email"] == CITIZEN
    shell.close()


async def test_a_refused_renewal_ends_the_session_but_keeps_the_waiting_report(
    device: Device, fake_relay: FakeRelay, clock: ManualClock
) -> None:
    await first_run(device, fake_relay, clock)
    shell = await offline_start(device, fake_relay, clock)
    report_id = await write_report(shell)
    await shell.report.submit()
    fake_relay.revoke_all_sessions()  # e.g. "log out everywhere" from another device meanwhile
    await back_online(fake_relay, clock, seconds=4)
    assert not shell.session.signed_in and not shell.offline
    assert shell.login.email == CITIZEN and shell.login.notice == UserText.of("login.session_expired")
    assert "account" not in device.cache.texts
    assert [d.id for d in await device.drafts.load_all(fake_relay.accounts[CITIZEN].id)] == [report_id]
    assert fake_relay.reports == {}
    await sign_in(shell, fake_relay)  # the same citizen logs in again: the report goes out
    await later(clock, 1)
    assert list(fake_relay.reports) == [report_id]
    shell.close()


async def test_offline_a_pin_waits_for_its_address_and_is_named_when_the_relay_is_back(
    device: Device, fake_relay: FakeRelay, clock: ManualClock
) -> None:
    await first_run(device, fake_relay, clock)
    shell = await offline_start(device, fake_relay, clock)
    picker = shell.report.location
    assert picker.place(GeoPoint(*INSIDE), "map")
    await later(clock, 1)
    assert picker.chosen is not None and picker.chosen.address_state == "offline"
    assert fake_relay.count("reverse") == 0
    await back_online(fake_relay, clock)
    await later(clock, 1)
    assert picker.chosen is not None and picker.chosen.address_state == "found"
    assert fake_relay.count("reverse") == 1
    shell.close()


async def test_offline_the_address_search_says_it_needs_a_connection(
    device: Device, fake_relay: FakeRelay, clock: ManualClock
) -> None:
    await first_run(device, fake_relay, clock)
    shell = await offline_start(device, fake_relay, clock)
    picker = shell.report.location
    assert picker.needs_connection and picker.search_message == UserText.of("location.search.offline")
    picker.set_query("Ieperstraat 12")
    await picker.search()
    assert picker.results == [] and picker.search_message == UserText.of("location.search.offline")
    assert fake_relay.count("geocode") == 0
    await back_online(fake_relay, clock)
    assert picker.search_message is None
    shell.close()


async def test_offline_my_reports_shows_what_waits_and_loads_the_rest_when_the_relay_is_back(
    device: Device, fake_relay: FakeRelay, clock: ManualClock
) -> None:
    await first_run(device, fake_relay, clock)
    shell = await offline_start(device, fake_relay, clock)
    await write_report(shell)
    await shell.report.submit()
    flow = shell.my_reports
    await flow.load()
    assert flow.needs_connection and not flow.loaded and not flow.stale
    assert fake_relay.count("list_reports") == 0
    assert len(shell.report.outbox.entries) == 1
    await back_online(fake_relay, clock, seconds=4)
    assert flow.stale  # the screen reloads it
    await flow.load()
    assert flow.loaded and not flow.needs_connection and len(flow.items) == 1
    shell.close()


async def test_offline_the_profile_shows_the_kept_account_and_waits_with_changes(
    device: Device, fake_relay: FakeRelay, clock: ManualClock
) -> None:
    await first_run(device, fake_relay, clock)
    shell = await offline_start(device, fake_relay, clock)
    profile = shell.profile
    assert profile.account is not None and profile.needs_connection
    assert needs_connection(shell, Route.PROFILE_EDIT) and not needs_connection(shell, Route.PROFILE)
    profile.start_edit()
    assert profile.draft is not None
    profile.set_field("first_name", "Anna")
    await profile.save()
    await profile.logout_everywhere()
    profile.ask_delete()
    assert not profile.delete_open
    assert fake_relay.count("update_me") == fake_relay.count("logout_all") == 0
    await shell.set_language("fr")  # the app's language changes; the account's waits
    assert shell.language == "fr" and fake_relay.count("update_me") == 0
    await profile.logout()  # this device forgets the session even without telling the relay
    assert not shell.session.signed_in and "account" not in device.cache.texts
    shell.close()


# ---- helpers -------------------------------------------------------------------------------------


async def later(clock: ManualClock, seconds: float) -> None:
    await settle()
    await clock.advance(seconds)
