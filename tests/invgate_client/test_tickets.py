"""Tickets through the simulator: creation with files, reading back, changes, reassignment, comments."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cna_relay.invgate import (
    Attachment,
    InvGateClient,
    InvGateConflict,
    InvGateLogicalError,
    InvGateMissingParameter,
    TicketChanges,
    User,
)
from invgate_sim import SimConfig, Simulator, create_app

from .support import (
    CNA_SOURCE_ID,
    INTEGRATION_AGENT_ID,
    ROADS_AGENT_ID,
    ROADS_HELPDESK_ID,
    ROADS_LEVEL_ID,
    TRIAGE_HELPDESK_ID,
    basic_credentials,
    citizen,
    in_process_client,
    make_ticket,
    photo,
)

HOSTILE_TEXT = "Put <script>alert('x')</script> & \"gat\" — 1 < 2 > 0 &amp; 🚧\nTweede regel"


async def test_create_ticket_with_files_sends_one_attachments_part_each(
    client: InvGateClient, sim: Simulator, customer: User
) -> None:
    files = (
        photo("voor.jpg"),
        photo("na.jpg"),
        Attachment("plan.pdf", b"%PDF-1.7\n%%EOF", "application/pdf"),
    )

    ref = await client.create_ticket(make_ticket(customer.id, attachments=files))

    ticket = sim.tickets[ref.id]
    assert ticket.user_id == customer.id and ticket.creator_id == INTEGRATION_AGENT_ID
    assert [sim.attachments[i].name for i in ticket.attachments] == ["voor.jpg", "na.jpg", "plan.pdf"]
    assert sim.attachments[ticket.attachments[2]].content == b"%PDF-1.7\n%%EOF"
    [logged] = sim.requests_to("incident", "POST")
    assert logged.body_kind == "multipart"
    assert logged.files == ["voor.jpg", "na.jpg", "plan.pdf"]


async def test_create_ticket_without_files_is_form_encoded(
    client: InvGateClient, sim: Simulator, customer: User
) -> None:
    occurred = datetime(2026, 11, 30, 8, 15, tzinfo=UTC)
    ref = await client.create_ticket(make_ticket(customer.id, occurred_at=occurred))

    [logged] = sim.requests_to("incident", "POST")
    assert logged.body_kind == "form"
    assert logged.params["date"] == str(int(occurred.timestamp()))
    assert (await client.get_ticket(ref.id)).occurred_at == occurred


async def test_request_id_as_string_is_read_as_a_number() -> None:
    config = SimConfig(api_key="k", request_id_as_string=True)
    app = create_app(config)
    async with in_process_client(app, basic_credentials(config)) as client:
        customer = await client.create_external_user(citizen())
        ref = await client.create_ticket(make_ticket(customer.id))
    assert isinstance(ref.id, int) and ref.id in app.state.sim.tickets


async def test_get_ticket_maps_fields_and_decodes_text_once(client: InvGateClient, customer: User) -> None:
    ref = await client.create_ticket(make_ticket(customer.id, description=HOSTILE_TEXT, title="Titel & <co>"))

    ticket = await client.get_ticket(ref.id)

    assert ticket.id == ref.id and ticket.pretty_id == f"#{ref.id}"
    assert ticket.description == HOSTILE_TEXT
    assert ticket.title == "Titel & <co>"
    assert ticket.customer_id == customer.id and ticket.helpdesk_id == TRIAGE_HELPDESK_ID
    assert ticket.source_id == CNA_SOURCE_ID and ticket.status_id == 1
    assert ticket.created_at is not None and ticket.created_at.tzinfo is UTC
    assert ticket.comments == ()


async def test_get_unknown_ticket_is_a_logical_error(client: InvGateClient) -> None:
    with pytest.raises(InvGateLogicalError, match="does not exist"):
        await client.get_ticket(987_654)


async def test_get_tickets_by_ids_skips_unknown_ones(
    client: InvGateClient, sim: Simulator, customer: User
) -> None:
    first = await client.create_ticket(make_ticket(customer.id))
    second = await client.create_ticket(make_ticket(customer.id, title="Tweede"))

    tickets = await client.get_tickets([second.id, first.id, 424242, first.id])

    assert set(tickets) == {first.id, second.id}
    assert tickets[second.id].title == "Tweede"
    assert await client.get_tickets([424242]) == {}
    assert await client.get_tickets([]) == {}
    assert len(sim.requests_to("incidents")) == 2  # no call for an empty list
    assert sim.requests_to("incidents")[0].params["ids"] == [str(second.id), str(first.id), "424242"]


async def test_update_ticket_and_reassign_by_category(
    client: InvGateClient, sim: Simulator, customer: User
) -> None:
    ref = await client.create_ticket(make_ticket(customer.id))

    await client.update_ticket(ref.id, TicketChanges(category_id=21, title="Nieuwe titel", reassign=True))

    ticket = await client.get_ticket(ref.id)
    assert (ticket.category_id, ticket.title, ticket.helpdesk_id) == (21, "Nieuwe titel", ROADS_HELPDESK_ID)
    [logged] = sim.requests_to("incident", "PUT")
    assert logged.body_kind == "none" and "id" in logged.query_keys


async def test_reassign_to_helpdesk_level_and_agent(client: InvGateClient, customer: User) -> None:
    ref = await client.create_ticket(make_ticket(customer.id))

    await client.reassign_ticket(ref.id, author_id=INTEGRATION_AGENT_ID, helpdesk_id=ROADS_HELPDESK_ID)
    assert (await client.get_ticket(ref.id)).helpdesk_id == ROADS_HELPDESK_ID

    await client.reassign_ticket(
        ref.id, author_id=INTEGRATION_AGENT_ID, helpdesk_id=ROADS_LEVEL_ID, agent_id=ROADS_AGENT_ID
    )
    ticket = await client.get_ticket(ref.id)
    assert (ticket.helpdesk_id, ticket.agent_id) == (ROADS_LEVEL_ID, ROADS_AGENT_ID)


async def test_reassign_to_an_unknown_helpdesk_is_a_logical_error(
    client: InvGateClient, customer: User
) -> None:
    ref = await client.create_ticket(make_ticket(customer.id))
    with pytest.raises(InvGateLogicalError):
        await client.reassign_ticket(ref.id, author_id=INTEGRATION_AGENT_ID, helpdesk_id=999)


async def test_public_and_internal_comments_with_attachments(
    client: InvGateClient, sim: Simulator, customer: User
) -> None:
    ref = await client.create_ticket(make_ticket(customer.id))

    await client.add_comment(ref.id, author_id=INTEGRATION_AGENT_ID, text=HOSTILE_TEXT, customer_visible=True)
    await client.add_comment(
        ref.id,
        author_id=INTEGRATION_AGENT_ID,
        text="Interne nota",
        customer_visible=False,
        attachments=[photo("detail.jpg")],
    )

    comments = await client.comments(ref.id)
    assert [(c.message, c.customer_visible, c.is_solution) for c in comments] == [
        (HOSTILE_TEXT, True, False),
        ("Interne nota", False, False),
    ]
    assert [sim.attachments[i].name for i in comments[1].attachment_ids] == ["detail.jpg"]
    assert comments[0].ticket_id == ref.id and comments[0].created_at is not None
    embedded = (await client.get_ticket(ref.id, with_comments=True)).comments
    assert [(c.id, c.customer_visible) for c in embedded] == [(c.id, c.customer_visible) for c in comments]
    assert [r.params["customer_visible"] for r in sim.requests_to("incident.comment", "POST")] == ["1", "0"]


async def test_visibility_is_sent_even_where_invgate_would_default() -> None:
    # The simulator can default an omitted customer_visible to public; the client never omits it.
    config = SimConfig(api_key="k", comment_default_customer_visible=True)
    app = create_app(config)
    async with in_process_client(app, basic_credentials(config)) as client:
        resident = await client.create_external_user(citizen())
        ref = await client.create_ticket(make_ticket(resident.id))
        await client.add_comment(ref.id, author_id=INTEGRATION_AGENT_ID, text="nota", customer_visible=False)
        [comment] = await client.comments(ref.id)
    assert comment.customer_visible is False


async def test_a_solution_moves_the_ticket_to_solved(client: InvGateClient, customer: User) -> None:
    ref = await client.create_ticket(make_ticket(customer.id))

    await client.add_comment(
        ref.id, author_id=INTEGRATION_AGENT_ID, text="Hersteld", customer_visible=True, is_solution=True
    )

    ticket = await client.get_ticket(ref.id)
    assert ticket.status_id == 5 and ticket.solved_at is not None
    [solution] = await client.comments(ref.id, solutions_only=True)
    assert solution.is_solution is True


async def test_an_internal_solution_is_refused_before_any_call(
    client: InvGateClient, sim: Simulator, customer: User
) -> None:
    ref = await client.create_ticket(make_ticket(customer.id))
    with pytest.raises(ValueError, match="visible"):
        await client.add_comment(
            ref.id, author_id=INTEGRATION_AGENT_ID, text="x", customer_visible=False, is_solution=True
        )
    assert sim.requests_to("incident.comment") == []


async def test_solving_without_permission_is_a_conflict() -> None:
    config = SimConfig(api_key="k", solve_permission=False)
    app = create_app(config)
    async with in_process_client(app, basic_credentials(config)) as client:
        resident = await client.create_external_user(citizen())
        ref = await client.create_ticket(make_ticket(resident.id))
        with pytest.raises(InvGateConflict, match="not allowed to solve"):
            await client.add_comment(
                ref.id, author_id=INTEGRATION_AGENT_ID, text="x", customer_visible=True, is_solution=True
            )


@pytest.mark.parametrize(
    "overrides",
    [{"description": ""}, {"title": ""}, {"description": "   "}],
)
async def test_missing_required_ticket_fields_are_428(
    client: InvGateClient, customer: User, overrides: dict[str, str]
) -> None:
    with pytest.raises(InvGateMissingParameter, match="required"):
        await client.create_ticket(make_ticket(customer.id, **overrides))


async def test_unknown_customer_is_a_logical_error_and_creates_nothing(
    client: InvGateClient, sim: Simulator
) -> None:
    with pytest.raises(InvGateLogicalError, match="customer"):
        await client.create_ticket(make_ticket(123_456))
    assert sim.tickets == {}


async def test_hostile_file_names_reach_invgate_without_breaking_the_request(
    client: InvGateClient, sim: Simulator, customer: User
) -> None:
    names = ['a"b.jpg', "x\r\nContent-Type: text/html.jpg", "../../etc/passwd", "фото.jpg"]
    ref = await client.create_ticket(make_ticket(customer.id, attachments=tuple(photo(n) for n in names)))
    assert len(sim.tickets[ref.id].attachments) == len(names)
