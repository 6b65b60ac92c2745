"""Control-tree tests of the report form and "Mijn meldingen": the real views and `create_main` on
a headless page, with the real Flet adapters (draft storage in shared preferences, geolocator,
file picker) answering through the fake client, and the fake relay behind them."""

from __future__ import annotations

import flet as ft
import flet_map as fm

from cna_app.services.geo import GeoPoint
from cna_app.viewmodels.navigation import Route
from tests.app.fakes import GOOD_PASSWORD, INSIDE, OUTSIDE, FakeRelay
from tests.app.harness import AppHarness, walk
from tests.support import images

EMAIL = "an.devos@example.be"
KERKSTRAAT = "Kerkstraat, 8980 Zonnebeke"


async def open_form(app: AppHarness, fake_relay: FakeRelay) -> None:
    fake_relay.add_account(EMAIL)
    await app.click("start-report")
    await app.type("login-email", EMAIL)
    await app.click("login-email-continue")
    await app.type("login-password", GOOD_PASSWORD)
    await app.click("login-password-continue")
    assert app.page.route == Route.REPORT


async def wait_out(app: AppHarness, seconds: float = 2) -> None:
    """Let debounced work (address lookups, saves) run out."""
    await app.settle()
    await app.clock.advance(seconds)
    await app.settle()


def status(app: AppHarness) -> str:
    return str(app.find("report-location-status").value)


def pin(app: AppHarness) -> GeoPoint | None:
    layer = next(c for c in app.controls() if isinstance(c, fm.MarkerLayer))
    if not layer.markers:
        return None
    coordinates = layer.markers[0].coordinates
    return GeoPoint(coordinates.latitude, coordinates.longitude)


async def ready_to_send(app: AppHarness) -> None:
    await app.type("report-description", "Losliggende stoeptegel voor de bakker.")
    await app.tap_map(*INSIDE)
    await wait_out(app)


async def test_the_form_follows_the_seeds_order_and_starts_disabled(
    app: AppHarness, fake_relay: FakeRelay
) -> None:
    await open_form(app, fake_relay)
    keys = [getattr(c, "key", None) for c in walk(app.top)]
    order = ["report-description", "report-pick", "report-gps", "report-address", "report-map", "report-send"]
    assert [keys.index(key) for key in order] == sorted(keys.index(key) for key in order)
    assert app.find("report-send").disabled
    assert "Nog nodig: een beschrijving, een locatie." in app.texts()
    assert app.find("report-pick").content == "Bestanden selecteren"
    assert isinstance(app.find("report-pick").action, ft.PickFiles)  # opens inside the tap (iOS web)


async def test_typing_counts_against_the_relays_limit(app: AppHarness, fake_relay: FakeRelay) -> None:
    await open_form(app, fake_relay)
    await app.type("report-description", "Kapotte lamp")
    assert app.find("report-description-count").value == "12 van 2000 tekens"
    assert app.find("report-description").max_length == 2000


async def test_a_picked_photo_shows_a_thumbnail_a_named_remove_button_and_the_location_offer(
    app: AppHarness, fake_relay: FakeRelay
) -> None:
    await open_form(app, fake_relay)
    await app.pick_files(("voetpad.jpg", images.jpeg(1200, 900)))
    tile = app.find("report-attachment-0")
    image = next(c for c in walk(tile) if isinstance(c, ft.Image))
    assert isinstance(image.src, bytes) and image.src[:3] == b"\xff\xd8\xff"
    assert "voetpad.jpg verwijderen" in app.texts()  # the icon button's screen-reader name
    assert any("Locatie uit de foto gebruiken?" in text for text in app.texts())

    await app.click("report-photo-location-use")
    assert status(app).startswith("Locatie uit de foto: adres wordt opgezocht…")
    assert not app.find("report-photo-offer").visible
    await app.click("report-attachment-remove-0")
    assert not app.has("report-attachment-0")


async def test_pasted_files_are_prepared_and_refused_ones_named(
    app: AppHarness, fake_relay: FakeRelay
) -> None:
    await open_form(app, fake_relay)
    await app.paste_files(
        "report-description",
        ("schermafdruk.png", "image/png", images.png(640, 400)),
        ("factuur.jpg", "image/jpeg", images.html_polyglot()),
    )
    assert app.has("report-attachment-0") and not app.has("report-attachment-1")
    assert "schermafdruk.jpg" in app.texts()
    expected = (
        "factuur.jpg: Dit bestandstype wordt niet ondersteund. "
        "Voeg een foto (JPEG, PNG, WebP, HEIC) of een PDF toe."
    )
    assert expected in app.texts()


async def test_more_files_than_allowed_are_refused_with_the_relays_wording(
    app: AppHarness, fake_relay: FakeRelay
) -> None:
    await open_form(app, fake_relay)
    photo = images.jpeg(320, 240, gps=False)
    await app.pick_files(*[(f"foto{i}.jpg", photo) for i in range(4)])
    assert [app.has(f"report-attachment-{i}") for i in range(4)] == [True, True, True, False]
    assert "Je kunt maximaal 3 bestanden toevoegen." in app.texts()
    assert app.find("report-pick").disabled


