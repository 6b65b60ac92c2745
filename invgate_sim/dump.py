"""Plain JSON views of the simulator's state for the admin API (decoded text, epoch dates)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from invgate_sim.models import Ticket
from invgate_sim.render import Renderer
from invgate_sim.simulator import Simulator


def plain_renderer(sim: Simulator) -> Renderer:
    return Renderer(iso_dates=False, encode_text=False, base_url=sim.config.base_url)


def ticket_dump(sim: Simulator, ticket: Ticket) -> dict[str, Any]:
    render = plain_renderer(sim)
    dumped = render.incident(ticket, sim.store, comments=True)
    dumped.update(
        links=sorted(ticket.links),
        observers=list(ticket.observers),
        collaborators=list(ticket.collaborators),
        approvals=[asdict(sim.store.approvals[approval_id]) for approval_id in ticket.approvals],
        customer_sees_internal=ticket.customer_sees_internal,
        attachment_files=[render.attachment(sim.store.attachments[a]) for a in ticket.attachments],
    )
    return dumped


def tickets_dump(sim: Simulator) -> dict[str, Any]:
    return {str(ticket.id): ticket_dump(sim, ticket) for ticket in sim.store.tickets.values()}


def users_dump(sim: Simulator) -> list[dict[str, Any]]:
    render = plain_renderer(sim)
    return [{**render.user(user), "language": user.language} for user in sim.store.users.values()]
