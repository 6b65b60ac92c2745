"""Pure translation of InvGate's JSON replies into the dataclasses of `models`. No I/O here.

Each function takes the decoded JSON (`object`) and either returns typed values or raises
`InvGateUnexpectedResponse`. Shapes follow the reference; where clients saw InvGate deviate from
its own documentation, both shapes are accepted (noted per function).
"""

from __future__ import annotations

from collections.abc import Mapping

from cna_relay.invgate import fields as f
from cna_relay.invgate.models import (
    Approval,
    CatalogueItem,
    Category,
    Comment,
    Helpdesk,
    HelpdeskLevel,
    LinkedTicket,
    Ticket,
    TicketRef,
    User,
)


def parse_user(data: object) -> User:
    obj = f.as_object(data, "user")
    return User(
        id=f.integer(obj, "id", "user"),
        name=f.text(obj, "name", "user"),
        lastname=f.text(obj, "lastname", "user"),
        email=f.text(obj, "email", "user"),
        username=f.optional_text(obj, "username", "user"),
        other_email=f.optional_text(obj, "other_email", "user"),
        phone=f.optional_text(obj, "phone", "user"),
        mobile=f.optional_text(obj, "mobile", "user"),
        address=f.optional_text(obj, "address", "user"),
        city=f.optional_text(obj, "city", "user"),
        country=f.optional_text(obj, "country", "user"),
        is_external=f.boolean(obj, "is_external", "user", default=False),
        is_disabled=f.boolean(obj, "is_disabled", "user", default=False),
        is_deleted=f.boolean(obj, "is_deleted", "user", default=False),
        user_type=f.optional_integer(obj, "user_type", "user"),
    )


def parse_optional_user(data: object) -> User | None:
    """`user` answers `false` for an unknown id; `user.by`'s not-found shape is undocumented."""
    if f.is_unset(data) or data == [] or data == {}:
        return None
    return parse_user(data)


def parse_user_page(data: object) -> tuple[list[User], str | None]:
    """`users.by`: `{"data": {"<key>": user, ...}, "next_page_key": ...}`; no match → `{"data": []}`."""
    envelope = f.as_object(data, "users.by")
    users = [parse_user(item) for item in _items(envelope.get("data"), "users.by.data")]
    return users, _page_key(envelope)


def parse_ticket_ref(data: object) -> TicketRef:
    """`POST incident` answers `request_id` (a number or a numeric string) and no `id`."""
    return TicketRef(id=f.integer(f.as_object(data, "incident"), "request_id", "incident"))


def parse_comment(data: object, *, ticket_id: int | None = None) -> Comment:
    obj = f.as_object(data, "comment")
    incident_id = f.optional_integer(obj, "incident_id", "comment")
    # One client reads the attachment list as `attached_files`: accept either key.
    files_key = "attachments" if "attachments" in obj else "attached_files"
    return Comment(
        id=f.integer(obj, "id", "comment"),
        ticket_id=incident_id if incident_id is not None else _require(ticket_id, "comment.incident_id"),
        author_id=f.optional_integer(obj, "author_id", "comment"),
        message=f.text(obj, "message", "comment", entities=True),
        created_at=f.moment(obj, "created_at", "comment"),
        customer_visible=f.boolean(obj, "customer_visible", "comment"),
        is_solution=f.optional_boolean(obj, "is_solution", "comment"),
        msg_num=f.optional_integer(obj, "msg_num", "comment"),
        reference_id=f.optional_integer(obj, "reference", "comment"),
        attachment_ids=f.integers(obj, files_key, "comment"),
    )


def parse_comments(data: object, *, ticket_id: int) -> tuple[Comment, ...]:
    return tuple(parse_comment(item, ticket_id=ticket_id) for item in _items(data, "comments"))


def parse_ticket(data: object) -> Ticket:
    """`incident` (documented as an array, live an object: both accepted) and list items."""
    if isinstance(data, list) and len(data) == 1:
        data = data[0]
    obj = f.as_object(data, "incident")
    ticket_id = f.integer(obj, "id", "incident")
    return Ticket(
        id=ticket_id,
        title=f.text(obj, "title", "incident"),
        description=f.text(obj, "description", "incident", entities=True),
        status_id=f.integer(obj, "status_id", "incident"),
        customer_id=f.optional_integer(obj, "user_id", "incident"),
        creator_id=f.optional_integer(obj, "creator_id", "incident"),
        category_id=f.optional_integer(obj, "category_id", "incident"),
        priority_id=f.optional_integer(obj, "priority_id", "incident"),
        type_id=f.optional_integer(obj, "type_id", "incident"),
        source_id=f.optional_integer(obj, "source_id", "incident"),
        helpdesk_id=f.optional_integer(obj, "assigned_group_id", "incident"),
        agent_id=f.optional_integer(obj, "assigned_id", "incident"),
        location_id=f.optional_integer(obj, "location_id", "incident"),
        pretty_id=f.optional_text(obj, "pretty_id", "incident"),
        created_at=f.moment(obj, "created_at", "incident"),
        last_update=f.moment(obj, "last_update", "incident"),
        occurred_at=f.moment(obj, "date_ocurred", "incident"),
        solved_at=f.moment(obj, "solved_at", "incident"),
        closed_at=f.moment(obj, "closed_at", "incident"),
        closed_reason=f.optional_integer(obj, "closed_reason", "incident"),
        rating=f.optional_integer(obj, "rating", "incident"),
        attachment_ids=f.integers(obj, "attachments", "incident"),
        comments=parse_comments(obj.get("comments") or [], ticket_id=ticket_id),
    )


