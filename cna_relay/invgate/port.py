"""`ServiceDesk`: what the relay needs from the municipality's service desk.

The relay's outbox handlers depend on this Protocol, not on `InvGateClient`, so tests can pass a
recording fake and InvGate stays behind one door. `InvGateClient` implements it.

Errors: implementations raise `InvGateTransientError` (retry later) or `InvGatePermanentError`
(dead-letter); see `cna_relay.invgate.errors`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from cna_relay.invgate.models import (
    Attachment,
    CatalogueItem,
    Category,
    Helpdesk,
    NewTicket,
    Ticket,
    TicketRef,
    User,
    UserChanges,
    UserProfile,
)


@runtime_checkable
class ServiceDesk(Protocol):
    """Customers, tickets and the catalogues the relay routes with."""

    async def find_user_by_email(self, email: str, *, include_disabled: bool = False) -> User | None: ...

    async def get_user_by_email(self, email: str) -> User | None: ...

    async def create_external_user(self, profile: UserProfile) -> User: ...

    async def update_user(self, user_id: int, changes: UserChanges) -> None: ...

    async def disable_user(self, user_id: int) -> None: ...

    async def create_ticket(self, ticket: NewTicket) -> TicketRef: ...

    async def find_open_ticket(self, customer_id: int, *, title_contains: str) -> TicketRef | None: ...

    async def reassign_ticket(
        self, ticket_id: int, *, author_id: int, helpdesk_id: int, agent_id: int | None = None
    ) -> None: ...

    async def add_comment(
        self,
        ticket_id: int,
        *,
        author_id: int,
        text: str,
        customer_visible: bool,
        is_solution: bool = False,
        attachments: Sequence[Attachment] = (),
    ) -> None: ...

    async def get_ticket(self, ticket_id: int, *, with_comments: bool = False) -> Ticket: ...

    async def get_tickets(self, ticket_ids: Sequence[int]) -> dict[int, Ticket]: ...

    async def helpdesks(self) -> tuple[Helpdesk, ...]: ...

    async def categories(
        self, *, search: str | None = None, page_size: int = 500
    ) -> tuple[Category, ...]: ...

    async def sources(self) -> tuple[CatalogueItem, ...]: ...

    async def statuses(self) -> tuple[CatalogueItem, ...]: ...
