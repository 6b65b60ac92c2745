"""A cold start without a connection, in headless Chromium against the real relay, simulator, mail
sink, geocoder stub and tile server.

A citizen signs in once with the relay up and closes the app. The relay goes away, and so does
every map tile (the browser's requests for them fail). The app, started again in the same browser
(same local storage), opens from the configuration and account it kept: the offline banner, the
municipality's name, the report form. The citizen writes a report with a photo and a pin on the
map (the outline of the municipality is there without tiles; the address waits for a
connection), sends it, and it waits on the device. When the relay is back the app leaves offline
mode by itself and the report is delivered exactly once: one ticket, one confirmation mail.
Screenshots of each step land in `test-artifacts/e2e/<test>/`.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from cna_app.views.report_map import MAP_HEIGHT
from tests.e2e.conftest import AppPage, RunningApp
from tests.e2e.stack import ReportStack, verified_citizen
from tests.e2e.test_report_journey import EMAIL, choose_files, log_in, stored_in_browser
from tests.support import images

pytestmark = pytest.mark.e2e

DESCRIPTION = "Losliggende stoeptegels voor de bakkerij; een fietser viel er bijna over."
BANNER = "Geen verbinding — je melding wordt verzonden zodra er weer verbinding is"
RETRY_S = "1,2,3"  # the outbox's back-off, short so the journey stays quick


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    path = tmp_path / "stoep.jpg"
    path.write_bytes(images.jpeg(2000, 1500, gps=False))
    return path


def sign_in_once(stack: ReportStack, start_app: Callable[..., RunningApp], open_app: Callable[..., AppPage]):
    """The relay is up: the app gets its configuration, the citizen logs in; then the app closes."""
    first = start_app(stack.url, outbox_retry_s=RETRY_S)
    tab = open_app(first)
    log_in(tab)
    assert not tab.has_text(BANNER)
    tab.shot("signed-in-with-the-relay-up")
    tab.page.close()
    first.stop()
    return first, tab


PIN_OFFLINE = re.compile(
    r"^Speld op de kaart: het adres volgt zodra er weer verbinding is \(50\.\d+, \d\.\d+\)"
)


def place_pin(tab: AppPage) -> None:
    """A real pointer tap in the middle of the map, after scrolling the form with the mouse wheel
    (in the page margin, where the wheel scrolls the form instead of zooming the map) until the
    whole map is on screen."""
    page = tab.page
    node = page.locator("[flt-semantics-identifier=report-map]")
    viewport = page.viewport_size
    assert viewport is not None
    page.mouse.move(4, viewport["height"] / 2)
    for _ in range(12):
        box = node.bounding_box()
        # The node is clipped to the viewport: only a full-height box is the whole map.
        whole = box is not None and box["height"] >= MAP_HEIGHT - 1
        if whole and box["y"] >= 60 and box["y"] + box["height"] <= viewport["height"]:
            break
        page.mouse.wheel(0, 250)
        page.wait_for_timeout(250)
    page.wait_for_timeout(500)  # the canvas paints after the scroll
    box = node.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tab.text(PIN_OFFLINE)
    tab.shot("pin-and-outline-without-tiles")


def write_offline_report(tab: AppPage, photo: Path) -> None:
    tab.fill("Beschrijving", DESCRIPTION)
    choose_files(tab, photo)
    tab.text("stoep.jpg")
    tab.text(re.compile("Adres zoeken kan pas als er weer verbinding is"))
    place_pin(tab)


def test_a_cold_start_without_a_connection_lets_the_citizen_report_and_delivers_it_once(
    report_stack: ReportStack,
    photo: Path,
    start_app: Callable[..., RunningApp],
    open_app: Callable[..., AppPage],
) -> None:
    verified_citizen(report_stack, EMAIL)
    first, earlier = sign_in_once(report_stack, start_app, open_app)

    report_stack.stop_relay()
    # No network for the map either: every tile request fails.
    earlier.page.context.route(re.compile(re.escape(report_stack.tiles_url) + ".*"), lambda r: r.abort())
    tab = open_app(start_app(report_stack.url, outbox_retry_s=RETRY_S, port=first.port), like=earlier)
    tab.text(BANNER)
    tab.text("Een probleem in Gemeente Zonnebeke?")
    assert not tab.has_text("We kunnen de server niet bereiken")
    tab.shot("offline-start")

    tab.click("Maak een melding")
    tab.text("Melding maken")
    write_offline_report(tab, photo)
    tab.click("Melding verzenden")
    tab.text("Nog niet verzonden")
    tab.shot("kept-on-the-device")
    tab.click("Naar mijn meldingen")
    tab.text("Wacht op verzending")
    tab.text("Je verzonden meldingen verschijnen hier zodra er weer verbinding is.")
    tab.shot("waiting-offline")
    kept = stored_in_browser(tab)
    assert len(kept["cna.draft."]) == 1 and len(kept["cna.blob."]) == 1
    assert report_stack.sim.tickets == {}

    report_stack.start_relay()
    tab.text(re.compile(r"Je melding CNA-\d{4}-\d{6} is verzonden"))
    tab.said(re.compile(r"CNA-\d{4}-\d{6}\s.*50\.\d+, \d\.\d+", re.S))  # listed as sent, by the relay
    assert not tab.has_text(BANNER)
    tab.shot("back-online-delivered")

    [ticket] = report_stack.wait_for_tickets(1)
    assert report_stack.sim.users[ticket.user_id].email == EMAIL
    assert len(ticket.attachments) == 1
    report_stack.wait_for_mails(EMAIL, 1)
    time.sleep(1.0)  # nothing else trickles in afterwards
    assert len(report_stack.sim.tickets) == 1
    assert len(report_stack.mails_to(EMAIL)) == 1
    assert stored_in_browser(tab) == {"cna.draft.": [], "cna.blob.": []}
