"""Change detection by polling (InvGate has no webhooks). Every `incidents.by.*` list holds only
*open* tickets: a ticket that left the list must be re-read by id to learn how it ended."""

from __future__ import annotations

from collections.abc import Sequence

from cna_relay.invgate import endpoints as ep
from cna_relay.invgate.http import InvGateHttp
from cna_relay.invgate.mapping import Params
from cna_relay.invgate.models import Ticket, TicketRef
from cna_relay.invgate.paging import keyset_pages, offset_pages
from cna_relay.invgate.parsing import parse_status_page, parse_ticket_page

DEFAULT_PAGE_SIZE = 100


class TicketQueries:
    _http: InvGateHttp

    async def open_tickets_of_customer(
        self, customer_id: int, *, page_size: int = DEFAULT_PAGE_SIZE
    ) -> tuple[Ticket, ...]:
        """Every open ticket of a customer (`incidents.by.customer`, all keyset pages)."""

        async def page(page_key: str | None) -> tuple[list[Ticket], str | None]:
            params: Params = {"id": customer_id, "limit": page_size, "page_key": page_key}
            reply = await self._http.call(ep.TICKETS_BY_CUSTOMER, params)
            return parse_ticket_page(reply, items_key="requests", what=ep.TICKETS_BY_CUSTOMER.endpoint)

        return tuple(await keyset_pages(page, what=ep.TICKETS_BY_CUSTOMER.endpoint))

    async def find_open_ticket(self, customer_id: int, *, title_contains: str) -> TicketRef | None:
        """The customer's open ticket whose title contains `title_contains` (e.g. the report's
        reference), or None. This is how a retry finds a ticket InvGate created but whose reply
        was lost. Several matches → the oldest (lowest id), the one to keep."""
        if not title_contains.strip():
            raise ValueError("title_contains must not be blank: it would match every ticket")
        tickets = await self.open_tickets_of_customer(customer_id)
        matches = [ticket.id for ticket in tickets if title_contains in ticket.title]
        return TicketRef(min(matches)) if matches else None

    async def open_ticket_ids_with_status(
        self, status_ids: Sequence[int], *, page_size: int = DEFAULT_PAGE_SIZE
    ) -> tuple[int, ...]:
        """Ids of open tickets in any of `status_ids` (`incidents.by.status`, all offset pages)."""
        if not status_ids:
            return ()

        async def page(offset: int) -> tuple[list[int], int]:
            params: Params = {"status_ids[]": tuple(status_ids), "limit": page_size, "offset": offset}
            return parse_status_page(await self._http.call(ep.TICKETS_BY_STATUS, params))

        return tuple(await offset_pages(page, what=ep.TICKETS_BY_STATUS.endpoint))

    async def tickets_of_last_hour(self, *, page_size: int = DEFAULT_PAGE_SIZE) -> tuple[Ticket, ...]:
        """Open tickets created or changed during the last hour (`incidents.last.hour`)."""

        async def page(page_key: str | None) -> tuple[list[Ticket], str | None]:
            params: Params = {"limit": page_size, "page_key": page_key}
            reply = await self._http.call(ep.TICKETS_OF_LAST_HOUR, params)
            return parse_ticket_page(reply, items_key="data", what=ep.TICKETS_OF_LAST_HOUR.endpoint)

        return tuple(await keyset_pages(page, what=ep.TICKETS_OF_LAST_HOUR.endpoint))
