"""Replies: `incident.comment` POST (public reply, internal note, solution) and GET."""

from __future__ import annotations

import re
from typing import Any

from invgate_sim import workflow
from invgate_sim.endpoints.common import ok, store_uploads, ticket_of, user_of
from invgate_sim.errors import Refused
from invgate_sim.mail.compose import html_to_text
from invgate_sim.mail.rules import MailEvent
from invgate_sim.models import FINAL_STATUSES, Attachment, Comment, Ticket, User
from invgate_sim.registry import Call, Route
from invgate_sim.simulator import Simulator


def mentions(message: str, user: User) -> bool:
    """ESM turns `@First Last` in a reply into a mention of that user."""
    pattern = r"@" + re.escape(user.full_name) + r"(?![\w])"
    return re.search(pattern, html_to_text(message), flags=re.IGNORECASE) is not None


def add_comment(
    sim: Simulator,
    ticket: Ticket,
    author_id: int,
    message: str,
    *,
    public: bool,
    is_solution: bool = False,
    attachments: list[Attachment] | None = None,
) -> Comment:
    """Store a reply on the ticket (no status change, no mail: callers decide those)."""
    comment = Comment(
        id=sim.store.next_id("comment"),
        incident_id=ticket.id,
        author_id=author_id,
        message=message,
        created_at=sim.now(),
        customer_visible=public,
        msg_num=len(ticket.comments) + 1,
        is_solution=is_solution,
        attachments=[attachment.id for attachment in attachments or []],
    )
    sim.store.comments[comment.id] = comment
    ticket.comments.append(comment.id)
    workflow.touch(ticket, sim.now())
    return comment


def _advance_status(call: Call, ticket: Ticket, author: User, *, public: bool, is_solution: bool) -> None:
    if is_solution:
        if not public:
            raise Refused("Cannot mark an internal comment as the solution")
        if not call.sim.config.solve_permission:
            raise Refused("The user is not allowed to solve the request")
        workflow.propose_solution(ticket, call.now)
    elif author.id == ticket.user_id:
        workflow.customer_replied(ticket, call.now)
    elif public:
        workflow.agent_replied(ticket, call.now)


async def post_comment(call: Call) -> Any:
    params = call.params
    request_id, message, author_id = (
        params.require_int("request_id"),
        params.require_str("comment"),
        params.require_int("author_id"),
    )
    public = params.boolean("customer_visible", default=call.sim.config.comment_default_customer_visible)
    is_solution = params.boolean("is_solution")
    params.boolean("is_propagation")  # accepted and validated; propagation is not simulated
    ticket, author = ticket_of(call, request_id), user_of(call, author_id, "author")
    _advance_status(call, ticket, author, public=public, is_solution=is_solution)
    attachments = store_uploads(call, params.uploads("attachments"))
    add_comment(
        call.sim, ticket, author.id, message, public=public, is_solution=is_solution, attachments=attachments
    )
    customer = call.sim.store.active_user(ticket.user_id)
    if customer is not None and mentions(message, customer):
        ticket.customer_sees_internal = True
    if public:
        closed = ticket.status_id in FINAL_STATUSES
        event = MailEvent.PUBLIC_COMMENT_AFTER_CLOSE if closed else MailEvent.PUBLIC_COMMENT
    else:
        event = MailEvent.INTERNAL_COMMENT
    kind = "solution" if is_solution else "comment"
    await call.sim.notifier.notify(
        event, ticket, kind=kind, agent_id=author.id, message=message, attachments=attachments
    )
    return ok()


async def get_comments(call: Call) -> Any:
    ticket = ticket_of(call, call.params.require_int("request_id"))
    only = call.params.boolean("is_solution") if call.params.has("is_solution") else None
    return [
        call.render.comment(comment, embedded=False)
        for comment in call.sim.store.ticket_comments(ticket)
        if only is None or comment.is_solution == only
    ]


ROUTES: tuple[Route, ...] = (
    ("incident.comment", "POST", post_comment),
    ("incident.comment", "GET", get_comments),
)
