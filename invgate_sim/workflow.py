"""The request state machine (reference §4, §6, §9): 1 New → 2 Open / 3 In progress / 4 Waiting →
5 Solved → 6 Closed; reject → 7, cancel → 8, reopen → 2. Every transition bumps `last_update`.

There is no generic "set status": each function is one InvGate action and refuses the states that
action does not admit, the way the real API does (409 for a refusal, 200 + ERROR for the documented
logical failures).
"""

from __future__ import annotations

from invgate_sim.errors import LogicalError, Refused
from invgate_sim.models import FINAL_STATUSES, ClosedReason, Status, Ticket

_SOLVABLE = frozenset({Status.NEW, Status.OPEN, Status.IN_PROGRESS, Status.WAITING})
_REOPENABLE = frozenset({Status.SOLVED, *FINAL_STATUSES})


def touch(ticket: Ticket, now: float) -> None:
    ticket.last_update = max(now, ticket.last_update)


def assign(ticket: Ticket, group_id: int, agent_id: int | None, now: float) -> None:
    ticket.assigned_group_id = group_id
    ticket.assigned_id = agent_id
    if agent_id is not None and ticket.status_id is Status.NEW:
        ticket.status_id = Status.OPEN
    touch(ticket, now)


def agent_replied(ticket: Ticket, now: float) -> None:
    """A public reply from staff means someone works on it."""
    if ticket.status_id in (Status.NEW, Status.OPEN):
        ticket.status_id = Status.IN_PROGRESS
    touch(ticket, now)


def customer_replied(ticket: Ticket, now: float) -> None:
    if ticket.status_id is Status.WAITING:
        ticket.status_id = Status.IN_PROGRESS
        ticket.waiting_since = None
    touch(ticket, now)


def propose_solution(ticket: Ticket, now: float) -> None:
    if ticket.status_id not in _SOLVABLE:
        raise Refused("The request is in a state that admits no solution")
    ticket.status_id = Status.SOLVED
    ticket.solved_at = now
    ticket.waiting_since = None
    touch(ticket, now)


def accept_solution(ticket: Ticket, rating: int, now: float) -> None:
    if ticket.status_id is not Status.SOLVED:
        raise LogicalError("The request has no proposed solution to accept")
    _close(ticket, ClosedReason.SOLUTION_ACCEPTED, now)
    ticket.rating = rating


def reject_solution(ticket: Ticket, now: float) -> None:
    if ticket.status_id is not Status.SOLVED:
        raise LogicalError("The request has no proposed solution to reject")
    ticket.status_id = Status.IN_PROGRESS
    ticket.solved_at = None
    touch(ticket, now)


def reject(ticket: Ticket, now: float) -> None:
    _refuse_if_final(ticket)
    ticket.status_id = Status.REJECTED
    ticket.closed_at = now
    touch(ticket, now)


def cancel(ticket: Ticket, now: float) -> None:
    _refuse_if_final(ticket)
    ticket.status_id = Status.CANCELLED
    ticket.closed_at = now
    touch(ticket, now)


def reopen(ticket: Ticket, now: float) -> None:
    if ticket.status_id not in _REOPENABLE:
        raise LogicalError("The request is not solved or closed, it cannot be reopened")
    ticket.status_id = Status.OPEN
    ticket.solved_at = ticket.closed_at = None
    ticket.closed_reason = None
    ticket.rating = None
    touch(ticket, now)


def wait_for_customer(ticket: Ticket, now: float) -> None:
    if ticket.status_id not in _SOLVABLE:
        raise Refused("The request cannot wait for the customer in its current state")
    ticket.status_id = Status.WAITING
    ticket.waiting_since = now
    touch(ticket, now)


def expire(ticket: Ticket, now: float, *, solution_after: float | None, waiting_after: float | None) -> bool:
    """Close what the instance auto-closes: unanswered solutions (reason 2) and waits (reason 3)."""
    if ticket.status_id is Status.SOLVED and solution_after is not None and ticket.solved_at is not None:
        if now >= ticket.solved_at + solution_after:
            _close(ticket, ClosedReason.SOLUTION_EXPIRED, ticket.solved_at + solution_after)
            return True
    if ticket.status_id is Status.WAITING and waiting_after is not None and ticket.waiting_since is not None:
        if now >= ticket.waiting_since + waiting_after:
            _close(ticket, ClosedReason.CUSTOMER_TIMEOUT, ticket.waiting_since + waiting_after)
            return True
    return False


def _close(ticket: Ticket, reason: ClosedReason, at: float) -> None:
    ticket.status_id = Status.CLOSED
    ticket.closed_at = at
    ticket.closed_reason = reason
    ticket.waiting_since = None
    touch(ticket, at)


def _refuse_if_final(ticket: Ticket) -> None:
    if ticket.status_id in FINAL_STATUSES:
        raise Refused("The request is already closed")
