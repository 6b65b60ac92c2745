"""Links (duplicates), observers and collaborators (§6)."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from tests.sim.helpers import INTERNAL_EMPLOYEE, ROAD_AGENT, TRIAGE_AGENT, create_customer, create_ticket


async def test_link_both_ways_and_list_with_titles(sim_http: httpx.AsyncClient) -> None:
    customer = await create_customer(sim_http)
    first = await create_ticket(sim_http, customer["id"], title="Put")
    second = await create_ticket(sim_http, customer["id"], title="Zelfde put")
    response = await sim_http.post("incident.link", data={"request_id": second, "request_ids[]": first})
    assert response.json()["status"] == "OK"
    assert (await sim_http.get("incident.link", params={"request_id": first})).json() == [
        {"id": second, "title": "Zelfde put"}
    ]
    assert (await sim_http.get("incident.link", params={"request_id": second})).json() == [
        {"id": first, "title": "Put"}
    ]


async def test_related_to_at_creation_links_the_duplicate(sim_http: httpx.AsyncClient) -> None:
    customer = await create_customer(sim_http)
    original = await create_ticket(sim_http, customer["id"])
    duplicate = await create_ticket(sim_http, customer["id"], **{"related_to[]": original})
    links = (await sim_http.get("incident.link", params={"request_id": original})).json()
    assert [link["id"] for link in links] == [duplicate]


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"request_id": 1001, "request_ids": "1002"}, 428),
        ({"request_id": 1001}, 428),
        ({"request_ids[]": 1001}, 428),
    ],
)
async def test_link_requires_request_id_and_an_array(
    sim_http: httpx.AsyncClient, data: dict[str, object], status: int
) -> None:
    assert (await sim_http.post("incident.link", data=data)).status_code == status


async def test_link_to_itself_or_unknown_is_a_logical_error(sim_http: httpx.AsyncClient) -> None:
    customer = await create_customer(sim_http)
    ticket_id = await create_ticket(sim_http, customer["id"])
    itself = await sim_http.post("incident.link", data={"request_id": ticket_id, "request_ids[]": ticket_id})
    unknown = await sim_http.post("incident.link", data={"request_id": ticket_id, "request_ids[]": 4242})
    assert itself.json()["status"] == unknown.json()["status"] == "ERROR"


@pytest.mark.parametrize("endpoint", ["incident.observer", "incident.collaborator"])
async def test_people_are_added_once_and_listed_as_ids(sim_http: httpx.AsyncClient, endpoint: str) -> None:
    customer = await create_customer(sim_http)
    ticket_id = await create_ticket(sim_http, customer["id"])
    single = {"request_id": ticket_id, "author_id": ROAD_AGENT, "user_id": INTERNAL_EMPLOYEE}
    assert (await sim_http.post(endpoint, data=single)).json() == {"status": "OK"}
    many = {"request_id": ticket_id, "author_id": ROAD_AGENT, "users_id[]": [INTERNAL_EMPLOYEE, TRIAGE_AGENT]}
    await sim_http.post(endpoint, data=many)
    assert (await sim_http.get(endpoint, params={"request_id": ticket_id})).json() == [
        INTERNAL_EMPLOYEE,
        TRIAGE_AGENT,
    ]


@pytest.mark.parametrize("endpoint", ["incident.observer", "incident.collaborator"])
async def test_people_need_a_user_and_it_must_exist(sim_http: httpx.AsyncClient, endpoint: str) -> None:
    customer = await create_customer(sim_http)
    ticket_id = await create_ticket(sim_http, customer["id"])
    assert (
        await sim_http.post(endpoint, data={"request_id": ticket_id, "author_id": ROAD_AGENT})
    ).status_code == 428
    unknown = await sim_http.post(
        endpoint, data={"request_id": ticket_id, "author_id": ROAD_AGENT, "user_id": 999_999}
    )
    assert unknown.json()["status"] == "ERROR"


async def test_making_the_customer_a_collaborator_flips_the_ticket_to_internal_mails(
    sim_http: httpx.AsyncClient, sim_app: FastAPI
) -> None:
    customer = await create_customer(sim_http)
    ticket_id = await create_ticket(sim_http, customer["id"])
    await sim_http.post(
        "incident.observer",
        data={"request_id": ticket_id, "author_id": ROAD_AGENT, "user_id": customer["id"]},
    )
    assert sim_app.state.sim.tickets[ticket_id].customer_sees_internal is False
    await sim_http.post(
        "incident.collaborator",
        data={"request_id": ticket_id, "author_id": ROAD_AGENT, "user_id": customer["id"]},
    )
    assert sim_app.state.sim.tickets[ticket_id].customer_sees_internal is True
