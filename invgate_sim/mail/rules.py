"""Which events mail the customer: a table the relay and tests can switch per event.

Defaults follow the seed's "Extra voorwaarden": a mail on creation (duplicates included), on every
public reply (also after closing), on an approval accepted or rejected *with* a note; none for internal
notes, an approval without a note, a reject or a cancel.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum


class MailEvent(StrEnum):
    TICKET_CREATED = "ticket_created"
    PUBLIC_COMMENT = "public_comment"
    PUBLIC_COMMENT_AFTER_CLOSE = "public_comment_after_close"
    INTERNAL_COMMENT = "internal_comment"
    APPROVAL_ACCEPTED_WITH_NOTE = "approval_accepted_with_note"
    APPROVAL_REJECTED_WITH_NOTE = "approval_rejected_with_note"
    APPROVAL_ACCEPTED_WITHOUT_NOTE = "approval_accepted_without_note"
    APPROVAL_REJECTED_WITHOUT_NOTE = "approval_rejected_without_note"
    TICKET_REJECTED = "ticket_rejected"
    TICKET_CANCELLED = "ticket_cancelled"
    TICKET_CLOSED = "ticket_closed"
    TICKET_REOPENED = "ticket_reopened"
    WAITING_FOR_CUSTOMER = "waiting_for_customer"


DEFAULT_RULES: Mapping[MailEvent, bool] = {
    MailEvent.TICKET_CREATED: True,
    MailEvent.PUBLIC_COMMENT: True,
    MailEvent.PUBLIC_COMMENT_AFTER_CLOSE: True,
    MailEvent.INTERNAL_COMMENT: False,
    MailEvent.APPROVAL_ACCEPTED_WITH_NOTE: True,
    MailEvent.APPROVAL_REJECTED_WITH_NOTE: True,
    MailEvent.APPROVAL_ACCEPTED_WITHOUT_NOTE: False,
    MailEvent.APPROVAL_REJECTED_WITHOUT_NOTE: False,
    MailEvent.TICKET_REJECTED: False,
    MailEvent.TICKET_CANCELLED: False,
    MailEvent.TICKET_CLOSED: False,
    MailEvent.TICKET_REOPENED: False,
    MailEvent.WAITING_FOR_CUSTOMER: False,
}


def merge_rules(overrides: Mapping[str, bool]) -> dict[MailEvent, bool]:
    """The defaults with `overrides` applied; an unknown event name is a configuration error."""
    rules = dict(DEFAULT_RULES)
    for name, send in overrides.items():
        rules[parse_event(name)] = bool(send)
    return rules


def parse_event(name: str) -> MailEvent:
    try:
        return MailEvent(name)
    except ValueError:
        known = ", ".join(event.value for event in MailEvent)
        raise ValueError(f"unknown mail event {name!r}; known events: {known}") from None
