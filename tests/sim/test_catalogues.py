"""Catalogues: helpdesks, levels, categories (string ids, search, paging), attributes, version."""

from __future__ import annotations

import httpx
import pytest

from tests.sim.helpers import ROADS_CATEGORY, ROADS_HELPDESK, ROADS_LEVEL_2

SEEDED_HELPDESKS = {
    "Wegen en Mobiliteit",
    "Afval en Netheid",
    "Groen en Natuur",
    "Openbare Verlichting",
    "Riolering en Water",
    "Openbare Orde en Overlast",
    "Algemeen Onthaal",
}


async def test_helpdesks_lists_the_seeded_desks(sim_http: httpx.AsyncClient) -> None:
    desks = (await sim_http.get("helpdesks")).json()
    assert {desk["name"] for desk in desks} == SEEDED_HELPDESKS
    assert set(desks[0]) == {"id", "name", "engine_id", "status_id", "parent_id", "total_members"}
    assert all(desk["total_members"] >= 2 for desk in desks)


async def test_helpdesks_by_id_or_name_is_one_object(sim_http: httpx.AsyncClient) -> None:
    by_id = (await sim_http.get("helpdesks", params={"id": ROADS_HELPDESK})).json()
    by_name = (await sim_http.get("helpdesks", params={"name": "wegen en mobiliteit"})).json()
    assert by_id == by_name
    assert by_id["name"] == "Wegen en Mobiliteit"
    assert (await sim_http.get("helpdesks", params={"id": 999})).json()["status"] == "ERROR"


async def test_levels_and_the_unified_list(sim_http: httpx.AsyncClient) -> None:
    levels = (await sim_http.get("levels")).json()
    assert [level["id"] for level in levels] == [ROADS_LEVEL_2]
    assert levels[0]["parent_id"] == ROADS_HELPDESK and levels[0]["level_order"] == 2
    unified = (await sim_http.get("helpdesksandlevels")).json()
    assert len(unified) == len(SEEDED_HELPDESKS) + 1
    assert any("level_order" in item for item in unified) and any("name" in item for item in unified)


async def test_categories_have_string_ids_and_match_the_helpdesks(sim_http: httpx.AsyncClient) -> None:
    categories = (await sim_http.get("categories", params={"page_size": 100})).json()
    assert {c["name"] for c in categories} == SEEDED_HELPDESKS
    assert all(isinstance(c["id"], str) for c in categories)


async def test_categories_default_page_is_twenty_and_pages_never_exceed_five_hundred(
    sim_http: httpx.AsyncClient,
) -> None:
    first = (await sim_http.get("categories", params={"page_size": 3})).json()
    second = (await sim_http.get("categories", params={"page_size": 3, "page": 2})).json()
    assert len(first) == len(second) == 3
    assert not {c["id"] for c in first} & {c["id"] for c in second}
    assert len((await sim_http.get("categories", params={"page_size": 10_000})).json()) == len(
        SEEDED_HELPDESKS
    )


async def test_categories_search_and_alias(sim_http: httpx.AsyncClient) -> None:
    found = (await sim_http.get("incident.attributes.category", params={"search": "wegen"})).json()
    assert found == [{"id": str(ROADS_CATEGORY), "name": "Wegen en Mobiliteit", "parent_category_id": None}]
    assert (await sim_http.get("categories", params={"id": ROADS_CATEGORY})).json() == found


@pytest.mark.parametrize(
    ("attribute", "expected"),
    [("priority", 5), ("type", 6), ("source", 4), ("status", 8), ("statuses", 8)],
)
async def test_incident_attributes_are_id_name_lists(
    sim_http: httpx.AsyncClient, attribute: str, expected: int
) -> None:
    items = (await sim_http.get(f"incident.attributes.{attribute}")).json()
    assert len(items) == expected
    assert all(set(item) == {"id", "name"} for item in items)


async def test_sources_include_the_app_and_the_counter(sim_http: httpx.AsyncClient) -> None:
    names = {item["name"] for item in (await sim_http.get("incident.attributes.source")).json()}
    assert {"CNA app", "Loket"} <= names
    one = (await sim_http.get("incident.attributes.status", params={"id": 8})).json()
    assert one == {"id": 8, "name": "Geannuleerd"}


async def test_sd_version(sim_http: httpx.AsyncClient) -> None:
    assert (await sim_http.get("sd.version")).json()["version"]