async def test_tapping_the_map_places_a_pin_that_is_named_and_readable_as_text(
    app: AppHarness, fake_relay: FakeRelay
) -> None:
    await open_form(app, fake_relay)
    await app.tap_map(50.8722, 2.9868)
    assert pin(app) == GeoPoint(50.8722, 2.9868)
    assert status(app) == "Speld op de kaart: adres wordt opgezocht… (50.87220, 2.98680)"
    await app.tap_map(50.8723, 2.9869)  # a second tap moves the same pin
    await wait_out(app)
    assert status(app) == f"Speld op de kaart: {KERKSTRAAT} (50.87230, 2.98690)"
    assert fake_relay.count("reverse") == 1  # the first spot was left before it was looked up
    semantics = next(
        c for c in app.controls() if isinstance(c, ft.Semantics) and c.identifier == "report-map"
    )
    assert semantics.exclude_semantics and semantics.label.startswith("Kaart van Gemeente Zonnebeke")


async def test_a_tap_outside_is_refused_naming_the_municipality(
    app: AppHarness, fake_relay: FakeRelay
) -> None:
    await open_form(app, fake_relay)
    await app.tap_map(*OUTSIDE)
    assert pin(app) is None
    expected = "Deze locatie ligt buiten Gemeente Zonnebeke. Kies een plaats binnen de gemeente."
    assert app.find("report-location-refusal").value == expected
    assert fake_relay.count("reverse") == 0


async def test_use_my_location_asks_the_geolocator_and_moves_the_map(
    app: AppHarness, fake_relay: FakeRelay
) -> None:
    await open_form(app, fake_relay)
    await app.click("report-gps")
    await wait_out(app)
    assert status(app) == f"Je huidige locatie (tot op 12 m): {KERKSTRAAT} (50.87220, 2.98680)"
    assert app.client.camera and app.client.camera[-1]["destination"].latitude == 50.8722
    assert "Geolocator.get_current_position" in app.client.methods


async def test_a_refused_location_permission_says_what_to_do_instead(
    app: AppHarness, fake_relay: FakeRelay
) -> None:
    await open_form(app, fake_relay)
    app.client.permission = "deniedForever"
    await app.click("report-gps")
    note = app.find("report-gps-note").value
    assert note.startswith("De app mag je locatie niet gebruiken.")
    assert "speld op de kaart" in note


async def test_the_address_search_offers_places_inside_and_moves_the_pin(
    app: AppHarness, fake_relay: FakeRelay
) -> None:
    await open_form(app, fake_relay)
    await app.type("report-address", "Kerkstraat")
    assert fake_relay.count("geocode") == 0  # never per keystroke
    await app.submit("report-address")
    assert app.find("report-result-0").content == KERKSTRAAT
    assert not app.has("report-result-1")  # Kerkstraat in Ieper is not ours
    await app.click("report-result-0")
    assert status(app) == f"Gekozen adres: {KERKSTRAAT} (50.87220, 2.98680)"
    assert pin(app) == GeoPoint(50.8722, 2.9868)
    assert fake_relay.count("reverse") == 0  # the search already named it


async def test_a_short_search_is_not_sent(app: AppHarness, fake_relay: FakeRelay) -> None:
    await open_form(app, fake_relay)
    await app.type("report-address", " k ")
    await app.click("report-search")
    assert app.find("report-search-note").value == "Typ minstens 3 tekens."
    assert fake_relay.count("geocode") == 0


async def test_sending_shows_the_reference_and_what_happens_next(
    app: AppHarness, fake_relay: FakeRelay
) -> None:
    await open_form(app, fake_relay)
    await ready_to_send(app)
    assert not app.find("report-send").disabled
    await app.click("report-send")
    dialog = app.find("report-outcome")
    assert dialog.open and dialog.modal
    text = app.text()
    assert "Melding verzonden" in text and "CNA-2026-000001" in text and "e-mail" in text
    await app.click("report-outcome-reports")
    assert app.page.route == Route.REPORTS
    assert app.find("reports-reference-0").value == "CNA-2026-000001"
    assert app.find("reports-state-0").value == "Doorgestuurd naar de gemeente (dossier #1001)"


async def test_without_a_connection_the_report_waits_in_browser_storage_and_goes_out_later(
    app: AppHarness, fake_relay: FakeRelay
) -> None:
    await open_form(app, fake_relay)
    await ready_to_send(app)
    fake_relay.offline = True
    await app.click("report-send")
    assert "Nog niet verzonden" in app.text()
    stored = [key for key in app.client.preferences if key.startswith("cna.draft.")]
    assert len(stored) == 1
    await app.click("report-outcome-reports")
    assert app.find("reports-pending-state-0").value == "Wacht op verzending"
    assert "Geen verbinding met de server. We proberen het vanzelf opnieuw." in app.texts()

    fake_relay.offline = False
    await wait_out(app, 10)
    assert not app.has("reports-pending-0")
    assert app.find("reports-reference-0").value == "CNA-2026-000001"  # the list caught up by itself
    assert [key for key in app.client.preferences if key.startswith(("cna.draft.", "cna.blob."))] == []
    assert len(fake_relay.reports) == 1
    flash = [d for d in app.page._dialogs.controls if isinstance(d, ft.SnackBar)]
    assert flash and "Je melding CNA-2026-000001 is verzonden" in str(flash[-1].content.value)


async def test_no_live_region_wraps_hidden_content(app: AppHarness, fake_relay: FakeRelay) -> None:
    """Flutter refuses a Semantics whose content is invisible ("Semantics.content must be provided
    and visible", drawn as a red box on the web): hiding must happen on the wrapper."""
    await open_form(app, fake_relay)
    await app.tap_map(*OUTSIDE)
    await app.click("report-gps")
    for route in (Route.REPORT, Route.REPORTS):
        await app.client.browse_to(route)
        await app.settle()
        broken = [
            c.key or c.identifier
            for c in app.controls()
            if isinstance(c, ft.Semantics)
            and c.visible
            and c.content is not None
            and c.content.visible is False
        ]
        assert broken == [], route
