"""The app in a real browser when nothing answers at the relay URL, and when the relay comes back."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest

from tests.e2e.conftest import AppPage, RunningApp, config_only_relay
from tests.support.servers import free_port, serve_in_thread

pytestmark = pytest.mark.e2e


@pytest.fixture
def silent_port() -> Iterator[int]:
    yield free_port()


def test_no_relay_shows_the_calm_retry_state_and_recovers(
    start_app: Callable[[str], RunningApp], open_app: Callable[..., AppPage], silent_port: int
) -> None:
    app = start_app(f"http://127.0.0.1:{silent_port}")
    tab = open_app(app)

    tab.text("We kunnen de server niet bereiken")
    tab.text(re.compile(r"Volgende poging over \d+ s|We proberen opnieuw te verbinden"))
    retry = tab.button("Nu opnieuw proberen")
    tab.shot("unreachable")
    # Tap targets of at least 48 px, measured in the browser.
    heights = tab.button_heights()
    assert heights and min(heights.values()) >= 47.5, heights

    with serve_in_thread(config_only_relay(), port=silent_port):
        retry.click()
        tab.text("Een probleem in Gemeente Testdorp?")
        tab.button("Maak een melding")
        tab.shot("recovered-start")
        assert min(tab.button_heights().values()) >= 47.5
        tab.click("Maak een melding")
        tab.text("Nog geen account?")
        tab.button("Aanmaken")
        tab.shot("login-email")
