"""The relay process is killed (SIGKILL) while it sends reports to InvGate, then restarted:
every report still becomes exactly one ticket. A real subprocess, a real socket, a real SQLite file."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from invgate_sim.mailsink import MailSink
from tests.relay.reports.helpers import multipart, report_json
from tests.support import images
from tests.support.servers import free_port
from tests.support.sim_fixtures import SIM_API_KEY, SIM_API_USER, SimServer

ROOT = Path(__file__).resolve().parents[3]
EMAIL = "crash.test@example.be"
PASSWORD = "Zonnebloem-42!"
_CODE = re.compile(r"(?<!\d)(\d{6})(?!\d)")

pytestmark = pytest.mark.slow


class RelayProcess:
    def __init__(self, env: dict[str, str], port: int, log: Path) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self._argv = [sys.executable, "-m", "cna_relay", "serve", "--port", str(port)]
        self._env = env
        self._log = log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self._log.open("ab") as log:
            self.process = subprocess.Popen(
                self._argv, cwd=ROOT, env=self._env, stdout=log, stderr=subprocess.STDOUT
            )
        wait_until(lambda: _answers(f"{self.url}/healthz"), 30, f"relay did not start; see {self._log}")

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def wait_until(condition: Callable[[], bool], timeout: float, message: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(message)
        time.sleep(0.1)


@pytest.fixture
def relay_process(sim_server: SimServer, mail_sink: MailSink, tmp_path: Path) -> Iterator[RelayProcess]:
    env = {
        **{key: value for key, value in os.environ.items() if not key.startswith("CNA_")},
        "CNA_RELAY_ENVIRONMENT": "test",
        "CNA_RELAY_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'relay.db'}",
        "CNA_RELAY_INVGATE_URL": sim_server.api_url,
        "CNA_RELAY_INVGATE_API_USER": SIM_API_USER,
        "CNA_RELAY_INVGATE_API_KEY": SIM_API_KEY,
        "CNA_RELAY_SMTP_PORT": str(mail_sink.smtp_port),
        "CNA_RELAY_OUTBOX_LEASE_S": "3",
        "CNA_RELAY_WORKER_POLL_INTERVAL_S": "0.1",
        "CNA_RELAY_OUTBOX_BACKOFF_BASE_S": "0.2",
        "CNA_RELAY_OUTBOX_BACKOFF_CAP_S": "1",
        "CNA_RELAY_WORKER_CONCURRENCY": "2",
        "CNA_RELAY_INVGATE_TICKET_RATE_PER_MINUTE": "6000",
        "CNA_RELAY_ARGON2_TIME_COST": "1",
        "CNA_RELAY_ARGON2_MEMORY_KIB": "8192",
    }
    relay = RelayProcess(env, free_port(), tmp_path / "relay.log")
    relay.start()
    try:
        yield relay
    finally:
        relay.stop()


def sign_up_and_verify(relay: RelayProcess, mail: MailSink) -> dict[str, Any]:
    body = {"email": EMAIL, "password": PASSWORD, "first_name": "Crash", "last_name": "Test"}
    assert httpx.post(f"{relay.url}/v1/accounts", json=body, timeout=10).status_code == 202
    [message] = mail.wait_for(lambda m: EMAIL in str(m["To"]), timeout=20)
    text = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    code = _CODE.search(text)
    assert code is not None
    verified = httpx.post(
        f"{relay.url}/v1/accounts/verify", json={"email": EMAIL, "code": code.group(1)}, timeout=10
    )
    assert verified.status_code == 200, verified.text
    pair: dict[str, Any] = verified.json()
    return pair


def test_killed_while_sending_then_restarted_delivers_each_report_once(
    relay_process: RelayProcess, sim_server: SimServer, mail_sink: MailSink
) -> None:
    pair = sign_up_and_verify(relay_process, mail_sink)
    headers = {"Authorization": f"Bearer {pair['access_token']}"}
    # Slow InvGate down so the kill lands while tickets are being created.
    sim_server.sim.faults.add_latency(1.0, endpoint="incident")
    references = []
    for number in range(6):
        files = multipart(
            report_json(description=f"Lek in de riolering, melding {number}"),
            [("lek.jpg", images.jpeg(160, 120), "image/jpeg")],
        )
        response = httpx.post(f"{relay_process.url}/v1/reports", files=files, headers=headers, timeout=30)
        assert response.status_code == 202, response.text
        references.append(response.json()["reference"])

    wait_until(
        lambda: len(sim_server.sim.requests_to("incident", "POST")) >= 2, 30, "no ticket creation started"
    )
    relay_process.kill()
    created_before_restart = len(sim_server.sim.tickets)
    assert created_before_restart < len(references), "the kill came too late to prove anything"

    relay_process.start()

    def all_forwarded() -> bool:
        listing = httpx.get(f"{relay_process.url}/v1/reports?limit=50", headers=headers, timeout=10).json()
        return (
            all(item["delivery"] == "forwarded" for item in listing["items"]) and len(listing["items"]) == 6
        )

    wait_until(all_forwarded, 90, "not every report was forwarded after the restart")
    titles = [ticket.title for ticket in sim_server.sim.tickets.values()]
    assert len(titles) == len(references)
    for reference in references:
        assert sum(reference in title for title in titles) == 1, (reference, titles)
    # SMTP is at-least-once: a resend after a crash reuses the Message-ID, so clients show one mail.
    wait_until(lambda: len(_confirmations(mail_sink)) >= len(references), 30, "confirmations missing")
    by_reference: dict[str, set[str]] = {}
    for message in _confirmations(mail_sink):
        reference = str(message["Subject"]).split()[2]
        by_reference.setdefault(reference, set()).add(str(message["Message-ID"]))
    assert sorted(by_reference) == sorted(references)
    assert all(len(ids) == 1 for ids in by_reference.values())


def _confirmations(mail: MailSink) -> list[Any]:
    return [m for m in mail.messages() if "CNA-" in str(m["Subject"])]
