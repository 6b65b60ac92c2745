"""Control-tree tests of offline mode: the real `create_main` started twice on one device (the
headless page harness with the same shared preferences and secure storage), first with the relay
up, then without it. The copies go through the real `PreferencesCacheStore` (the browser's local
storage on the web)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import flet as ft
import pytest

from cna_app.adapters.cache_storage import CACHE_PREFIX
from cna_app.viewmodels.navigation import Route
from cna_app.viewmodels.shell import Phase
from tests.app.fakes import INSIDE, FakeRelay
from tests.app.harness import AppHarness
from tests.app.test_report_views import open_form, wait_out
from tests.support import images

BANNER = "Geen verbinding — je melding wordt verzonden zodra er weer verbinding is"


def banner_shown(app: AppHarness) -> bool:
    [banner] = [
        c
        for c in app.controls()
        if isinstance(c, ft.Semantics) and getattr(c.content, "key", None) == "offline-banner"
    ]
    return bool(banner.visible)


@pytest.fixture
async def first(fake_relay: FakeRelay) -> AsyncIterator[AppHarness]:
    """The first run on the device, with the relay up."""
    harness = AppHarness(fake_relay)
    await harness.start()
    await harness.until_ready()
    yield harness
    await harness.stop()


async def again_offline(first: AppHarness, route: str = "/") -> AppHarness:
    """Close the first run, lose the relay, open the app again on the same device."""
    await first.stop()
    first.relay.offline = True
    second = AppHarness.again(first)
    await second.start(route)
    await second.until_ready()
    return second


async def test_the_first_run_keeps_the_configuration_in_the_browser_storage(
    first: AppHarness, fake_relay: FakeRelay
) -> None:
    assert CACHE_PREFIX + "config" in first.client.preferences
    await open_form(first, fake_relay)
    assert CACHE_PREFIX + "account" in first.client.preferences


async def test_a_cold_start_without_the_relay_opens_on_the_kept_copies_with_the_banner(
    first: AppHarness, fake_relay: FakeRelay
) -> None:
    await open_form(first, fake_relay)
    app = await again_offline(first)
    assert app.app_shell.offline and banner_shown(app)
    assert BANNER in app.texts()
    assert "Een probleem in Gemeente Zonnebeke?" in app.texts()
    assert not app.has("connection-retry")  # not the blocking retry screen
    await app.click("start-report")
    assert app.page.route == Route.REPORT and banner_shown(app)
    assert app.find("report-search").disabled
    assert (
        "Adres zoeken kan pas als er weer verbinding is. Tik op de kaart of gebruik je locatie."
        in app.texts()
    )
    await app.stop()


async def test_offline_a_report_with_a_photo_and_a_pin_waits_and_the_form_survives_the_way_back(
    first: AppHarness, fake_relay: FakeRelay
) -> None:
    await open_form(first, fake_relay)
    app = await again_offline(first, "/melding")
    await app.type("report-description", "Losliggende stoeptegel voor de bakker.")
    await app.pick_files(("stoep.jpg", images.jpeg(1200, 900, gps=False)))
    await app.tap_map(*INSIDE)
    await wait_out(app)
    status = str(app.find("report-location-status").value)
    assert status.startswith("Speld op de kaart: het adres volgt zodra er weer verbinding is (")
    await app.click("report-send")
    assert "Nog niet verzonden" in app.texts()
    assert fake_relay.count("submit_report") == 0
    await app.click("report-outcome-close")
    await app.click("start-report")
    description = app.find("report-description")

    fake_relay.offline = False
    await wait_out(app, 4)
    assert not app.app_shell.offline and not banner_shown(app)
    assert app.find("report-description") is description  # refreshed in place, not rebuilt
    assert len(fake_relay.reports) == 1
    await app.stop()


async def test_offline_log_in_says_it_needs_a_connection_until_the_relay_answers(
    first: AppHarness, fake_relay: FakeRelay
) -> None:
    app = await again_offline(first)
    await app.click("start-report")
    assert app.page.route == Route.LOGIN
    assert "Hiervoor is een verbinding nodig" in app.texts()
    assert not app.has("login-email")
    calls = fake_relay.count("get_config")
    await app.click("offline-retry")  # still nothing there
    assert fake_relay.count("get_config") == calls + 1 and app.has("offline-retry")

    fake_relay.offline = False
    await app.click("offline-retry")
    assert not app.app_shell.offline
    assert app.has("login-email") and not app.has("offline-retry")
    await app.stop()


async def test_offline_profile_and_my_reports_say_what_waits_for_a_connection(
    first: AppHarness, fake_relay: FakeRelay
) -> None:
    await open_form(first, fake_relay)
    app = await again_offline(first, "/profiel")
    assert "An Peeters" in app.texts()  # the kept account
    assert app.find("profile-edit").disabled and app.find("profile-logout-all").disabled
    assert app.find("profile-delete").disabled and not app.find("profile-logout").disabled
    assert any("kan pas als er weer verbinding is" in text for text in app.texts())
    await app.client.browse_to("/profiel/bewerken")
    await app.settle()
    assert "Hiervoor is een verbinding nodig" in app.texts()

    await app.client.browse_to("/meldingen")
    await app.settle()
    assert "Je verzonden meldingen verschijnen hier zodra er weer verbinding is." in app.texts()
    assert fake_relay.count("list_reports") == 0
    fake_relay.offline = False
    await wait_out(app, 4)
    assert fake_relay.count("list_reports") == 1
    assert "Je verzonden meldingen verschijnen hier zodra er weer verbinding is." not in app.texts()
    await app.stop()


@pytest.mark.parametrize(
    "kept", ["not json", '{"v":1,"relay":"http://127.0.0.1:9999","config":{}}', 12345, ["a", "list"]]
)
async def test_an_unusable_copy_leaves_the_calm_retry_screen(
    first: AppHarness, fake_relay: FakeRelay, kept: object
) -> None:
    await first.stop()
    first.client.preferences[CACHE_PREFIX + "config"] = kept
    fake_relay.offline = True
    app = AppHarness.again(first)
    await app.start()
    assert app.app_shell.phase is Phase.UNREACHABLE
    assert app.has("connection-retry") and BANNER not in app.texts()
    await app.stop()
