"""Whatever InvGate or the mail server do, every report is delivered exactly once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from invgate_sim import SimConfig
from invgate_sim.mailsink import MailSink
from tests.relay.accounts.helpers import mails_to
from tests.relay.reports.helpers import citizen, report_json, submit
from tests.support import images
from tests.support.clock import FakeClock
from tests.support.databases import sqlite_url
from tests.support.relay_fixtures import RelayHarness, running_relay

EMAIL = "an.devos@example.be"
# Faults need room for many attempts; back-off stays tiny so the tests run fast.
PATIENT = {
    "outbox_max_attempts": 100,
    "outbox_backoff_base_s": 0.05,
    "outbox_backoff_cap_s": 0.2,
    "invgate_ticket_rate_per_minute": 60_000.0,
}


@pytest.fixture
async def relay(
    sim_app: FastAPI, sim_config: SimConfig, mail_sink: MailSink, tmp_path: Path
) -> AsyncIterator[RelayHarness]:
    async with running_relay(
        sim_app=sim_app,
        sim_config=sim_config,
        mail_sink=mail_sink,
        database_url=sqlite_url(tmp_path),
        **PATIENT,
    ) as harness:
        yield harness


async def submit_reports(relay: RelayHarness, pair: dict[str, Any], count: int) -> list[str]:
    references = []
    for number in range(count):
        body = report_json(description=f"Omgewaaide boom op het fietspad, melding {number}")
        response = await submit(relay, pair, body, [("boom.jpg", images.jpeg(120, 90), "image/jpeg")])
        assert response.status_code == 202, response.text
        references.append(response.json()["reference"])
    return references


def assert_each_delivered_once(relay: RelayHarness, references: list[str]) -> None:
    titles = [ticket.title for ticket in relay.sim.tickets.values()]
    for reference in references:
        assert sum(reference in title for title in titles) == 1, (reference, titles)
    assert len(titles) == len(references)
    confirmations = [m for m in mails_to(relay, EMAIL) if "CNA-" in str(m["Subject"])]
    assert sorted(str(m["Subject"]).split()[2] for m in confirmations) == sorted(references)


async def test_invgate_down_for_a_while(relay: RelayHarness) -> None:
    pair = await citizen(relay, EMAIL)
    relay.sim.faults.outage(3600)
    references = await submit_reports(relay, pair, 3)
    await relay.drain(rounds=3)
    assert relay.sim.tickets == {}
    [entry] = await relay.context.outbox.entries(kind="create_ticket", limit=1)
    assert entry.state == "pending" and "503" in (entry.last_error or "")
    relay.sim.faults.clear()
    await relay.settle()
    assert_each_delivered_once(relay, references)


async def test_thirty_percent_random_server_errors(relay: RelayHarness) -> None:
    pair = await citizen(relay, EMAIL)
    relay.sim.faults.fail_randomly(0.3, status=500, seed=2026)
    references = await submit_reports(relay, pair, 8)
    await relay.settle(within_s=60)

    relay.sim.faults.clear()
    assert_each_delivered_once(relay, references)
    failed = [entry for entry in relay.sim.request_log if entry.status == 500]
    assert failed, "the fault should have hit some calls"


async def test_commit_then_drop_reply_does_not_duplicate(relay: RelayHarness) -> None:
    pair = await citizen(relay, EMAIL)
    relay.sim.faults.drop_reply_after_commit(2, endpoint="incident", method="POST")
    relay.sim.faults.drop_reply_after_commit(1, endpoint="incident.reassign", method="POST")
    references = await submit_reports(relay, pair, 3)
    await relay.settle()
    assert_each_delivered_once(relay, references)
    assert len(relay.sim.requests_to("incidents.by.customer")) >= 2  # the relay looked before re-creating


async def test_smtp_down_delays_the_mail_but_never_loses_it(relay: RelayHarness) -> None:
    pair = await citizen(relay, EMAIL)
    relay.mail.stop_smtp()
    references = await submit_reports(relay, pair, 2)
    await relay.drain(rounds=1)
    assert len(relay.sim.tickets) == 2  # InvGate does not wait for the mail server
    pending = await relay.context.outbox.entries(kind="send_confirmation", states=["pending"])
    assert len(pending) == 2
    relay.mail.start_smtp()
    await relay.settle()
    assert_each_delivered_once(relay, references)


async def test_a_permanent_refusal_marks_the_report_failed_for_operators(relay: RelayHarness) -> None:
    pair = await citizen(relay, EMAIL)
    relay.sim.faults.fail_next(1, status=428, endpoint="incident", method="POST")
    [reference] = await submit_reports(relay, pair, 1)
    await relay.settle()
    dead = await relay.context.outbox.entries(states=["dead"])
    assert [entry.kind for entry in dead] == ["create_ticket"]
    listing = await relay.client.get(
        "/v1/reports", headers={"Authorization": f"Bearer {pair['access_token']}"}
    )
    assert listing.json()["items"][0]["delivery"] == "failed"
    # An operator's retry (python -m cna_relay outbox retry) delivers it once the cause is gone.
    assert await relay.context.outbox.retry() == 1
    await relay.settle()
    assert_each_delivered_once(relay, [reference])


async def test_rate_limit_is_honoured_without_hammering(
    sim_config: SimConfig, mail_sink: MailSink, tmp_path: Path
) -> None:
    from invgate_sim import create_app

    clock = FakeClock()
    sim_app = create_app(
        sim_config.with_changes(rate_limits={"POST incident": 2}, clock=lambda: clock.now().timestamp())
    )
    async with running_relay(
        sim_app=sim_app,
        sim_config=sim_config,
        mail_sink=mail_sink,
        database_url=sqlite_url(tmp_path),
        clock=clock,
        **PATIENT,
    ) as relay:
        pair = await citizen(relay, EMAIL)
        references = await submit_reports(relay, pair, 5)
        await relay.drain()
        assert len(relay.sim.tickets) == 2
        limited = [entry for entry in relay.sim.requests_to("incident", "POST") if entry.status == 429]
        assert len(limited) == 1  # one 429, then every worker waits for Retry-After
        pending = await relay.context.outbox.entries(kind="create_ticket", states=["pending"])
        assert all((entry.next_attempt_at - clock.now()).total_seconds() >= 50 for entry in pending)
        for _ in range(3):
            clock.advance(61)
            await relay.drain()
        assert_each_delivered_once(relay, references)
