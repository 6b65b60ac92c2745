"""Template-ready views of tickets and mails (names resolved, dates formatted, text decoded)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from invgate_sim.mail.compose import html_to_text
from invgate_sim.mail.notifier import MailRecord
from invgate_sim.models import Attachment, Ticket
from invgate_sim.simulator import Simulator
from invgate_sim.store import Store
from invgate_sim.thumbnails import is_image


def when(timestamp: float | None) -> str:
    if timestamp is None:
        return ""
    return datetime.fromtimestamp(timestamp, tz=UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


@dataclass(frozen=True)
class AttachmentView:
    id: int
    name: str
    size: int
    is_image: bool


@dataclass(frozen=True)
class CommentView:
    author: str
    text: str
    public: bool
    is_solution: bool
    at: str
    attachments: list[AttachmentView]


@dataclass(frozen=True)
class TicketView:
    id: int
    pretty_id: str
    title: str
    description: str
    customer: str
    customer_email: str
    customer_external: bool
    customer_sees_internal: bool
    helpdesk: str
    agent: str
    status: str
    status_id: int
    created: str
    updated: str
    attachments: list[AttachmentView]
    comments: list[CommentView] = field(default_factory=list)
    links: list[str] = field(default_factory=list)


def _attachment(attachment: Attachment) -> AttachmentView:
    return AttachmentView(
        attachment.id, attachment.name, len(attachment.content), is_image(attachment.content_type)
    )


def _person(store: Store, user_id: int | None) -> str:
    user = store.users.get(user_id) if user_id is not None else None
    return user.full_name if user else "—"


def ticket_view(sim: Simulator, ticket: Ticket) -> TicketView:
    store = sim.store
    customer = store.users.get(ticket.user_id)
    comments = [
        CommentView(
            author=_person(store, comment.author_id),
            text=html_to_text(comment.message),
            public=comment.customer_visible,
            is_solution=comment.is_solution,
            at=when(comment.created_at),
            attachments=[_attachment(store.attachments[a]) for a in comment.attachments],
        )
        for comment in store.ticket_comments(ticket)
    ]
    return TicketView(
        id=ticket.id,
        pretty_id=ticket.pretty_id,
        title=ticket.title,
        description=html_to_text(ticket.description),
        customer=customer.full_name if customer else "—",
        customer_email=customer.email if customer else "",
        customer_external=bool(customer and customer.is_external),
        customer_sees_internal=ticket.customer_sees_internal,
        helpdesk=store.helpdesk_name(ticket.assigned_group_id),
        agent=_person(store, ticket.assigned_id),
        status=Store.name_of(store.statuses, int(ticket.status_id)),
        status_id=int(ticket.status_id),
        created=when(ticket.created_at),
        updated=when(ticket.last_update),
        attachments=[_attachment(store.attachments[a]) for a in ticket.attachments],
        comments=comments,
        links=[store.tickets[other].pretty_id for other in sorted(ticket.links) if other in store.tickets],
    )


@dataclass(frozen=True)
class MailView:
    at: str
    record: MailRecord


def mail_views(sim: Simulator) -> list[MailView]:
    return [MailView(when(record.at), record) for record in reversed(sim.mails_sent)]
