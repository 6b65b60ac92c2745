"""Links between requests, observers and collaborators."""

from __future__ import annotations

from typing import Any

from invgate_sim import workflow
from invgate_sim.endpoints.common import ok, ticket_of, user_of
from invgate_sim.errors import LogicalError, MissingParameter
from invgate_sim.registry import Call, Route


async def get_links(call: Call) -> Any:
    ticket = ticket_of(call, call.params.require_int("request_id"))
    store = call.sim.store
    return [{"id": other, "title": store.tickets[other].title} for other in sorted(ticket.links)]


async def add_links(call: Call) -> Any:
    request_id, other_ids = (
        call.params.require_int("request_id"),
        call.params.int_array("request_ids", required=True),
    )
    ticket = ticket_of(call, request_id)
    others = [ticket_of(call, other) for other in other_ids]
    if any(other is ticket for other in others):
        raise LogicalError("A request cannot be linked to itself")
    for other in others:
        ticket.links.add(other.id)
        other.links.add(ticket.id)
        workflow.touch(other, call.now)
    workflow.touch(ticket, call.now)
    return ok("Requests linked", error=None)


def _people_param(call: Call) -> list[int]:
    users = call.params.int_array("users_id")
    single = call.params.integer("user_id")
    if single is not None:
        users.append(single)
    if not users:
        raise MissingParameter("The parameter user_id or users_id is required")
    return users


def _getter(attribute: str) -> Any:
    async def get_people(call: Call) -> Any:
        return list(getattr(ticket_of(call, call.params.require_int("request_id")), attribute))

    get_people.__name__ = f"get_{attribute}"
    return get_people


def _adder(attribute: str) -> Any:
    async def add_people(call: Call) -> Any:
        request_id, author_id = call.params.require_int("request_id"), call.params.require_int("author_id")
        wanted = _people_param(call)
        ticket = ticket_of(call, request_id)
        user_of(call, author_id, "author")
        people: list[int] = getattr(ticket, attribute)
        for user_id in wanted:
            user_of(call, user_id)
        for user_id in wanted:
            if user_id not in people:
                people.append(user_id)
        if attribute == "collaborators" and ticket.user_id in people:
            # The seed: a citizen made collaborator loses the external role on this ticket.
            ticket.customer_sees_internal = True
        workflow.touch(ticket, call.now)
        return ok()

    add_people.__name__ = f"add_{attribute}"
    return add_people


ROUTES: tuple[Route, ...] = (
    ("incident.link", "GET", get_links),
    ("incident.link", "POST", add_links),
    ("incident.observer", "GET", _getter("observers")),
    ("incident.observer", "POST", _adder("observers")),
    ("incident.collaborator", "GET", _getter("collaborators")),
    ("incident.collaborator", "POST", _adder("collaborators")),
)
