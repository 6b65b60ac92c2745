"""Approvals: list, spontaneous request, accept / reject (with an optional note), cancel.

The seed: an approver's note is always a public message, so a note mails the citizen; a vote without
a note mails nobody.
"""

from __future__ import annotations

from typing import Any

from invgate_sim import workflow
from invgate_sim.endpoints.comments import add_comment
from invgate_sim.endpoints.common import ok, ticket_of, user_of
from invgate_sim.errors import LogicalError, Refused
from invgate_sim.mail.rules import MailEvent
from invgate_sim.models import Approval, ApprovalStatus
from invgate_sim.registry import Call, Route

_EVENTS = {
    (ApprovalStatus.APPROVED, True): MailEvent.APPROVAL_ACCEPTED_WITH_NOTE,
    (ApprovalStatus.APPROVED, False): MailEvent.APPROVAL_ACCEPTED_WITHOUT_NOTE,
    (ApprovalStatus.REJECTED, True): MailEvent.APPROVAL_REJECTED_WITH_NOTE,
    (ApprovalStatus.REJECTED, False): MailEvent.APPROVAL_REJECTED_WITHOUT_NOTE,
}


def _shape(call: Call, approval: Approval) -> dict[str, Any]:
    return {
        "id": approval.id,
        "author_id": approval.author_id,
        "status": int(approval.status),
        "type": approval.type,
        "created_at": call.render.date(approval.created_at),
        "approval_request_id": approval.id,
        "approval_request_description": call.render.text(approval.description),
    }


async def list_approvals(call: Call) -> Any:
    ticket = ticket_of(call, call.params.require_int("request_id"))
    only_pending = call.params.boolean("only_pending")
    approvals = [call.sim.store.approvals[approval_id] for approval_id in ticket.approvals]
    return [
        _shape(call, approval)
        for approval in approvals
        if not only_pending or approval.status is ApprovalStatus.WAITING
    ]


async def request_approval(call: Call) -> Any:
    params = call.params
    request_id, author_id, approver_id = (
        params.require_int(n) for n in ("request_id", "author_id", "approval_user_id")
    )
    description = params.require_str("description")
    ticket, author = ticket_of(call, request_id), user_of(call, author_id, "author")
    approver = user_of(call, approver_id, "approver")
    approval = Approval(
        id=call.sim.store.next_id("approval"),
        request_id=ticket.id,
        author_id=author.id,
        approval_user_id=approver.id,
        description=description,
        created_at=call.now,
    )
    call.sim.store.approvals[approval.id] = approval
    ticket.approvals.append(approval.id)
    workflow.touch(ticket, call.now)
    return ok("Approval requested")


def _pending_approval(call: Call) -> Approval:
    approval_id, user_id = call.params.require_int("approval_id"), call.params.require_int("user_id")
    approval = call.sim.store.approvals.get(approval_id)
    if approval is None:
        raise LogicalError("The approval does not exist")
    if user_id != approval.approval_user_id:
        raise Refused("The user is not a voter of this approval")
    if approval.status is not ApprovalStatus.WAITING:
        raise LogicalError("The approval is no longer pending")
    return approval


def _voter(outcome: ApprovalStatus) -> Any:
    async def vote(call: Call) -> Any:
        approval = _pending_approval(call)
        ticket = ticket_of(call, approval.request_id)
        note = (call.params.string("note") or "").strip() or None
        approval.status, approval.note = outcome, note
        if note:
            add_comment(call.sim, ticket, approval.approval_user_id, note, public=True)
        workflow.touch(ticket, call.now)
        await call.sim.notifier.notify(
            _EVENTS[(outcome, note is not None)], ticket, kind="approval", agent_id=approval.approval_user_id,
            message=note,
        )  # fmt: skip
        return ok()

    vote.__name__ = f"vote_{outcome.name.lower()}"
    return vote


async def cancel_approval(call: Call) -> Any:
    approval_id, user_id = call.params.require_int("approval_id"), call.params.require_int("user_id")
    approval = call.sim.store.approvals.get(approval_id)
    if approval is None:
        raise LogicalError("The approval does not exist")
    user_of(call, user_id)
    if approval.status is not ApprovalStatus.WAITING:
        raise LogicalError("The approval is no longer pending")
    approval.status = ApprovalStatus.CANCELLED
    workflow.touch(call.sim.store.tickets[approval.request_id], call.now)
    return ok()


ROUTES: tuple[Route, ...] = (
    ("incident.approval", "GET", list_approvals),
    ("incident.spontaneous_approval", "POST", request_approval),
    ("incident.approval.accept", "PUT", _voter(ApprovalStatus.APPROVED)),
    ("incident.approval.reject", "PUT", _voter(ApprovalStatus.REJECTED)),
    ("incident.approval.cancel", "PUT", cancel_approval),
)
