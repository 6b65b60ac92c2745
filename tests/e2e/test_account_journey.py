"""Issue 6's acceptance journey in headless Chromium, against the real relay, simulator and mail sink:
sign up (seeing the live password checklist react) with the code read from the e-mail, log out,
log in, switch language. Screenshots of every screen land in `test-artifacts/e2e/<test>/`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
import pytest

from cna_relay.app import create_app
from tests.e2e.conftest import AppPage, RunningApp
from tests.support.databases import sqlite_url
from tests.support.relay_fixtures import relay_settings
from tests.support.servers import serve_in_thread

pytestmark = pytest.mark.e2e

EMAIL = "jan.peeters@example.be"
PASSWORD = "Zonnebloem-Park-2026!"


@pytest.fixture
def live_relay(sim_app: Any, sim_config: Any, mail_sink: Any, tmp_path: Path) -> Iterator[str]:
    """The relay on a real socket (the app runs in another process), wired to the in-process
    simulator and the mail sink; yields its base URL."""
    settings = relay_settings(database_url=sqlite_url(tmp_path), sim_config=sim_config, mail_sink=mail_sink)
    # The outbox worker runs in the relay: it sends the verification mail while the test waits.
    app = create_app(settings, invgate_transport=httpx.ASGITransport(app=sim_app), run_worker=True)
    with serve_in_thread(app, probe_path="/healthz") as url:
        yield url


def code_from_mail(mail_sink: Any, to: str) -> str:
    """The 6-digit code of the latest mail to `to`."""

    def addressed(message: EmailMessage) -> bool:
        return to in str(message.get("To", ""))

    message = mail_sink.wait_for(addressed, timeout=20)[-1]
    body = message.get_body(preferencelist=("plain", "html"))
    assert body is not None, message
    match = re.search(r"(?<!\d)(\d{6})(?!\d)", body.get_content())
    assert match, body.get_content()
    return match.group(1)


def test_sign_up_log_out_log_in_and_switch_language(
    live_relay: str,
    mail_sink: Any,
    start_app: Callable[[str], RunningApp],
    open_app: Callable[..., AppPage],
) -> None:
    tab = open_app(start_app(live_relay))

    # Start: "Maak een melding" → log-in / sign-up choice → "Aanmaken".
    tab.text(re.compile(r"Een probleem in .+\?"))
    tab.shot("start")
    tab.click("Maak een melding")
    tab.text("Nog geen account?")
    tab.shot("login-email")
    tab.click("Aanmaken")

    # Sign-up, step 1: the e-mail address.
    tab.text("Stap 1 van 4")
    tab.fill("E-mailadres", EMAIL)
    tab.shot("signup-email")
    tab.click("Doorgaan")

    # Step 2: the live checklist names what is missing, then turns green.
    tab.text("Stap 2 van 4")
    tab.fill("Wachtwoord", "abc")
    tab.text(re.compile("een cijfer bevatten"))
    assert "Ontbreekt nog: een cijfer bevatten" in tab.labels()
    assert "In orde: een kleine letter bevatten" in tab.labels()
    tab.shot("signup-password-weak")
    tab.fill("Wachtwoord", PASSWORD)
    tab.wait_for_label("In orde: een cijfer bevatten")
    assert not [label for label in tab.labels() if label.startswith("Ontbreekt nog")]
    tab.shot("signup-password-strong")
    tab.click("Doorgaan")

    # Step 3: only first and last name are required.
    tab.text("Stap 3 van 4")
    tab.fill("Voornaam", "Jan")
    tab.fill("Achternaam", "Peeters")
    tab.shot("signup-profile")
    tab.click("Account aanmaken")

    # Step 4: the code from the e-mail.
    tab.text("Stap 4 van 4")
    tab.text(re.compile("Een nieuwe code kan over"))
    tab.fill("Code uit de e-mail", code_from_mail(mail_sink, EMAIL))
    tab.shot("signup-code")
    tab.click("Bevestigen")
    tab.text("Melding maken")
    tab.shot("signed-up-report-placeholder")

    # Log out from the profile.
    tab.click("Mijn profiel")
    tab.text(EMAIL)
    tab.shot("profile")
    tab.click("Afmelden")
    tab.text("Je bent afgemeld.")
    tab.shot("logged-out")

    # Log in again: e-mail → "Doorgaan" → password → "Doorgaan".
    tab.click("Maak een melding")
    tab.fill("E-mailadres", EMAIL)
    tab.click("Doorgaan")
    tab.text(f"Aanmelden als {EMAIL}")
    tab.fill("Wachtwoord", PASSWORD)
    tab.shot("login-password")
    tab.click("Doorgaan")
    tab.text("Melding maken")
    tab.shot("logged-in")

    # Switch language.
    tab.pick("Taal: Nederlands", "Français")
    tab.text("Faire un signalement")
    tab.shot("french")
    tab.click("Mon profil")
    tab.text("Se déconnecter")
    tab.shot("french-profile")
