"""The municipality's side of a report journey, all real and all local: the relay on a socket
(restartable on the same port, same database), the InvGate simulator in-process, the mail sink,
the geocoder stub (Nominatim) and the map-tile server.

`report_stack` (fixture in `tests/e2e/conftest.py`) builds one per test; `verified_citizen`
signs a citizen up through the relay's API with the code from the mailed message, so journeys
start at the log-in screen instead of spending a minute on sign-up (issue 6's journey covers it).
"""

from __future__ import annotations

import contextlib
import re
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import httpx

from tests.support.geocoder_stub import GeocoderStub
from tests.support.servers import free_port, serve_in_thread

PASSWORD = "Zonnebloem-Park-2026!"


@dataclass
class ReportStack:
    sim_app: Any
    sim_config: Any
    mail: Any
    geocoder: GeocoderStub
    tiles_url: str
    database_url: str
    port: int = field(default_factory=free_port)
    _running: contextlib.ExitStack | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def sim(self) -> Any:
        return self.sim_app.state.sim

    def start_relay(self) -> None:
        from cna_relay.app import create_app
        from tests.support.relay_fixtures import relay_settings

        settings = relay_settings(
            database_url=self.database_url,
            sim_config=self.sim_config,
            mail_sink=self.mail,
            tile_url=f"{self.tiles_url}/{{z}}/{{x}}/{{y}}.png",
            tile_attribution="Kaart: testtegels",
            geocoder_domain=self.geocoder.domain,
            geocoder_scheme="http",
            geocoder_user_agent="cna-e2e/1.0 (+mailto:tests@gemeente.example)",
            geocoder_min_interval_s=0.05,
            geocoder_timeout_s=2.0,
        )
        app = create_app(settings, invgate_transport=httpx.ASGITransport(app=self.sim_app), run_worker=True)
        stack = contextlib.ExitStack()
        stack.enter_context(serve_in_thread(app, port=self.port, probe_path="/healthz"))
        self._running = stack

    def stop_relay(self) -> None:
        if self._running is not None:
            self._running.close()
            self._running = None

    def mails_to(self, address: str) -> list[EmailMessage]:
        wanted = address.lower()
        return [m for m in self.mail.messages() if wanted in str(m.get("To", "")).lower()]

    def wait_for_mails(self, address: str, count: int, *, timeout_s: float = 30) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            found = self.mails_to(address)
            if len(found) >= count:
                return found
            time.sleep(0.1)
        raise AssertionError(f"{len(self.mails_to(address))} mails to {address}, expected {count}")

    def wait_for_tickets(self, count: int, *, timeout_s: float = 30) -> list[Any]:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            tickets = list(self.sim.tickets.values())
            if len(tickets) >= count:
                return tickets
            time.sleep(0.1)
        raise AssertionError(f"{len(self.sim.tickets)} tickets, expected {count}")


def verified_citizen(
    stack: ReportStack, email: str, *, first_name: str = "An", last_name: str = "Devos"
) -> None:
    """An account with a confirmed e-mail address, made through the relay's public API."""
    body = {"email": email, "password": PASSWORD, "first_name": first_name, "last_name": last_name}
    response = httpx.post(f"{stack.url}/v1/accounts", json=body, timeout=10)
    assert response.status_code == 202, response.text
    [mail] = stack.wait_for_mails(email, 1)
    part = mail.get_body(preferencelist=("plain", "html"))
    assert part is not None
    code = re.search(r"(?<!\d)(\d{6})(?!\d)", part.get_content())
    assert code is not None, part.get_content()
    verify = httpx.post(
        f"{stack.url}/v1/accounts/verify", json={"email": email, "code": code.group(1)}, timeout=10
    )
    assert verify.status_code == 200, verify.text
    stack.mail.clear()
