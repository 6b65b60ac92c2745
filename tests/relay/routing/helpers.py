"""Reports forwarded through the real relay, staff actions in the simulator, and what was stored."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import httpx
from sqlalchemy import select

from cna_relay.reports.models import Report
from cna_relay.routing.jobs import readback_options
from cna_relay.routing.readback import ReadbackSummary, TicketReadback
from cna_relay.routing.store import RoutingCorrection
from tests.relay.reports.helpers import citizen, report_json, submit
from tests.support.relay_fixtures import RelayHarness

ORDE = "Openbare Orde en Overlast"
WEGEN = "Wegen en Mobiliteit"
VERLICHTING = "Openbare Verlichting"
TRIAGE = "Algemeen Onthaal"
LAMP = "De straatlamp aan de kerk brandt al een week niet meer."
POTHOLE = "Diepe put in het wegdek van de Ieperstraat, mijn fietswiel zat erin vast."


async def forward_reports(
    relay: RelayHarness, texts: list[str], *, email: str = "an.devos@example.be"
) -> list[int]:
    """Submit one report per text as a verified citizen and deliver them; their ticket ids, in order."""
    pair = await citizen(relay, email)
    ids = []
    for text in texts:
        body = report_json(description=text)
        response = await submit(relay, pair, body)
        assert response.status_code == 202, response.text
        ids.append(body["id"])
    await relay.drain()
    async with relay.context.db.sessions() as session:
        rows = dict((await session.execute(select(Report.id, Report.ticket_id))).all())
    tickets = [rows[report_id] for report_id in ids]
    assert all(ticket is not None for ticket in tickets), "every report should have become a ticket"
    return [ticket for ticket in tickets if ticket is not None]


def helpdesk_id(relay: RelayHarness, name: str) -> int:
    [found] = [desk.id for desk in relay.sim.helpdesks.values() if desk.name == name and not desk.is_level]
    return found


def helpdesk_of(relay: RelayHarness, ticket_id: int) -> str:
    return str(relay.sim.helpdesks[relay.sim.tickets[ticket_id].assigned_group_id].name)


def agent_of(relay: RelayHarness, group_id: int) -> int:
    return int(relay.sim.helpdesks[group_id].members[0])


async def staff_reassign(
    sim_http: httpx.AsyncClient, relay: RelayHarness, ticket_id: int, group_id: int
) -> None:
    """A member of the target desk moves the ticket there, through InvGate's API as an agent would."""
    author = agent_of(relay, group_id)
    response = await sim_http.post(
        "incident.reassign", data={"request_id": ticket_id, "author_id": author, "group_id": group_id}
    )
    assert response.status_code == 200 and response.json()["status"] == "OK", response.text


async def staff_cancel(sim_http: httpx.AsyncClient, relay: RelayHarness, ticket_id: int) -> None:
    author = agent_of(relay, relay.sim.tickets[ticket_id].assigned_group_id)
    response = await sim_http.post("incident.cancel", data={"request_id": ticket_id, "author_id": author})
    assert response.status_code == 200, response.text


async def staff_propose_solution(sim_http: httpx.AsyncClient, relay: RelayHarness, ticket_id: int) -> None:
    author = agent_of(relay, relay.sim.tickets[ticket_id].assigned_group_id)
    data = {
        "request_id": ticket_id,
        "author_id": author,
        "comment": "Hersteld.",
        "customer_visible": 1,
        "is_solution": 1,
    }
    response = await sim_http.post("incident.comment", data=data)
    assert response.status_code == 200, response.text


def readback(relay: RelayHarness, **options: Any) -> TicketReadback:
    """One read-back run with the relay's settings, some options replaced."""
    context = relay.context
    return TicketReadback(
        db=context.db,
        desk=context.service_desk,
        directory=context.directory,
        pacer=context.pacer,
        clock=context.clock,
        options=replace(readback_options(context.settings), **options),
    )


async def read_back(relay: RelayHarness, **options: Any) -> ReadbackSummary:
    return await readback(relay, **options).run()


async def stored(relay: RelayHarness) -> dict[int, RoutingCorrection]:
    """The routing_corrections rows by ticket id."""
    async with relay.context.db.sessions() as session:
        rows = (await session.execute(select(RoutingCorrection))).scalars().all()
    return {row.ticket_id: row for row in rows}


def ticket_reads(relay: RelayHarness) -> list[list[str]]:
    """The ticket ids of every `GET incidents` call the relay made, in order."""
    reads = []
    for entry in relay.sim.requests_to("incidents", "GET"):
        ids = entry.params.get("ids", [])
        reads.append(ids if isinstance(ids, list) else [ids])
    return reads
