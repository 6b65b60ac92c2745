"""Pure translation from the relay's values to InvGate parameters. No I/O here.

InvGate's encoding rules (reference §1), applied by `encode_params`:
- arrays are PHP style, one pair per element: `ids[]=1&ids[]=2` (a comma string is refused);
- booleans are `1`/`0`;
- dates are epoch seconds (the client never asks for `date_format=iso8601`);
- `None` means "not sent".
Where the pairs go (query string, form body, multipart) is the HTTP layer's business.

The JSON → dataclass direction lives in `cna_relay.invgate.parsing`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import fields
from datetime import datetime

from cna_relay.invgate.models import NewTicket, TicketChanges, UserChanges, UserProfile

ParamValue = str | int | bool | datetime | Sequence[int] | Sequence[str] | None
Params = Mapping[str, ParamValue]

# InvGate's user field names where they differ from ours.
_USER_FIELD_NAMES = {"other_email": "other-email"}


def encode_params(params: Params) -> list[tuple[str, str]]:
    """Flatten parameters into ordered `(name, value)` pairs in InvGate's encoding."""
    pairs: list[tuple[str, str]] = []
    for name, value in params.items():
        if value is None:
            continue
        if name.endswith("[]"):
            pairs.extend((name, _scalar(item)) for item in _array(name, value))
        else:
            pairs.append((name, _scalar(value)))
    return pairs


def _array(name: str, value: ParamValue) -> Sequence[int | str]:
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise TypeError(f"parameter {name!r} is an array: pass a list or tuple")
    return value


def _scalar(value: object) -> str:
    if isinstance(value, bool):  # before int: bool is an int
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return str(epoch_seconds(value))
    raise TypeError(f"cannot send a {type(value).__name__} to InvGate")


def epoch_seconds(moment: datetime) -> int:
    """InvGate's date format. Naive datetimes are refused: their zone would be a guess."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("InvGate dates must be timezone-aware")
    return int(moment.timestamp())


def external_user_params(profile: UserProfile) -> dict[str, ParamValue]:
    """`POST user` for a citizen: an external user, who deals with the municipality by e-mail only."""
    params = {_USER_FIELD_NAMES.get(f.name, f.name): getattr(profile, f.name) for f in fields(profile)}
    params["is_external"] = True
    return params


def user_changes_params(user_id: int, changes: UserChanges) -> dict[str, ParamValue]:
    """`PUT user`: only the fields that change (`None` is left out, `""` clears)."""
    params: dict[str, ParamValue] = {"id": user_id}
    for f in fields(changes):
        params[_USER_FIELD_NAMES.get(f.name, f.name)] = getattr(changes, f.name)
    return params


def new_ticket_params(ticket: NewTicket) -> dict[str, ParamValue]:
    """`POST incident` parameters; the files travel separately as `attachments[]` parts."""
    return {
        "creator_id": ticket.creator_id,
        "customer_id": ticket.customer_id,
        "category_id": ticket.category_id,
        "priority_id": ticket.priority_id,
        "type_id": ticket.type_id,
        "title": ticket.title,
        "description": ticket.description,
        "source_id": ticket.source_id,
        "date": ticket.occurred_at,
        "location_id": ticket.location_id,
        "related_to[]": ticket.related_ticket_ids or None,
    }


def ticket_changes_params(ticket_id: int, changes: TicketChanges) -> dict[str, ParamValue]:
    """`PUT incident` parameters; `reassignment` is sent only when asked for."""
    params: dict[str, ParamValue] = {"id": ticket_id}
    for f in fields(changes):
        if f.name != "reassign":
            params[f.name] = getattr(changes, f.name)
    params["reassignment"] = True if changes.reassign else None
    return params


def comment_params(
    ticket_id: int, *, author_id: int, text: str, customer_visible: bool, is_solution: bool
) -> dict[str, ParamValue]:
    """`POST incident.comment`. `customer_visible` is always sent: InvGate's default is unknown.

    A solution must be public (InvGate answers 409 otherwise); refusing it here saves a call.
    """
    if is_solution and not customer_visible:
        raise ValueError("a solution must be visible to the customer")
    return {
        "request_id": ticket_id,
        "author_id": author_id,
        "comment": text,
        "customer_visible": customer_visible,
        "is_solution": is_solution,
    }
