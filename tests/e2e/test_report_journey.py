"""Issue 7's acceptance journeys in headless Chromium, against the real relay, simulator, mail sink,
geocoder stub and tile server: a citizen writes a report with two photos (one carrying a GPS
position, which the app offers) and a PDF, sets the location by emulated GPS, by tapping the map
and by address search, and sends it; then exactly one ticket (the citizen as customer, three
attachments) and one confirmation mail (three attachments) exist. The second journey sends with
the relay down: the report waits on the device (in the browser's own storage) and goes out once the
relay is back, exactly once.
Screenshots of each step land in `test-artifacts/e2e/<test>/`.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.conftest import AppPage, RunningApp
from tests.e2e.stack import PASSWORD, ReportStack, verified_citizen
from tests.support import images

pytestmark = pytest.mark.e2e

EMAIL = "an.devos@example.be"
# Kerkstraat in Zonnebeke (the geocoder stub knows it): where the emulated GPS puts the phone.
PHONE_AT = (50.8722, 2.9868)
DESCRIPTION = "Diepe put in het voetpad naast de kerk; er is al iemand over gestruikeld."
REFERENCE = re.compile(r"CNA-\d{4}-\d{6}")


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """A phone photo with EXIF GPS (12 MP would be slow to type in a test; 3000×2000 is plenty),
    a screenshot-like PNG without a position, and a one-page PDF."""
    made = {
        "gps": ("voetpad.jpg", images.jpeg(3000, 2000, orientation=6)),
        "plain": ("overzicht.png", images.png(1600, 900)),
        "pdf": ("plan.pdf", images.pdf()),
    }
    paths = {}
    for key, (name, data) in made.items():
        path = tmp_path / name
        path.write_bytes(data)
        paths[key] = path
    return paths


def log_in(tab: AppPage) -> None:
    tab.click("Maak een melding")
    tab.fill("E-mailadres", EMAIL)
    tab.click("Doorgaan")
    tab.fill("Wachtwoord", PASSWORD)
    tab.click("Doorgaan")
    tab.text("Melding maken")


def choose_files(tab: AppPage, *paths: Path) -> None:
    with tab.page.expect_file_chooser() as chooser:
        tab.click("Bestanden selecteren")
    chooser.value.set_files([str(path) for path in paths])


def tap_map(tab: AppPage, dx: float = 0.0, dy: float = 0.0) -> None:
    """A real pointer tap on the map canvas (the map node has no semantic children, so the tap
    keeps its position); the page scrolls the map into view first."""
    node = tab.page.locator("[flt-semantics-identifier=report-map]")
    node.scroll_into_view_if_needed()
    tab.page.wait_for_timeout(500)  # the canvas paints after the scroll
    box = node.bounding_box()
    assert box is not None
    tab.page.mouse.click(box["x"] + box["width"] / 2 + dx, box["y"] + box["height"] / 2 + dy)


def write_report(tab: AppPage, files: dict[str, Path]) -> None:
    """Description, two photos (the GPS one is offered as location), a PDF, and the location set
    three ways: emulated GPS, a tap on the map, and an address search (which wins)."""
    tab.fill("Beschrijving", DESCRIPTION)
    tab.shot("description")

    choose_files(tab, files["gps"], files["plain"])
    tab.text(re.compile("Locatie uit de foto gebruiken"))
    tab.text("overzicht.jpg")
    tab.shot("photos-with-location-offer")
    tab.click("Ja, gebruik deze locatie")
    tab.text(re.compile(r"^Locatie uit de foto: "))
    choose_files(tab, files["pdf"])
    tab.text("plan.pdf")
    tab.shot("three-attachments")

    tab.click("Gebruik mijn locatie")
    tab.text(re.compile(r"Je huidige locatie \(tot op 12 m\): Kerkstraat, 8980 Zonnebeke"))
    tab.shot("location-by-gps")

    tap_map(tab, dx=30, dy=-20)
    tab.text(re.compile(r"^Speld op de kaart: "))
    tab.shot("location-by-map")

    tab.fill("Adres zoeken", "Ieperstraat 12")
    tab.click("Zoeken")
    tab.click("Ieperstraat 12, 8980 Zonnebeke")
    tab.text(re.compile(r"^Gekozen adres: Ieperstraat 12, 8980 Zonnebeke"))
    tab.shot("location-by-address")


def stored_in_browser(tab: AppPage) -> dict[str, list[str]]:
    """The report drafts and attachment pieces in the page's local storage (Flutter's shared
    preferences prefix their keys with `flutter.`)."""
    keys: list[str] = tab.page.evaluate("Object.keys(window.localStorage)")
    return {
        prefix: [k for k in keys if k.startswith("flutter." + prefix)]
        for prefix in ("cna.draft.", "cna.blob.")
    }


def assert_delivered_once(stack: ReportStack) -> None:
    [ticket] = stack.wait_for_tickets(1)
    assert stack.sim.users[ticket.user_id].email == EMAIL
    assert len(ticket.attachments) == 3
    [mail] = stack.wait_for_mails(EMAIL, 1)
    assert len(list(mail.iter_attachments())) == 3
    time.sleep(1.0)  # nothing else trickles in afterwards
    assert len(stack.sim.tickets) == 1
    assert len(stack.mails_to(EMAIL)) == 1


def test_report_with_photos_pdf_and_three_ways_to_a_location(
    report_stack: ReportStack,
    files: dict[str, Path],
    start_app: Callable[..., RunningApp],
    open_app: Callable[..., AppPage],
) -> None:
    verified_citizen(report_stack, EMAIL)
    tab = open_app(start_app(report_stack.url), geolocation=PHONE_AT)
    log_in(tab)
    tab.shot("empty-form")
    write_report(tab, files)

    tab.click("Melding verzenden")
    tab.text("Melding verzonden")
    reference = REFERENCE.search(tab.visible_text())
    assert reference is not None, tab.visible_text()
    tab.text(re.compile("Je krijgt zo een e-mail"))
    tab.shot("confirmation")

    assert_delivered_once(report_stack)
    tab.click("Naar mijn meldingen")
    # The card reads as one item: reference, date, address, delivery state.
    card = tab.said(re.compile(rf"{reference.group(0)}\s.*Ieperstraat 12, 8980 Zonnebeke", re.S))
    assert "Doorgestuurd naar de gemeente" in card, card
    tab.shot("my-reports")


def test_report_sent_while_the_relay_is_down_waits_and_goes_out_once(
    report_stack: ReportStack,
    files: dict[str, Path],
    start_app: Callable[..., RunningApp],
    open_app: Callable[..., AppPage],
) -> None:
    verified_citizen(report_stack, EMAIL)
    tab = open_app(start_app(report_stack.url, outbox_retry_s="1,2,3"), geolocation=PHONE_AT)
    log_in(tab)
    write_report(tab, files)

    report_stack.stop_relay()
    tab.click("Melding verzenden")
    tab.text("Nog niet verzonden")
    tab.shot("kept-on-the-device")
    tab.click("Naar mijn meldingen")
    tab.said(DESCRIPTION[:40])
    tab.text("Wacht op verzending")
    tab.shot("waiting-to-be-sent")
    assert report_stack.sim.tickets == {}

    # Kept on the device: in the browser's own storage, the text apart from the photos.
    kept = stored_in_browser(tab)
    assert len(kept["cna.draft."]) == 1 and len(kept["cna.blob."]) == 3

    report_stack.start_relay()
    tab.text(re.compile(r"Je melding CNA-\d{4}-\d{6} is verzonden"))
    tab.said(re.compile(r"CNA-\d{4}-\d{6}\s.*Ieperstraat 12, 8980 Zonnebeke", re.S))  # listed as sent
    tab.shot("sent-after-the-relay-came-back")
    assert_delivered_once(report_stack)
    assert stored_in_browser(tab) == {"cna.draft.": [], "cna.blob.": []}  # nothing left behind
