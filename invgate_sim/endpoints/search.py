"""Change detection: the open-only lists `incidents.by.*` and `incidents.last.hour`, with their
pagination envelopes (keyset `page_key` or `limit`/`offset`)."""

from __future__ import annotations

from typing import Any

from invgate_sim.endpoints.common import keyset_page, limit_param, ok
from invgate_sim.errors import LogicalError, MissingParameter
from invgate_sim.models import Ticket, User
from invgate_sim.registry import Call, Route

KEYSET_DEFAULT_LIMIT, KEYSET_MAX_LIMIT = 100, 1000
OFFSET_DEFAULT_LIMIT, OFFSET_MAX_LIMIT = 100, 1000
LAST_HOUR = 3600.0


def _open_tickets(call: Call) -> list[Ticket]:
    return sorted((t for t in call.sim.store.tickets.values() if t.is_open), key=lambda t: t.id)


def _person(call: Call) -> User | None:
    """`id`, `email` or `username`, as these endpoints accept; None when nobody matches."""
    store = call.sim.store
    user_id = call.params.integer("id")
    email, username = call.params.string("email"), call.params.string("username")
    if user_id is None and not email and not username:
        raise LogicalError("One of id, email or username is required")
    if user_id is not None:
        return store.active_user(user_id)
    if email:
        return store.user_by_email(email)
    wanted = (username or "").strip().lower()
    return next(
        (u for u in store.users.values() if (u.profile.get("username") or "").lower() == wanted), None
    )


def _keyset_requests(call: Call, tickets: list[Ticket]) -> dict[str, Any]:
    page, next_key = keyset_page(call, tickets, limit_param(call, KEYSET_DEFAULT_LIMIT, KEYSET_MAX_LIMIT))
    with_comments = call.params.boolean("comments")
    store = call.sim.store
    requests = {str(t.id): call.render.incident(t, store, comments=with_comments) for t in page}
    return ok("", requests=requests or [], next_page_key=next_key)


async def by_customer(call: Call) -> Any:
    person = _person(call)
    tickets = [t for t in _open_tickets(call) if person is not None and t.user_id == person.id]
    return _keyset_requests(call, tickets)


async def by_agent(call: Call) -> Any:
    person = _person(call)
    tickets = [t for t in _open_tickets(call) if person is not None and t.assigned_id == person.id]
    return _keyset_requests(call, tickets)


async def by_status(call: Call) -> Any:
    wanted = set(call.params.int_array("status_ids"))
    single = call.params.integer("status_id")
    if single is not None:
        wanted.add(single)
    if not wanted:
        raise LogicalError("No status ids were provided")
    offset = call.params.integer("offset") or 0
    if offset < 0:
        raise MissingParameter("The parameter offset must not be negative")
    limit = limit_param(call, OFFSET_DEFAULT_LIMIT, OFFSET_MAX_LIMIT)
    ids = [t.id for t in _open_tickets(call) if int(t.status_id) in wanted]
    return ok("", requestIds=ids[offset : offset + limit], limit=limit, offset=offset, total=len(ids))


async def by_helpdesk(call: Call) -> Any:
    raw = list(call.params.arrays.get("helpdesk_ids", []))
    if (single := call.params.scalars.get("helpdesk_id")) is not None:
        raw.append(single)
    if not raw or not all(value.strip().isascii() and value.strip().isdigit() for value in raw):
        # Documented live answer when the id is missing or not a number (reference §1).
        raise LogicalError("None of the provided helpdesk_ids is an INTEGER.")
    wanted = {int(value) for value in raw}
    return ok("", requestIds=[t.id for t in _open_tickets(call) if t.assigned_group_id in wanted])


async def last_hour(call: Call) -> Any:
    since = call.now - LAST_HOUR
    tickets = [t for t in _open_tickets(call) if t.created_at >= since]
    page, next_key = keyset_page(call, tickets, limit_param(call, KEYSET_DEFAULT_LIMIT, KEYSET_MAX_LIMIT))
    return {"data": [call.render.incident(t, call.sim.store) for t in page], "next_page_key": next_key}


ROUTES: tuple[Route, ...] = (
    ("incidents.by.customer", "GET", by_customer),
    ("incidents.by.agent", "GET", by_agent),
    ("incidents.by.status", "GET", by_status),
    ("incidents.by.helpdesk", "GET", by_helpdesk),
    ("incidents.last.hour", "GET", last_hour),
)
