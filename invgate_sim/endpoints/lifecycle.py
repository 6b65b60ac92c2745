"""Lifecycle actions: solution accept/reject, reject, cancel, reopen, waiting for the customer."""

from __future__ import annotations

from typing import Any

from invgate_sim import workflow
from invgate_sim.endpoints.comments import add_comment
from invgate_sim.endpoints.common import ok, ticket_of, user_of
from invgate_sim.errors import MissingParameter
from invgate_sim.mail.rules import MailEvent
from invgate_sim.models import Ticket
from invgate_sim.registry import Call, Route
from invgate_sim.store import Store


def _status_name(store: Store, ticket: Ticket) -> str:
    return Store.name_of(store.statuses, int(ticket.status_id))


async def _notify_status(
    call: Call, event: MailEvent, ticket: Ticket, agent_id: int | None, note: str | None
) -> None:
    """Status changes mail nobody by default (the seed: say it in a public reply first)."""
    await call.sim.notifier.notify(
        event,
        ticket,
        kind="status",
        agent_id=agent_id,
        message=note,
        status_name=_status_name(call.sim.store, ticket),
    )


async def accept_solution(call: Call) -> Any:
    # Note: this action takes `id`, not `request_id` (reference §6).
    ticket_id, rating = call.params.require_int("id"), call.params.require_int("rating")
    if not 1 <= rating <= 5:
        raise MissingParameter("The parameter rating must be between 1 and 5")
    comment = call.params.string("comment")
    if rating < 4 and not (comment and comment.strip()):
        raise MissingParameter("The parameter comment is required when the rating is lower than 4")
    ticket = ticket_of(call, ticket_id)
    workflow.accept_solution(ticket, rating, call.now)
    if comment:
        add_comment(call.sim, ticket, ticket.user_id, comment, public=True)
    await _notify_status(call, MailEvent.TICKET_CLOSED, ticket, None, None)
    return ok("Solution accepted")


async def reject_solution(call: Call) -> Any:
    ticket_id, comment = call.params.require_int("id"), call.params.require_str("comment")
    ticket = ticket_of(call, ticket_id)
    workflow.reject_solution(ticket, call.now)
    add_comment(call.sim, ticket, ticket.user_id, comment, public=True)
    return ok("Solution rejected")


async def reject_request(call: Call) -> Any:
    request_id, author_id = call.params.require_int("request_id"), call.params.require_int("author_id")
    ticket, author = ticket_of(call, request_id), user_of(call, author_id, "author")
    workflow.reject(ticket, call.now)
    await _notify_status(call, MailEvent.TICKET_REJECTED, ticket, author.id, None)
    return ok("Request rejected")


async def cancel_request(call: Call) -> Any:
    request_id, author_id = call.params.require_int("request_id"), call.params.require_int("author_id")
    ticket, author = ticket_of(call, request_id), user_of(call, author_id, "author")
    comment = call.params.string("comment")
    workflow.cancel(ticket, call.now)
    if comment and comment.strip():
        # The cancel reason is an internal note: the citizen is told only through a public reply.
        add_comment(call.sim, ticket, author.id, comment, public=False)
    await _notify_status(call, MailEvent.TICKET_CANCELLED, ticket, author.id, comment)
    return ok("Request cancelled")


async def reopen_request(call: Call) -> Any:
    ticket = ticket_of(call, call.params.require_int("request_id"))
    author_id = call.params.integer("author_id")
    if author_id is not None:
        user_of(call, author_id, "author")
    workflow.reopen(ticket, call.now)
    await _notify_status(call, MailEvent.TICKET_REOPENED, ticket, author_id, None)
    return ok("Request reopened", error=None)


async def wait_for_customer(call: Call) -> Any:
    ticket = ticket_of(call, call.params.require_int("request_id"))
    workflow.wait_for_customer(ticket, call.now)
    await _notify_status(call, MailEvent.WAITING_FOR_CUSTOMER, ticket, ticket.assigned_id, None)
    return ok("The request is waiting for the customer")


ROUTES: tuple[Route, ...] = (
    ("incident.solution.accept", "PUT", accept_solution),
    ("incident.solution.reject", "PUT", reject_solution),
    ("incident.reject", "POST", reject_request),
    ("incident.cancel", "POST", cancel_request),
    ("incident.reopen", "PUT", reopen_request),
    ("incident.waitingfor.customer", "POST", wait_for_customer),
)