def parse_tickets(data: object, what: str) -> list[Ticket]:
    """An object keyed by id (`incidents`, `incidents.by.customer`), a list, or `[]` when empty."""
    return [parse_ticket(item) for item in _items(data, what)]


def parse_ticket_page(data: object, *, items_key: str, what: str) -> tuple[list[Ticket], str | None]:
    """Keyset pages: `{items_key: {...} | [...], "next_page_key": ...}`."""
    envelope = f.as_object(data, what)
    return parse_tickets(envelope.get(items_key), f"{what}.{items_key}"), _page_key(envelope)


def parse_status_page(data: object) -> tuple[list[int], int]:
    """`incidents.by.status`: `{"requestIds": [...], "limit", "offset", "total"}` → (ids, total)."""
    envelope = f.as_object(data, "incidents.by.status")
    ids = [f.to_int(item, "requestIds[]") for item in _items(envelope.get("requestIds"), "requestIds")]
    total = f.optional_integer(envelope, "total", "incidents.by.status")
    return ids, total if total is not None else len(ids)


def parse_helpdesks(data: object) -> list[Helpdesk]:
    return [_helpdesk(f.as_object(item, "helpdesk")) for item in _items(data, "helpdesks")]


def _helpdesk(obj: f.JsonObject) -> Helpdesk:
    return Helpdesk(
        id=f.integer(obj, "id", "helpdesk"),
        name=f.text(obj, "name", "helpdesk"),
        parent_id=f.optional_integer(obj, "parent_id", "helpdesk"),
        status_id=f.optional_integer(obj, "status_id", "helpdesk"),
    )


def parse_helpdesks_and_levels(data: object) -> list[Helpdesk | HelpdeskLevel]:
    """One list: helpdesks carry a `name`, levels a `level_order` and their helpdesk's `parent_id`."""
    result: list[Helpdesk | HelpdeskLevel] = []
    for item in _items(data, "helpdesksandlevels"):
        obj = f.as_object(item, "helpdesksandlevels[]")
        if f.is_unset(obj.get("name")):
            result.append(_level(obj))
        else:
            result.append(_helpdesk(obj))
    return result


def _level(obj: f.JsonObject) -> HelpdeskLevel:
    return HelpdeskLevel(
        id=f.integer(obj, "id", "level"),
        parent_id=f.optional_integer(obj, "parent_id", "level"),
        level_order=f.optional_integer(obj, "level_order", "level"),
        status_id=f.optional_integer(obj, "status_id", "level"),
    )


def parse_categories(data: object) -> list[Category]:
    """Category ids are observed as strings: `to_int` accepts both."""
    return [
        Category(
            id=f.integer(obj, "id", "category"),
            name=f.text(obj, "name", "category"),
            parent_id=f.optional_integer(obj, "parent_category_id", "category"),
        )
        for obj in (f.as_object(item, "category") for item in _items(data, "categories"))
    ]


def parse_catalogue(data: object, what: str) -> list[CatalogueItem]:
    """`incident.attributes.*`: `[{id, name}]`, or a map `{id: name}` as some catalogues are."""
    if isinstance(data, Mapping) and "id" not in data:
        return [CatalogueItem(id=f.to_int(k, what), name=str(v)) for k, v in f.as_object(data, what).items()]
    return [
        CatalogueItem(id=f.integer(obj, "id", what), name=f.text(obj, "name", what))
        for obj in (f.as_object(item, what) for item in _items(data, what))
    ]


def parse_approvals(data: object) -> list[Approval]:
    return [
        Approval(
            id=f.integer(obj, "id", "approval"),
            status=f.integer(obj, "status", "approval"),
            author_id=f.optional_integer(obj, "author_id", "approval"),
            type=f.optional_integer(obj, "type", "approval"),
            created_at=f.moment(obj, "created_at", "approval"),
            description=f.optional_text(obj, "approval_request_description", "approval", entities=True),
        )
        for obj in (f.as_object(item, "approval") for item in _items(data, "incident.approval"))
    ]


def parse_linked_tickets(data: object) -> list[LinkedTicket]:
    return [
        LinkedTicket(id=f.integer(obj, "id", "link"), title=f.text(obj, "title", "link"))
        for obj in (f.as_object(item, "link") for item in _items(data, "incident.link"))
    ]


def parse_user_ids(data: object, what: str) -> list[int]:
    """`incident.observer` / `.collaborator` GET: a plain array of user ids."""
    return [f.to_int(item, f"{what}[]") for item in _items(data, what)]


def _items(data: object, what: str) -> list[object]:
    """A JSON list, an object keyed by id, or InvGate's empty forms (`[]`, `{}`, `null`)."""
    if data is None:
        return []
    if isinstance(data, Mapping):
        return list(f.as_object(data, what).values())
    return f.as_list(data, what)


def _page_key(envelope: f.JsonObject) -> str | None:
    key = envelope.get("next_page_key")
    if f.is_unset(key):
        return None
    if isinstance(key, str | int) and not isinstance(key, bool):
        return str(key)
    raise f.shape_error("next_page_key", "expected text or null")


def _require(value: int | None, what: str) -> int:
    if value is None:
        raise f.shape_error(what, "missing")
    return value
