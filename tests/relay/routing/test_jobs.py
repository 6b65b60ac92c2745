"""The read-back as a periodic outbox job: one run per interval, paced, surviving InvGate errors."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from cna_relay.app import context_of, create_app
from cna_relay.outbox import OutboxEntry
from cna_relay.routing.jobs import READBACK_KIND, readback_slot, schedule_readback
from cna_relay.routing.readback import READ_GATE
from invgate_sim import SimConfig
from invgate_sim.mailsink import MailSink
from tests.relay.routing.conftest import routing_settings
from tests.relay.routing.helpers import LAMP, POTHOLE, forward_reports, stored, ticket_reads
from tests.support.clock import FakeClock
from tests.support.databases import postgres_database, sqlite_url
from tests.support.relay_fixtures import RelayHarness, relay_settings, running_relay

HOUR = 3600.0


async def readback_entries(relay: RelayHarness) -> list[OutboxEntry]:
    entries = await relay.context.outbox.entries(kind=READBACK_KIND, limit=100)
    return sorted(entries, key=lambda entry: entry.payload["slot"])


def states(entries: list[OutboxEntry]) -> list[str]:
    return [entry.state for entry in entries]


async def test_a_run_reads_back_and_schedules_the_next_slot(relay: RelayHarness, clock: FakeClock) -> None:
    [lamp] = await forward_reports(relay, [LAMP])
    assert await relay.context.schedule_periodic_jobs() is None
    await relay.drain()
    done, following = await readback_entries(relay)
    slot = readback_slot(clock.now(), HOUR)
    assert (done.payload["slot"], done.state) == (slot, "sent")
    assert done.result == {"tickets_read": 1, "corrections": 1, "moved": 0, "unnamed": 0, "settled": 0}
    assert (following.payload["slot"], following.state) == (slot + 1, "pending")
    assert following.next_attempt_at.timestamp() == (slot + 1) * HOUR
    assert lamp in await stored(relay)
    # Starting again within the slot (a restart, a second process) schedules nothing new.
    await relay.context.schedule_periodic_jobs()
    assert len(await readback_entries(relay)) == 2


@pytest.mark.postgres
async def test_two_relays_on_one_postgresql_database_run_once_per_interval(
    sim_app: FastAPI, sim_config: SimConfig, mail_sink: MailSink, tmp_path: Path, clock: FakeClock
) -> None:
    with postgres_database() as url:
        options: dict[str, Any] = routing_settings(tmp_path / "models")
        kwargs: dict[str, Any] = {"sim_app": sim_app, "sim_config": sim_config, "mail_sink": mail_sink}
        async with (
            running_relay(database_url=url, clock=clock, **kwargs, **options) as one,
            running_relay(database_url=url, clock=clock, **kwargs, **options) as two,
        ):
            await forward_reports(one, [LAMP, POTHOLE])
            for interval in range(3):
                await asyncio.gather(
                    one.context.schedule_periodic_jobs(), two.context.schedule_periodic_jobs()
                )
                await asyncio.gather(one.drain(), two.drain(), one.drain(), two.drain())
                entries = await readback_entries(one)
                assert states(entries) == ["sent"] * (interval + 1) + ["pending"]
                assert len(ticket_reads(one)) == interval + 1
                clock.advance(HOUR)


async def test_a_run_claimed_after_its_slot_does_nothing_and_the_current_slot_runs(
    relay: RelayHarness, clock: FakeClock
) -> None:
    await forward_reports(relay, [LAMP])
    await schedule_readback(relay.context)
    clock.advance(5 * HOUR)  # the relays were down for hours
    await relay.drain()
    entries = await readback_entries(relay)
    assert states(entries) == ["sent", "sent", "pending"]
    assert "has passed" in entries[0].result["skipped"]
    assert entries[1].result["tickets_read"] == 1
    assert len(ticket_reads(relay)) == 1  # one run for the whole downtime, not one per missed slot
    assert entries[2].payload["slot"] == readback_slot(clock.now(), HOUR) + 1


async def test_a_transient_invgate_error_is_retried_and_the_next_slot_is_scheduled_anyway(
    relay: RelayHarness, clock: FakeClock
) -> None:
    [lamp] = await forward_reports(relay, [LAMP])
    relay.sim.faults.fail_next(1, status=503, endpoint="incidents")
    await schedule_readback(relay.context)
    await relay.drain()
    failed, following = await readback_entries(relay)
    assert failed.state == "pending" and "503" in (failed.last_error or "") and failed.attempts == 1
    assert following.state == "pending"
    assert await stored(relay) == {}
    clock.advance(1)
    await relay.drain()
    retried, _ = await readback_entries(relay)
    assert retried.state == "sent" and retried.result["corrections"] == 1
    assert (await stored(relay))[lamp].final_helpdesk == "Openbare Verlichting"


async def test_a_permanent_invgate_error_kills_the_run_but_not_the_schedule(
    relay: RelayHarness, clock: FakeClock
) -> None:
    await forward_reports(relay, [LAMP])
    relay.sim.faults.fail_next(1, status=401, endpoint="incidents")
    await schedule_readback(relay.context)
    await relay.drain()
    dead, following = await readback_entries(relay)
    assert dead.state == "dead" and "401" in (dead.last_error or "")
    clock.advance(HOUR)
    await relay.drain()
    assert (await readback_entries(relay))[1].result["tickets_read"] == 1
    assert following.payload["slot"] == dead.payload["slot"] + 1


async def test_invgate_rate_limit_defers_the_run_and_holds_the_read_gate(
    relay: RelayHarness, clock: FakeClock
) -> None:
    await forward_reports(relay, [LAMP])
    relay.sim.faults.fail_next(1, status=429, endpoint="incidents")
    await schedule_readback(relay.context)
    await relay.drain()
    deferred = (await readback_entries(relay))[0]
    assert deferred.state == "pending" and deferred.attempts == 0  # waiting is not failing
    wait = (deferred.next_attempt_at - clock.now()).total_seconds()
    assert wait >= 1 and await relay.context.pacer.seconds_until_free(READ_GATE) == pytest.approx(wait)
    clock.advance(wait)
    await relay.drain()
    assert (await readback_entries(relay))[0].result["tickets_read"] == 1


async def test_a_paced_run_gives_the_worker_back_and_continues_later(
    sim_app: FastAPI, sim_config: SimConfig, mail_sink: MailSink, tmp_path: Path, clock: FakeClock
) -> None:
    paced = {
        "routing_readback_calls_per_minute": 1.0,
        "routing_readback_batch_size": 2,
        "outbox_lease_s": 30.0,
    }
    async with running_relay(
        sim_app=sim_app,
        sim_config=sim_config,
        mail_sink=mail_sink,
        database_url=sqlite_url(tmp_path),
        clock=clock,
        **{**routing_settings(tmp_path / "models"), **paced},
    ) as relay:
        await forward_reports(relay, [f"Zwerfvuil aan de glasbak, nr {n}" for n in range(5)])
        await schedule_readback(relay.context)
        await relay.drain()
        assert len(ticket_reads(relay)) == 1  # one call a minute: the second batch must wait
        entry = (await readback_entries(relay))[0]
        assert entry.state == "pending" and entry.attempts == 0
        assert entry.next_attempt_at - clock.now() == timedelta(seconds=60)
        assert len(await stored(relay)) == 2
        for calls in (2, 3):
            clock.advance(60)
            await relay.drain()
            assert len(ticket_reads(relay)) == calls
        assert len(await stored(relay)) == 5
        assert (await readback_entries(relay))[0].state == "sent"


async def test_switched_off_read_back_schedules_nothing(
    sim_app: FastAPI, sim_config: SimConfig, mail_sink: MailSink, tmp_path: Path
) -> None:
    async with running_relay(
        sim_app=sim_app,
        sim_config=sim_config,
        mail_sink=mail_sink,
        database_url=sqlite_url(tmp_path),
        **routing_settings(tmp_path / "models", routing_readback_interval_s=0),
    ) as relay:
        await relay.context.schedule_periodic_jobs()
        assert await readback_entries(relay) == []


async def test_a_relay_with_an_embedded_worker_starts_the_read_back_itself(
    sim_app: FastAPI, sim_config: SimConfig, mail_sink: MailSink, tmp_path: Path, clock: FakeClock
) -> None:
    settings = relay_settings(
        database_url=sqlite_url(tmp_path),
        sim_config=sim_config,
        mail_sink=mail_sink,
        **routing_settings(tmp_path / "models"),
    )
    app = create_app(
        settings, clock=clock, invgate_transport=httpx.ASGITransport(app=sim_app), run_worker=True
    )
    async with app.router.lifespan_context(app):
        context = context_of(app)
        for _ in range(200):
            entries = await context.outbox.entries(kind=READBACK_KIND)
            if any(entry.state == "sent" for entry in entries):
                break
            await asyncio.sleep(0.02)
        assert sorted(entry.state for entry in entries) == ["pending", "sent"]
    # An API process without a worker leaves scheduling to the workers.
    api_only = create_app(
        settings.model_copy(update={"database_url": sqlite_url(tmp_path / "api")}),
        clock=clock,
        invgate_transport=httpx.ASGITransport(app=sim_app),
        run_worker=False,
    )
    async with api_only.router.lifespan_context(api_only):
        assert await context_of(api_only).outbox.entries(kind=READBACK_KIND) == []
