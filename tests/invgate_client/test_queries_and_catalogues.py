"""Change detection (open-only lists, every pagination style) and catalogues through the simulator."""

from __future__ import annotations

import pytest

from cna_relay.invgate import (
    CatalogueItem,
    Helpdesk,
    HelpdeskLevel,
    InvGateClient,
    TicketRef,
    User,
    UserProfile,
)
from invgate_sim import Simulator

from .support import INTEGRATION_AGENT_ID, ROADS_LEVEL_ID, make_ticket

SEED_HELPDESKS = {
    "Algemeen Onthaal",
    "Wegen en Mobiliteit",
    "Afval en Netheid",
    "Groen en Natuur",
    "Openbare Verlichting",
    "Riolering en Water",
    "Openbare Orde en Overlast",
}


async def _tickets(client: InvGateClient, customer: User, count: int) -> list[TicketRef]:
    return [
        await client.create_ticket(make_ticket(customer.id, title=f"Melding CNA-2026-{n:06d}"))
        for n in range(1, count + 1)
    ]


async def test_open_tickets_of_customer_walks_every_page_and_skips_closed_ones(
    client: InvGateClient, sim: Simulator, customer: User
) -> None:
    refs = await _tickets(client, customer, 5)
    await client.reject_ticket(refs[0].id, author_id=INTEGRATION_AGENT_ID)
    someone_else = await client.create_external_user(
        UserProfile(name="X", lastname="Y", email="xy@example.be")
    )
    await client.create_ticket(make_ticket(someone_else.id))

    tickets = await client.open_tickets_of_customer(customer.id, page_size=2)

    assert [t.id for t in tickets] == [r.id for r in refs[1:]]
    assert all(t.customer_id == customer.id for t in tickets)
    assert len(sim.requests_to("incidents.by.customer")) == 2


async def test_open_tickets_of_a_customer_without_any(client: InvGateClient, customer: User) -> None:
    assert await client.open_tickets_of_customer(customer.id) == ()


async def test_find_open_ticket_by_the_reference_in_its_title(client: InvGateClient, customer: User) -> None:
    refs = await _tickets(client, customer, 3)

    assert await client.find_open_ticket(customer.id, title_contains="CNA-2026-000002") == refs[1]
    assert await client.find_open_ticket(customer.id, title_contains="CNA-2026-000009") is None
    with pytest.raises(ValueError, match="blank"):
        await client.find_open_ticket(customer.id, title_contains="  ")


async def test_open_ticket_ids_with_status_walks_offset_pages(
    client: InvGateClient, sim: Simulator, customer: User
) -> None:
    refs = await _tickets(client, customer, 5)
    await client.cancel_ticket(refs[4].id, author_id=INTEGRATION_AGENT_ID)

    ids = await client.open_ticket_ids_with_status([1, 2], page_size=2)

    assert ids == tuple(r.id for r in refs[:4])
    assert [r.params["offset"] for r in sim.requests_to("incidents.by.status")] == ["0", "2"]
    assert await client.open_ticket_ids_with_status([]) == ()


async def test_tickets_of_last_hour(client: InvGateClient, sim: Simulator, customer: User) -> None:
    refs = await _tickets(client, customer, 3)
    assert [t.id for t in await client.tickets_of_last_hour(page_size=2)] == [r.id for r in refs]
    sim.advance_clock(2 * 3600)
    assert await client.tickets_of_last_hour() == ()


async def test_helpdesks_are_the_seed_helpdesks(client: InvGateClient) -> None:
    helpdesks = await client.helpdesks()
    assert {h.name for h in helpdesks} == SEED_HELPDESKS
    assert all(isinstance(h, Helpdesk) for h in helpdesks)


async def test_helpdesks_and_levels_tells_levels_apart(client: InvGateClient) -> None:
    items = await client.helpdesks_and_levels()
    levels = [i for i in items if isinstance(i, HelpdeskLevel)]
    assert [(level.id, level.parent_id, level.level_order) for level in levels] == [(ROADS_LEVEL_ID, 11, 2)]
    assert {i.name for i in items if isinstance(i, Helpdesk)} == SEED_HELPDESKS


async def test_categories_page_through_page_and_page_size(client: InvGateClient, sim: Simulator) -> None:
    categories = await client.categories(page_size=3)
    assert {c.name for c in categories} == SEED_HELPDESKS
    assert len({c.id for c in categories}) == 7
    assert [r.params["page"] for r in sim.requests_to("categories")] == ["1", "2", "3"]


async def test_categories_search_by_name(client: InvGateClient) -> None:
    assert [c.name for c in await client.categories(search="verlichting")] == ["Openbare Verlichting"]
    assert await client.categories(search="bestaat niet") == ()


@pytest.mark.parametrize(
    ("operation", "expected"),
    [
        ("priorities", CatalogueItem(4, "Dringend")),
        ("ticket_types", CatalogueItem(3, "Vraag")),
        ("sources", CatalogueItem(1, "CNA app")),
        ("statuses", CatalogueItem(8, "Geannuleerd")),
    ],
)
async def test_ticket_attribute_catalogues(
    client: InvGateClient, operation: str, expected: CatalogueItem
) -> None:
    items = await getattr(client, operation)()
    assert expected in items
    assert all(isinstance(item, CatalogueItem) for item in items)
