"""Change detection: open-only lists and their pagination envelopes (§7)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.sim.helpers import ROAD_AGENT, ROADS_HELPDESK, WASTE_CATEGORY, create_customer, create_ticket


async def _tickets(
    http: httpx.AsyncClient, count: int, email: str = "poller@example.org"
) -> tuple[int, list[int]]:
    customer = await create_customer(http, email)
    return customer["id"], [await create_ticket(http, customer["id"]) for _ in range(count)]


async def test_by_customer_pages_with_page_key_and_hides_closed(sim_http: httpx.AsyncClient) -> None:
    customer_id, ids = await _tickets(sim_http, 5)
    await sim_http.post("incident.cancel", data={"request_id": ids[0], "author_id": ROAD_AGENT})
    first = (await sim_http.get("incidents.by.customer", params={"id": customer_id, "limit": 2})).json()
    assert first["status"] == "OK" and list(first["requests"]) == [str(ids[1]), str(ids[2])]
    second = (
        await sim_http.get(
            "incidents.by.customer",
            params={"id": customer_id, "limit": 2, "page_key": first["next_page_key"]},
        )
    ).json()
    assert list(second["requests"]) == [str(ids[3]), str(ids[4])]
    assert second["next_page_key"] is None
    assert second["requests"][str(ids[3])]["user_id"] == customer_id


async def test_by_customer_finds_by_email_and_answers_an_empty_list(sim_http: httpx.AsyncClient) -> None:
    _, ids = await _tickets(sim_http, 1, "by.mail@example.org")
    found = (await sim_http.get("incidents.by.customer", params={"email": "by.mail@example.org"})).json()
    assert list(found["requests"]) == [str(ids[0])]
    nobody = (await sim_http.get("incidents.by.customer", params={"email": "nobody@example.org"})).json()
    assert nobody["requests"] == [] and nobody["next_page_key"] is None
    assert (await sim_http.get("incidents.by.customer")).json()["status"] == "ERROR"


async def test_by_status_uses_limit_offset_total(sim_http: httpx.AsyncClient) -> None:
    _, ids = await _tickets(sim_http, 4)
    await sim_http.post("incident.waitingfor.customer", data={"request_id": ids[3]})
    page = (
        await sim_http.get("incidents.by.status", params={"status_id": 1, "limit": 2, "offset": 1})
    ).json()
    assert page == {
        "status": "OK",
        "info": page["info"],
        "requestIds": ids[1:3],
        "limit": 2,
        "offset": 1,
        "total": 3,
    }
    both = (
        await sim_http.get("incidents.by.status", params=[("status_ids[]", 1), ("status_ids[]", 4)])
    ).json()
    assert both["requestIds"] == ids


async def test_by_status_is_open_only_even_when_asked_for_closed(sim_http: httpx.AsyncClient) -> None:
    _, ids = await _tickets(sim_http, 1)
    await sim_http.post("incident.reject", data={"request_id": ids[0], "author_id": ROAD_AGENT})
    assert (await sim_http.get("incidents.by.status", params={"status_id": 7})).json()["requestIds"] == []


async def test_by_status_without_ids_is_200_error(sim_http: httpx.AsyncClient) -> None:
    response = await sim_http.get("incidents.by.status")
    assert response.status_code == 200 and response.json()["status"] == "ERROR"


@pytest.mark.parametrize("query", [{"id": 11}, {"helpdesk_id": "abc"}, {}, {"helpdesk_id": "１１"}])
async def test_by_helpdesk_without_an_integer_id_gives_the_documented_error(
    sim_http: httpx.AsyncClient, query: dict[str, Any]
) -> None:
    body = (await sim_http.get("incidents.by.helpdesk", params=query)).json()
    assert body == {"status": "ERROR", "info": "None of the provided helpdesk_ids is an INTEGER."}


async def test_by_helpdesk_lists_open_requests(sim_http: httpx.AsyncClient) -> None:
    customer = await create_customer(sim_http)
    roads = await create_ticket(sim_http, customer["id"])
    await create_ticket(sim_http, customer["id"], category_id=WASTE_CATEGORY)
    body = (await sim_http.get("incidents.by.helpdesk", params={"helpdesk_id": ROADS_HELPDESK})).json()
    assert body["requestIds"] == [roads]


async def test_by_agent_lists_the_agents_open_requests(sim_http: httpx.AsyncClient) -> None:
    _, ids = await _tickets(sim_http, 2)
    await sim_http.post(
        "incident.reassign",
        data={"request_id": ids[1], "author_id": 2, "group_id": ROADS_HELPDESK, "agent_id": ROAD_AGENT},
    )
    body = (await sim_http.get("incidents.by.agent", params={"id": ROAD_AGENT})).json()
    assert list(body["requests"]) == [str(ids[1])]


async def test_last_hour_lists_recent_open_requests(sim_http: httpx.AsyncClient, sim_app: FastAPI) -> None:
    _, old = await _tickets(sim_http, 1)
    sim_app.state.sim.advance_clock(3700)
    customer = await create_customer(sim_http, "recent@example.org")
    recent = [await create_ticket(sim_http, customer["id"]) for _ in range(3)]
    first = (await sim_http.get("incidents.last.hour", params={"limit": 2})).json()
    assert [t["id"] for t in first["data"]] == recent[:2]
    rest = (
        await sim_http.get("incidents.last.hour", params={"limit": 2, "page_key": first["next_page_key"]})
    ).json()
    assert [t["id"] for t in rest["data"]] == recent[2:] and rest["next_page_key"] is None
    assert old[0] not in [t["id"] for t in first["data"] + rest["data"]]


@pytest.mark.parametrize("limit", ["0", "-3", "abc"])
async def test_a_bad_limit_is_428(sim_http: httpx.AsyncClient, limit: str) -> None:
    assert (await sim_http.get("incidents.last.hour", params={"limit": limit})).status_code == 428
