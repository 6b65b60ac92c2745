"""Ticket operations: create (with files), read, change, reassign, comment."""

from __future__ import annotations

from collections.abc import Sequence

from cna_relay.invgate import endpoints as ep
from cna_relay.invgate.http import InvGateHttp
from cna_relay.invgate.mapping import Params, comment_params, new_ticket_params, ticket_changes_params
from cna_relay.invgate.models import Attachment, Comment, NewTicket, Ticket, TicketChanges, TicketRef
from cna_relay.invgate.parsing import parse_comments, parse_ticket, parse_ticket_ref, parse_tickets


class TicketOperations:
    _http: InvGateHttp

    async def create_ticket(self, ticket: NewTicket) -> TicketRef:
        """`POST incident`, multipart when there are files (one `attachments[]` part each).

        InvGate routes the ticket by its category; use `reassign_ticket` to choose the helpdesk.
        A transient error here does not prove the ticket was not created: look before retrying.
        """
        reply = await self._http.call(ep.CREATE_TICKET, new_ticket_params(ticket), files=ticket.attachments)
        return parse_ticket_ref(reply)

    async def get_ticket(self, ticket_id: int, *, with_comments: bool = False) -> Ticket:
        """One ticket, optionally with its comments (internal notes included)."""
        params: Params = {"id": ticket_id, "comments": True if with_comments else None}
        return parse_ticket(await self._http.call(ep.GET_TICKET, params))

    async def get_tickets(self, ticket_ids: Sequence[int]) -> dict[int, Ticket]:
        """Several tickets by id in one call (`incidents` with `ids[]`); unknown ids are absent."""
        if not ticket_ids:
            return {}
        reply = await self._http.call(ep.GET_TICKETS, {"ids[]": tuple(dict.fromkeys(ticket_ids))})
        return {ticket.id: ticket for ticket in parse_tickets(reply, ep.GET_TICKETS.endpoint)}

    async def update_ticket(self, ticket_id: int, changes: TicketChanges) -> None:
        """`PUT incident` (id and changes in the query string)."""
        await self._http.call(ep.UPDATE_TICKET, ticket_changes_params(ticket_id, changes))

    async def reassign_ticket(
        self, ticket_id: int, *, author_id: int, helpdesk_id: int, agent_id: int | None = None
    ) -> None:
        """Hand the ticket to a helpdesk (or one of its levels), optionally to one agent of it."""
        params: Params = {
            "request_id": ticket_id,
            "author_id": author_id,
            "group_id": helpdesk_id,
            "agent_id": agent_id,
        }
        await self._http.call(ep.REASSIGN_TICKET, params)

    async def add_comment(
        self,
        ticket_id: int,
        *,
        author_id: int,
        text: str,
        customer_visible: bool,
        is_solution: bool = False,
        attachments: Sequence[Attachment] = (),
    ) -> None:
        """Reply on a ticket. `customer_visible` has no default on purpose: a public reply mails
        the citizen, an internal note does not, and InvGate's own default is unknown.
        `is_solution=True` proposes a solution (it must be public)."""
        params = comment_params(
            ticket_id,
            author_id=author_id,
            text=text,
            customer_visible=customer_visible,
            is_solution=is_solution,
        )
        await self._http.call(ep.ADD_COMMENT, params, files=attachments)

    async def comments(self, ticket_id: int, *, solutions_only: bool = False) -> tuple[Comment, ...]:
        """The ticket's comments, oldest first as InvGate lists them (internal notes included)."""
        params: Params = {"request_id": ticket_id, "is_solution": True if solutions_only else None}
        return parse_comments(await self._http.call(ep.GET_COMMENTS, params), ticket_id=ticket_id)
