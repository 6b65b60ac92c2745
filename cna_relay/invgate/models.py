"""Typed values exchanged with InvGate: what the relay sends (inputs) and what it reads back.

Names follow the relay's domain, with InvGate's own field named where it differs: a ticket's
`customer_id` is InvGate's `user_id`, `helpdesk_id` is `assigned_group_id`, `agent_id` is
`assigned_id`, `occurred_at` is `date_ocurred` (sic). Dates are timezone-aware UTC `datetime`s;
text is plain (HTML entities already decoded, see `cna_relay.invgate.parsing`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum
from typing import Literal

# Languages InvGate accepts on `PUT user` (`language`).
InvGateLanguage = Literal["es", "en", "en_GB", "pt", "fr", "de", "ca", "it", "nl", "el"]


# ---- inputs ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file to upload with a ticket or a comment."""

    filename: str
    content: bytes = field(repr=False)
    content_type: str = "application/octet-stream"

    def __post_init__(self) -> None:
        if not self.filename.strip():
            raise ValueError("an attachment needs a file name")
        # The type becomes a raw multipart header line: a CR/LF in it would forge headers.
        if "/" not in self.content_type or any(ord(ch) < 32 or ord(ch) == 127 for ch in self.content_type):
            raise ValueError("an attachment's content type must be a MIME type without control characters")

    @property
    def size(self) -> int:
        return len(self.content)


@dataclass(frozen=True, slots=True)
class UserProfile:
    """The fields of a new InvGate user. Only name, last name and e-mail are required."""

    name: str
    lastname: str
    email: str
    username: str | None = None
    other_email: str | None = None
    phone: str | None = None
    mobile: str | None = None
    office: str | None = None
    other: str | None = None
    fax: str | None = None
    address: str | None = None
    city: str | None = None
    country: str | None = None
    doc: str | None = None
    birthday: str | None = None
    position: str | None = None
    department: str | None = None
    employee_number: str | None = None
    manager_id: int | None = None
    localization: str | None = None
    # External users cannot log in, so InvGate's `pass` and `force_password_change` are left out,
    # and the set-password mail is refused explicitly (`0`): a citizen must not get an account mail.
    send_set_password_email: bool = False


@dataclass(frozen=True, slots=True)
class UserChanges:
    """Changes to an InvGate user: `None` leaves a field as it is, `""` clears it."""

    name: str | None = None
    lastname: str | None = None
    email: str | None = None
    other_email: str | None = None
    phone: str | None = None
    mobile: str | None = None
    address: str | None = None
    city: str | None = None
    country: str | None = None
    language: InvGateLanguage | None = None


@dataclass(frozen=True, slots=True)
class NewTicket:
    """A ticket to create. Title and description are built by the relay; this is only transport."""

    creator_id: int
    customer_id: int
    category_id: int
    priority_id: int
    type_id: int
    title: str
    description: str
    source_id: int | None = None
    occurred_at: datetime | None = None
    location_id: int | None = None
    related_ticket_ids: tuple[int, ...] = ()
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True, slots=True)
class TicketChanges:
    """Changes to a ticket (`PUT incident`); `reassign=True` re-routes it by its new properties."""

    customer_id: int | None = None
    category_id: int | None = None
    priority_id: int | None = None
    type_id: int | None = None
    source_id: int | None = None
    location_id: int | None = None
    title: str | None = None
    description: str | None = None
    reassign: bool = False


# ---- results --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TicketRef:
    """The id InvGate gave a newly created ticket."""

    id: int


@dataclass(frozen=True, slots=True)
class User:
    """An InvGate user (a citizen is an external customer: `is_external=True`)."""

    id: int
    name: str
    lastname: str
    email: str
    username: str | None = None
    other_email: str | None = None
    phone: str | None = None
    mobile: str | None = None
    address: str | None = None
    city: str | None = None
    country: str | None = None
    is_external: bool = False
    is_disabled: bool = False
    is_deleted: bool = False
    user_type: int | None = None


@dataclass(frozen=True, slots=True)
class Comment:
    """A reply on a ticket. `customer_visible=False` is an internal note.

    `is_solution` is `None` when InvGate did not say (comments embedded by `incidents` lack it).
    """

    id: int
    ticket_id: int
    author_id: int | None
    message: str
    created_at: datetime | None
    customer_visible: bool
    is_solution: bool | None = None
    msg_num: int | None = None
    reference_id: int | None = None
    attachment_ids: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Ticket:
    """A ticket as InvGate reports it. `comments` is filled only when they were asked for."""

    id: int
    title: str
    description: str
    status_id: int
    customer_id: int | None
    creator_id: int | None = None
    category_id: int | None = None
    priority_id: int | None = None
    type_id: int | None = None
    source_id: int | None = None
    helpdesk_id: int | None = None
    agent_id: int | None = None
    location_id: int | None = None
    pretty_id: str | None = None
    created_at: datetime | None = None
    last_update: datetime | None = None
    occurred_at: datetime | None = None
    solved_at: datetime | None = None
    closed_at: datetime | None = None
    closed_reason: int | None = None
    rating: int | None = None
    attachment_ids: tuple[int, ...] = ()
    comments: tuple[Comment, ...] = ()


@dataclass(frozen=True, slots=True)
class LinkedTicket:
    id: int
    title: str


@dataclass(frozen=True, slots=True)
class Helpdesk:
    id: int
    name: str
    parent_id: int | None = None
    status_id: int | None = None


@dataclass(frozen=True, slots=True)
class HelpdeskLevel:
    """A level inside a helpdesk (`helpdesksandlevels` items without a name)."""

    id: int
    parent_id: int | None
    level_order: int | None
    status_id: int | None = None


@dataclass(frozen=True, slots=True)
class Category:
    id: int
    name: str
    parent_id: int | None = None


@dataclass(frozen=True, slots=True)
class CatalogueItem:
    """A priority, ticket type, source or status: an id with its (localised) name."""

    id: int
    name: str


class ApprovalStatus(IntEnum):
    CANCELLED = -2
    WAITING = -1
    REJECTED = 0
    APPROVED = 1


@dataclass(frozen=True, slots=True)
class Approval:
    """An approval on a ticket. `status` compares equal to `ApprovalStatus` members."""

    id: int
    status: int
    author_id: int | None = None
    type: int | None = None
    created_at: datetime | None = None
    description: str | None = None
