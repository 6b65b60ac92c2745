"""Lifecycle actions. InvGate has no "set status": a ticket moves only through these actions.

A citizen is an external customer: rejecting or cancelling a ticket does not tell them anything.
The municipality's rule is to post a public comment first (`add_comment(customer_visible=True)`)
and then reject or cancel; approvals accepted or rejected *with* a note mail the citizen.
"""

from __future__ import annotations

from collections.abc import Sequence

from cna_relay.invgate import endpoints as ep
from cna_relay.invgate.http import InvGateHttp
from cna_relay.invgate.mapping import Params
from cna_relay.invgate.models import Approval, LinkedTicket
from cna_relay.invgate.parsing import parse_approvals, parse_linked_tickets, parse_user_ids


class LifecycleOperations:
    _http: InvGateHttp

    async def accept_solution(self, ticket_id: int, *, rating: int, comment: str | None = None) -> None:
        """Close a solved ticket. InvGate wants a comment with a rating below 4.
        On some instances "OK" did not close the ticket: re-read it to be sure."""
        if not 1 <= rating <= 5:
            raise ValueError("rating must be between 1 and 5")
        if rating < 4 and not (comment and comment.strip()):
            raise ValueError("a rating below 4 needs a comment")
        # `id` (not `request_id`) in the query string: PUT's rule.
        params: Params = {"id": ticket_id, "rating": rating, "comment": comment}
        await self._http.call(ep.ACCEPT_SOLUTION, params)

    async def reject_solution(self, ticket_id: int, *, comment: str) -> None:
        await self._http.call(ep.REJECT_SOLUTION, {"id": ticket_id, "comment": comment})

    async def reject_ticket(self, ticket_id: int, *, author_id: int) -> None:
        await self._http.call(ep.REJECT_TICKET, {"request_id": ticket_id, "author_id": author_id})

    async def cancel_ticket(self, ticket_id: int, *, author_id: int, comment: str | None = None) -> None:
        params: Params = {"request_id": ticket_id, "author_id": author_id, "comment": comment}
        await self._http.call(ep.CANCEL_TICKET, params)

    async def reopen_ticket(self, ticket_id: int, *, author_id: int | None = None) -> None:
        await self._http.call(ep.REOPEN_TICKET, {"request_id": ticket_id, "author_id": author_id})

    async def wait_for_customer(self, ticket_id: int) -> None:
        await self._http.call(ep.WAIT_FOR_CUSTOMER, {"request_id": ticket_id})

    async def link_tickets(self, ticket_id: int, linked_ticket_ids: Sequence[int]) -> None:
        """Link tickets (InvGate's way to mark duplicates: there is no duplicate flag)."""
        if not linked_ticket_ids:
            raise ValueError("name at least one ticket to link")
        params: Params = {"request_id": ticket_id, "request_ids[]": tuple(linked_ticket_ids)}
        await self._http.call(ep.ADD_LINKS, params)

    async def linked_tickets(self, ticket_id: int) -> tuple[LinkedTicket, ...]:
        return tuple(parse_linked_tickets(await self._http.call(ep.GET_LINKS, {"request_id": ticket_id})))

    async def add_observers(self, ticket_id: int, *, author_id: int, user_ids: Sequence[int]) -> None:
        await self._http.call(ep.ADD_OBSERVERS, _people(ticket_id, author_id, user_ids))

    async def observers(self, ticket_id: int) -> tuple[int, ...]:
        reply = await self._http.call(ep.GET_OBSERVERS, {"request_id": ticket_id})
        return tuple(parse_user_ids(reply, ep.GET_OBSERVERS.endpoint))

    async def add_collaborators(self, ticket_id: int, *, author_id: int, user_ids: Sequence[int]) -> None:
        """Careful with citizens: a customer added as collaborator gets internal mails (agent
        names, ticket links) on this ticket from then on."""
        await self._http.call(ep.ADD_COLLABORATORS, _people(ticket_id, author_id, user_ids))

    async def collaborators(self, ticket_id: int) -> tuple[int, ...]:
        reply = await self._http.call(ep.GET_COLLABORATORS, {"request_id": ticket_id})
        return tuple(parse_user_ids(reply, ep.GET_COLLABORATORS.endpoint))

    async def approvals(self, ticket_id: int, *, only_pending: bool = False) -> tuple[Approval, ...]:
        params: Params = {"request_id": ticket_id, "only_pending": True if only_pending else None}
        return tuple(parse_approvals(await self._http.call(ep.GET_APPROVALS, params)))

    async def request_approval(
        self, ticket_id: int, *, author_id: int, approver_id: int, description: str
    ) -> None:
        """A spontaneous approval: `approver_id` is asked to vote."""
        params: Params = {
            "request_id": ticket_id,
            "author_id": author_id,
            "approval_user_id": approver_id,
            "description": description,
        }
        await self._http.call(ep.REQUEST_APPROVAL, params)

    async def accept_approval(self, approval_id: int, *, user_id: int, note: str | None = None) -> None:
        """Vote yes. A note is a public message: the citizen is mailed it. Without one, no mail."""
        params: Params = {"approval_id": approval_id, "user_id": user_id, "note": note}
        await self._http.call(ep.ACCEPT_APPROVAL, params)

    async def reject_approval(self, approval_id: int, *, user_id: int, note: str | None = None) -> None:
        """Vote no. As with accepting, only a note makes InvGate mail the citizen."""
        params: Params = {"approval_id": approval_id, "user_id": user_id, "note": note}
        await self._http.call(ep.REJECT_APPROVAL, params)


def _people(ticket_id: int, author_id: int, user_ids: Sequence[int]) -> Params:
    if not user_ids:
        raise ValueError("name at least one user")
    return {"request_id": ticket_id, "author_id": author_id, "users_id[]": tuple(user_ids)}
