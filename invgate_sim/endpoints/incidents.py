"""Tickets: `incident` (POST/GET/PUT), `incidents`, `incident.attachment`, `incident.reassign`."""

from __future__ import annotations

from typing import Any

from invgate_sim import workflow
from invgate_sim.endpoints.common import epoch_param, ok, store_uploads, ticket_of, user_of
from invgate_sim.errors import LogicalError, MissingParameter
from invgate_sim.mail.rules import MailEvent
from invgate_sim.models import Ticket
from invgate_sim.registry import Call, Route
from invgate_sim.store import Store


def _check_catalogue(call: Call, catalogue: str, value: int | None) -> None:
    if value is not None and all(item.id != value for item in getattr(call.sim.store, catalogue)):
        raise LogicalError(f"The value {value} is not a valid {catalogue[:-1]} id")


def _helpdesk_for(store: Store, category_id: int) -> int | None:
    category = store.categories.get(category_id)
    if category is None:
        raise LogicalError(f"The category {category_id} does not exist")
    return category.helpdesk_id


_REQUIRED_IDS = ("creator_id", "customer_id", "category_id", "priority_id", "type_id")


def _new_ticket(call: Call) -> Ticket:
    params, store = call.params, call.sim.store
    # Every required parameter is checked (428) before any lookup (200 + ERROR), as InvGate does.
    creator_id, customer_id, category_id, priority_id, type_id = (
        params.require_int(n) for n in _REQUIRED_IDS
    )
    title = params.require_str("title")
    description = params.string("description", required=call.sim.config.description_required) or ""
    source_id, date_ocurred = params.integer("source_id"), epoch_param(call, "date")
    related = params.int_array("related_to")
    creator, customer = user_of(call, creator_id, "creator"), user_of(call, customer_id, "customer")
    for catalogue, value in (("priorities", priority_id), ("types", type_id), ("sources", source_id)):
        _check_catalogue(call, catalogue, value)
    helpdesk_id = _helpdesk_for(store, category_id)
    for other in related:
        ticket_of(call, other)
    now, ticket_id = call.now, store.next_id("request")
    return Ticket(
        id=ticket_id,
        title=title,
        description=description,
        category_id=category_id,
        priority_id=priority_id,
        type_id=type_id,
        user_id=customer.id,
        creator_id=creator.id,
        created_at=now,
        last_update=now,
        pretty_id=call.sim.config.pretty_id_format.format(id=ticket_id),
        source_id=source_id,
        location_id=params.integer("location_id"),
        date_ocurred=date_ocurred or now,
        assigned_group_id=helpdesk_id,
        links=set(related),
    )


async def create_incident(call: Call) -> Any:
    ticket = _new_ticket(call)
    # Files count only as multipart `attachments[]` parts; a form-urlencoded "attachments" is ignored.
    attachments = store_uploads(call, call.params.uploads("attachments"))
    ticket.attachments = [attachment.id for attachment in attachments]
    store = call.sim.store
    store.tickets[ticket.id] = ticket
    for other in ticket.links:
        store.tickets[other].links.add(ticket.id)
    await call.sim.notifier.notify(
        MailEvent.TICKET_CREATED, ticket, kind="created", agent_id=ticket.creator_id, attachments=attachments
    )
    request_id: int | str = str(ticket.id) if call.sim.config.request_id_as_string else ticket.id
    return ok("Request created successfully", request_id=request_id)


async def get_incident(call: Call) -> Any:
    ticket = ticket_of(call, call.params.require_int("id"))
    return call.render.incident(ticket, call.sim.store, comments=call.params.boolean("comments"))


async def update_incident(call: Call) -> Any:
    params, store = call.params, call.sim.store
    ticket = ticket_of(call, params.require_int("id"))
    customer_id = params.integer("customer_id")
    if customer_id is not None:
        ticket.user_id = user_of(call, customer_id, "customer").id
    category_id = params.integer("category_id")
    if category_id is not None:
        helpdesk_id = _helpdesk_for(store, category_id)
        ticket.category_id = category_id
        if params.boolean("reassignment"):
            ticket.assigned_group_id, ticket.assigned_id = helpdesk_id, None
    for catalogue, name in (("priorities", "priority_id"), ("types", "type_id"), ("sources", "source_id")):
        value = params.integer(name)
        _check_catalogue(call, catalogue, value)
        if value is not None:
            setattr(ticket, name, value)
    for name in ("title", "description"):
        text = params.string(name)
        if text is not None:
            setattr(ticket, name, text)
    if params.has("location_id"):
        ticket.location_id = params.integer("location_id")
    ticket.date_ocurred = epoch_param(call, "date") or ticket.date_ocurred
    workflow.touch(ticket, call.now)
    return call.render.incident(ticket, store)


async def list_incidents(call: Call) -> Any:
    if call.params.has("page") or call.params.has("page_size"):
        raise MissingParameter("The parameters page and page_size are not accepted by incidents")
    ids = call.params.int_array("ids", required=True)
    store = call.sim.store
    with_comments = call.params.boolean("comments")
    found = {
        str(i): call.render.incident(store.tickets[i], store, comments=with_comments, list_shape=True)
        for i in ids
        if i in store.tickets
    }
    return found or []  # PHP encodes an empty associative array as []


async def get_attachment(call: Call) -> Any:
    attachment = call.sim.store.attachments.get(call.params.require_int("id"))
    if attachment is None:
        raise LogicalError("The attachment does not exist")
    return call.render.attachment(attachment)


async def reassign(call: Call) -> Any:
    params, store = call.params, call.sim.store
    request_id, author_id, group_id = (params.require_int(n) for n in ("request_id", "author_id", "group_id"))
    agent_id = params.integer("agent_id")
    ticket = ticket_of(call, request_id)
    user_of(call, author_id, "author")
    if group_id not in store.helpdesks:
        raise LogicalError(f"The help desk or level {group_id} does not exist")
    if agent_id is not None:
        user_of(call, agent_id, "agent")
    workflow.assign(ticket, group_id, agent_id, call.now)
    return ok("Request reassigned")


ROUTES: tuple[Route, ...] = (
    ("incident", "POST", create_incident),
    ("incident", "GET", get_incident),
    ("incident", "PUT", update_incident),
    ("incidents", "GET", list_incidents),
    ("incident.attachment", "GET", get_attachment),
    ("incident.reassign", "POST", reassign),
)
