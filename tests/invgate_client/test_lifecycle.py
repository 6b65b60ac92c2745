"""Lifecycle actions through the simulator's state machine."""

from __future__ import annotations

import pytest

from cna_relay.invgate import (
    ApprovalStatus,
    InvGateClient,
    InvGateLogicalError,
    LinkedTicket,
    TicketRef,
    User,
)
from invgate_sim import Simulator

from .support import INTEGRATION_AGENT_ID, OTHER_AGENT_ID, make_ticket

AGENT = INTEGRATION_AGENT_ID


@pytest.fixture
async def ticket(client: InvGateClient, customer: User) -> TicketRef:
    return await client.create_ticket(make_ticket(customer.id))


async def _solve(client: InvGateClient, ticket: TicketRef) -> None:
    await client.add_comment(
        ticket.id, author_id=AGENT, text="Opgelost", customer_visible=True, is_solution=True
    )


async def test_accepting_a_solution_closes_the_ticket(
    client: InvGateClient, sim: Simulator, ticket: TicketRef
) -> None:
    await _solve(client, ticket)

    await client.accept_solution(ticket.id, rating=5)

    closed = await client.get_ticket(ticket.id)
    assert (closed.status_id, closed.closed_reason, closed.rating) == (6, 1, 5)
    assert closed.closed_at is not None
    [logged] = sim.requests_to("incident.solution.accept")
    assert logged.body_kind == "none" and set(logged.query_keys) == {"id", "rating"}


async def test_accepting_without_a_proposed_solution_is_a_logical_error(
    client: InvGateClient, ticket: TicketRef
) -> None:
    with pytest.raises(InvGateLogicalError, match="no proposed solution") as caught:
        await client.accept_solution(ticket.id, rating=4)
    assert caught.value.status_code == 200


@pytest.mark.parametrize(("rating", "comment"), [(0, "x"), (6, "x"), (3, None), (2, "  ")])
async def test_accept_solution_checks_rating_rules_before_calling(
    client: InvGateClient, sim: Simulator, ticket: TicketRef, rating: int, comment: str | None
) -> None:
    with pytest.raises(ValueError, match="rating"):
        await client.accept_solution(ticket.id, rating=rating, comment=comment)
    assert sim.requests_to("incident.solution.accept") == []


async def test_a_low_rating_with_a_comment_is_accepted(client: InvGateClient, ticket: TicketRef) -> None:
    await _solve(client, ticket)
    await client.accept_solution(ticket.id, rating=2, comment="Traag")
    assert (await client.get_ticket(ticket.id)).rating == 2


async def test_rejecting_a_solution_reopens_work(client: InvGateClient, ticket: TicketRef) -> None:
    await _solve(client, ticket)
    await client.reject_solution(ticket.id, comment="Nog steeds kapot")
    assert (await client.get_ticket(ticket.id)).status_id not in (5, 6)


@pytest.mark.parametrize(("action", "status"), [("reject_ticket", 7), ("cancel_ticket", 8)])
async def test_reject_and_cancel_end_the_ticket(
    client: InvGateClient, ticket: TicketRef, action: str, status: int
) -> None:
    await getattr(client, action)(ticket.id, author_id=AGENT)
    assert (await client.get_ticket(ticket.id)).status_id == status


async def test_cancel_with_a_comment_and_reopen(
    client: InvGateClient, sim: Simulator, ticket: TicketRef
) -> None:
    await _solve(client, ticket)
    await client.reopen_ticket(ticket.id, author_id=AGENT)
    assert (await client.get_ticket(ticket.id)).status_id == 2
    await client.cancel_ticket(ticket.id, author_id=AGENT, comment="Dubbele melding")
    assert (await client.get_ticket(ticket.id)).status_id == 8
    assert sim.requests_to("incident.cancel")[0].params["comment"] == "Dubbele melding"


async def test_reopening_an_open_ticket_is_a_logical_error(client: InvGateClient, ticket: TicketRef) -> None:
    with pytest.raises(InvGateLogicalError):
        await client.reopen_ticket(ticket.id)


async def test_waiting_for_customer(client: InvGateClient, ticket: TicketRef) -> None:
    await client.wait_for_customer(ticket.id)
    assert (await client.get_ticket(ticket.id)).status_id == 4


async def test_linking_tickets_both_ways(client: InvGateClient, customer: User, ticket: TicketRef) -> None:
    duplicate = await client.create_ticket(make_ticket(customer.id, title="Dubbel"))

    await client.link_tickets(duplicate.id, [ticket.id])

    assert await client.linked_tickets(duplicate.id) == (LinkedTicket(ticket.id, make_ticket(0).title),)
    assert await client.linked_tickets(ticket.id) == (LinkedTicket(duplicate.id, "Dubbel"),)
    with pytest.raises(ValueError, match="at least one"):
        await client.link_tickets(ticket.id, [])


async def test_observers_and_collaborators(client: InvGateClient, sim: Simulator, ticket: TicketRef) -> None:
    await client.add_observers(ticket.id, author_id=AGENT, user_ids=[OTHER_AGENT_ID])
    await client.add_collaborators(ticket.id, author_id=AGENT, user_ids=[OTHER_AGENT_ID, 101])

    assert await client.observers(ticket.id) == (OTHER_AGENT_ID,)
    assert await client.collaborators(ticket.id) == (OTHER_AGENT_ID, 101)
    assert sim.requests_to("incident.collaborator", "POST")[0].params["users_id"] == [
        str(OTHER_AGENT_ID),
        "101",
    ]


async def test_approval_requested_listed_and_accepted_with_a_note(
    client: InvGateClient, sim: Simulator, ticket: TicketRef
) -> None:
    await client.request_approval(
        ticket.id, author_id=AGENT, approver_id=OTHER_AGENT_ID, description="Budget?"
    )
    [pending] = await client.approvals(ticket.id, only_pending=True)
    assert pending.status == ApprovalStatus.WAITING and pending.description == "Budget?"

    await client.accept_approval(pending.id, user_id=OTHER_AGENT_ID, note="Akkoord & ok")

    [done] = await client.approvals(ticket.id)
    assert done.status == ApprovalStatus.APPROVED
    assert await client.approvals(ticket.id, only_pending=True) == ()
    assert sim.requests_to("incident.approval.accept")[0].params["note"] == "Akkoord & ok"


async def test_approval_rejected_without_a_note_sends_no_note(
    client: InvGateClient, sim: Simulator, ticket: TicketRef
) -> None:
    await client.request_approval(
        ticket.id, author_id=AGENT, approver_id=OTHER_AGENT_ID, description="Mag dit?"
    )
    [pending] = await client.approvals(ticket.id)

    await client.reject_approval(pending.id, user_id=OTHER_AGENT_ID)

    [done] = await client.approvals(ticket.id)
    assert done.status == ApprovalStatus.REJECTED
    assert "note" not in sim.requests_to("incident.approval.reject")[0].params


async def test_voting_twice_is_a_logical_error(client: InvGateClient, ticket: TicketRef) -> None:
    await client.request_approval(ticket.id, author_id=AGENT, approver_id=OTHER_AGENT_ID, description="?")
    [pending] = await client.approvals(ticket.id)
    await client.accept_approval(pending.id, user_id=OTHER_AGENT_ID)
    with pytest.raises(InvGateLogicalError, match="no longer pending"):
        await client.reject_approval(pending.id, user_id=OTHER_AGENT_ID)
