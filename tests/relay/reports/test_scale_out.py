"""Several relays and workers on one PostgreSQL database: each report still becomes one ticket."""

from __future__ import annotations

import asyncio
import time

import pytest
from fastapi import FastAPI

from invgate_sim import SimConfig
from invgate_sim.mailsink import MailSink
from tests.relay.accounts.helpers import mails_to
from tests.relay.reports.helpers import citizen, report_json, submit
from tests.support.databases import postgres_database
from tests.support.relay_fixtures import running_relay

pytestmark = pytest.mark.postgres


async def test_two_relays_with_two_workers_each_share_the_outbox(
    sim_app: FastAPI, sim_config: SimConfig, mail_sink: MailSink
) -> None:
    sim_app.state.sim.faults.add_latency(0.05, endpoint="incident")
    with postgres_database() as url:
        options = {"worker_concurrency": 2, "invgate_ticket_rate_per_minute": 60_000.0}
        async with (
            running_relay(
                sim_app=sim_app, sim_config=sim_config, mail_sink=mail_sink, database_url=url, **options
            ) as one,
            running_relay(
                sim_app=sim_app, sim_config=sim_config, mail_sink=mail_sink, database_url=url, **options
            ) as two,
        ):
            citizens = [await citizen(one, f"burger{n}@example.be") for n in range(3)]
            references = []
            for number in range(12):
                relay = (one, two)[number % 2]
                response = await submit(
                    relay, citizens[number % 3], report_json(description=f"Zwerfvuil {number}")
                )
                assert response.status_code == 202
                references.append(response.json()["reference"])
            stop = asyncio.Event()
            workers = [
                asyncio.create_task(relay.context.build_dispatcher(worker_id=f"{name}").run(stop))
                for name, relay in (("one", one), ("two", two))
            ]
            deadline = time.monotonic() + 60
            while (await one.context.outbox.counts()).get("sent", 0) < 30 and time.monotonic() < deadline:  # noqa: ASYNC110
                await asyncio.sleep(0.1)
            stop.set()
            await asyncio.gather(*workers)
            # 12 tickets and 12 confirmations; per citizen a verification mail and a customer record
            assert await one.context.outbox.counts() == {"sent": 30}
            titles = [ticket.title for ticket in one.sim.tickets.values()]
            assert sorted(ref for ref in references for title in titles if ref in title) == sorted(references)
            assert len(titles) == 12
            customers = {ticket.user_id for ticket in one.sim.tickets.values()}
            assert len(customers) == 3 and len([u for u in one.sim.users.values() if u.is_external]) == 3
            assert sum(len(mails_to(one, f"burger{n}@example.be")) for n in range(3)) == 3 + 12
