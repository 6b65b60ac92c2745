"""Routes in a real browser: deep links, the browser's back button, the app bar's back arrow and
an unknown address."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.e2e.conftest import AppPage, RunningApp

pytestmark = pytest.mark.e2e


def test_deep_links_and_back_buttons(
    config_relay: str, start_app: Callable[[str], RunningApp], open_app: Callable[..., AppPage]
) -> None:
    app = start_app(config_relay)
    tab = open_app(app, path="registreren")
    tab.text("Stap 1 van 4")
    tab.fill("E-mailadres", "an@example.be")
    tab.click("Doorgaan")
    tab.text("Stap 2 van 4")
    assert tab.page.url.endswith("/registreren/wachtwoord")
    tab.shot("deep-link-step-2")

    tab.page.go_back()  # the browser's back button
    tab.text("Stap 1 van 4")
    assert tab.page.get_by_label("E-mailadres").first.input_value() == "an@example.be"

    tab.page.go_forward()
    tab.text("Stap 2 van 4")
    tab.click("Terug")  # the app bar's arrow (Flutter names it in the app's language)
    tab.text("Stap 1 van 4")

    deep = open_app(app, path="registreren/gegevens")  # a later step without its inputs
    deep.text("Stap 1 van 4")
    lost = open_app(app, path="bestaat/niet")
    lost.text("Deze pagina bestaat niet")
    lost.shot("not-found")
    lost.click("Naar de startpagina")
    lost.text("Een probleem in Gemeente Testdorp?")
