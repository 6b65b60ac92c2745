"""Tickets: create with attachments, read one or many, update, reassign, attachment metadata (§2, §4)."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from invgate_sim import SimConfig, create_app
from tests.sim.helpers import (
    INTEGRATION_AGENT,
    JPEG,
    PDF,
    ROAD_AGENT,
    ROADS_CATEGORY,
    ROADS_HELPDESK,
    ROADS_LEVEL_2,
    TRIAGE_HELPDESK,
    WASTE_CATEGORY,
    WASTE_HELPDESK,
    comment,
    create_customer,
    create_ticket,
    get_ticket,
    ticket_form,
)
from tests.support.sim_fixtures import SIM_API_KEY, SIM_API_URL, SIM_API_USER

INCIDENT_FIELDS = {
    "id",
    "title",
    "category_id",
    "description",
    "priority_id",
    "user_id",
    "creator_id",
    "assigned_id",
    "assigned_group_id",
    "date_ocurred",
    "source_id",
    "status_id",
    "type_id",
    "location_id",
    "created_at",
    "last_update",
    "process_id",
    "solved_at",
    "closed_at",
    "closed_reason",
    "attachments",
    "custom_fields",
    "sla_incident_resolution",
    "sla_incident_first_reply",
    "pretty_id",
    "request_customer_sentiment_initial",
    "request_customer_sentiment_current",
}


async def test_create_answers_request_id_and_no_id(sim_http: httpx.AsyncClient) -> None:
    customer = await create_customer(sim_http)
    response = await sim_http.post("incident", data=ticket_form(customer["id"]))
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "OK" and body["info"]
    assert isinstance(body["request_id"], int)
    assert "id" not in body


async def test_request_id_can_be_a_string_like_some_instances(sim_config: SimConfig) -> None:
    app = create_app(sim_config.with_changes(request_id_as_string=True))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url=SIM_API_URL, auth=(SIM_API_USER, SIM_API_KEY)
    ) as http:
        customer = await create_customer(http)
        body = (await http.post("incident", data=ticket_form(customer["id"]))).json()
    assert body["request_id"] == "1001"


@pytest.mark.parametrize(
    "missing", ["creator_id", "customer_id", "category_id", "priority_id", "type_id", "title", "description"]
)
async def test_create_refuses_a_missing_required_parameter_with_428(
    sim_http: httpx.AsyncClient, missing: str
) -> None:
    customer = await create_customer(sim_http)
    response = await sim_http.post("incident", data=ticket_form(customer["id"], **{missing: None}))
    assert response.status_code == 428
    assert missing in response.json()["error"]


async def test_description_can_be_optional_for_categories_without_it(sim_config: SimConfig) -> None:
    app = create_app(sim_config.with_changes(description_required=False))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url=SIM_API_URL, auth=(SIM_API_USER, SIM_API_KEY)
    ) as http:
        customer = await create_customer(http)
        assert await create_ticket(http, customer["id"], description=None)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("customer_id", 999_999),
        ("creator_id", 999_999),
        ("category_id", 999),
        ("priority_id", 9),
        ("type_id", 0),
        ("source_id", 77),
        ("related_to[]", 5),
    ],
)
async def test_create_with_unknown_references_is_a_logical_error(
    sim_http: httpx.AsyncClient, sim_app: FastAPI, field: str, value: int
) -> None:
    customer = await create_customer(sim_http)
    response = await sim_http.post("incident", data=ticket_form(customer["id"], **{field: value}))
    assert response.status_code == 200
    assert response.json()["status"] == "ERROR"
    assert sim_app.state.sim.tickets == {}


async def test_new_ticket_starts_new_routed_by_category(sim_http: httpx.AsyncClient) -> None:
    customer = await create_customer(sim_http)
    ticket_id = await create_ticket(sim_http, customer["id"], category_id=WASTE_CATEGORY)
    ticket = await get_ticket(sim_http, ticket_id)
    assert set(ticket) == INCIDENT_FIELDS
    assert ticket["status_id"] == 1
    assert ticket["user_id"] == customer["id"]
    assert ticket["creator_id"] == INTEGRATION_AGENT
    assert ticket["assigned_group_id"] == WASTE_HELPDESK
    assert ticket["assigned_id"] is None
    assert ticket["pretty_id"] == f"#{ticket_id}"
    assert ticket["created_at"] == ticket["last_update"]
    assert ticket["closed_reason"] is None and "rating" not in ticket


async def test_multipart_attachments_are_stored_in_order(
    sim_http: httpx.AsyncClient, sim_app: FastAPI
) -> None:
    customer = await create_customer(sim_http)
    files = [
        ("attachments[]", ("put.jpg", JPEG, "image/jpeg")),
        ("attachments[]", ("plan.pdf", PDF, "application/pdf")),
    ]
    ticket_id = await create_ticket(sim_http, customer["id"], files=files)
    ticket = await get_ticket(sim_http, ticket_id)
    stored = [sim_app.state.sim.attachments[a] for a in ticket["attachments"]]
    assert [(a.name, a.content) for a in stored] == [("put.jpg", JPEG), ("plan.pdf", PDF)]


async def test_attachments_sent_form_urlencoded_are_silently_dropped(sim_http: httpx.AsyncClient) -> None:
    customer = await create_customer(sim_http)
    data = ticket_form(customer["id"], **{"attachments[]": "put.jpg"})
    response = await sim_http.post("incident", data=data)
    assert response.json()["status"] == "OK"
    assert (await get_ticket(sim_http, response.json()["request_id"]))["attachments"] == []


async def test_a_file_part_not_named_as_an_array_is_not_stored(
    sim_http: httpx.AsyncClient, sim_app: FastAPI
) -> None:
    customer = await create_customer(sim_http)
    ticket_id = await create_ticket(
        sim_http, customer["id"], files=[("attachments", ("put.jpg", JPEG, "image/jpeg"))]
    )
    assert (await get_ticket(sim_http, ticket_id))["attachments"] == []
    assert sim_app.state.sim.requests_to("incident", "POST")[-1].files == ["put.jpg"]


async def test_hostile_file_names_lose_their_path(sim_http: httpx.AsyncClient, sim_app: FastAPI) -> None:
    customer = await create_customer(sim_http)
    files = [
        ("attachments[]", ("../../etc/passwd", b"x", "text/plain")),
        ("attachments[]", ("C:\\a\\b.txt", b"y", "")),
    ]
    ticket_id = await create_ticket(sim_http, customer["id"], files=files)
    names = [
        sim_app.state.sim.attachments[a].name for a in (await get_ticket(sim_http, ticket_id))["attachments"]
    ]
    assert names == ["passwd", "b.txt"]


async def test_incident_attachment_describes_a_downloadable_file(sim_http: httpx.AsyncClient) -> None:
    customer = await create_customer(sim_http)
    ticket_id = await create_ticket(
        sim_http, customer["id"], files=[("attachments[]", ("put.jpg", JPEG, "image/jpeg"))]
    )
    attachment_id = (await get_ticket(sim_http, ticket_id))["attachments"][0]
    meta = (await sim_http.get("incident.attachment", params={"id": attachment_id})).json()
    assert meta["name"] == "put.jpg" and meta["extension"] == "jpg" and len(meta["hash"]) == 32
    download = await sim_http.get(meta["url"])
    assert download.content == JPEG
    assert (await sim_http.get("incident.attachment", params={"id": 424242})).json()["status"] == "ERROR"


async def test_get_unknown_incident_is_a_logical_error(sim_http: httpx.AsyncClient) -> None:
    response = await sim_http.get("incident", params={"id": 4242})
    assert response.status_code == 200 and response.json()["status"] == "ERROR"


async def test_incident_with_comments_embeds_them_with_numeric_flags(sim_http: httpx.AsyncClient) -> None:
    customer = await create_customer(sim_http)
    ticket_id = await create_ticket(sim_http, customer["id"])
    await comment(sim_http, ticket_id, "Intern", public=False)
    ticket = await get_ticket(sim_http, ticket_id, comments=1)
    assert ticket["comments"][0]["customer_visible"] == 0
    assert ticket["comments"][0]["is_solution"] == 0
    assert type(ticket["comments"][0]["customer_visible"]) is int


async def test_incidents_is_keyed_by_id_and_omits_is_solution_on_comments(
    sim_http: httpx.AsyncClient,
) -> None:
    customer = await create_customer(sim_http)
    first = await create_ticket(sim_http, customer["id"])
    second = await create_ticket(sim_http, customer["id"])
    await comment(sim_http, first, "Publiek", public=True)
    response = await sim_http.get(
        "incidents", params=[("ids[]", first), ("ids[]", second), ("ids[]", 9999), ("comments", 1)]
    )
    body = response.json()
    assert set(body) == {str(first), str(second)}
    assert body[str(first)]["comments"][0]["customer_visible"] == 1
    assert "is_solution" not in body[str(first)]["comments"][0]


async def test_incidents_of_only_unknown_ids_is_an_empty_list(sim_http: httpx.AsyncClient) -> None:
    assert (await sim_http.get("incidents", params={"ids[]": 9999})).json() == []


@pytest.mark.parametrize("paging", [{"page": 1}, {"page_size": 10}])
async def test_incidents_refuses_page_parameters(sim_http: httpx.AsyncClient, paging: dict[str, int]) -> None:
    response = await sim_http.get("incidents", params={"ids[]": 1001, **paging})
    assert response.status_code == 428


async def test_incidents_requires_ids(sim_http: httpx.AsyncClient) -> None:
    assert (await sim_http.get("incidents")).status_code == 428


async def test_put_incident_changes_fields_and_bumps_last_update(
    sim_http: httpx.AsyncClient, sim_app: FastAPI
) -> None:
    customer = await create_customer(sim_http)
    ticket_id = await create_ticket(sim_http, customer["id"])
    before = await get_ticket(sim_http, ticket_id)
    sim_app.state.sim.advance_clock(60)
    response = await sim_http.put(
        "incident", params={"id": ticket_id, "priority_id": 4, "title": "Gevaarlijke put"}
    )
    updated = response.json()
    assert (updated["priority_id"], updated["title"]) == (4, "Gevaarlijke put")
    assert updated["last_update"] >= before["last_update"] + 60


async def test_put_incident_with_reassignment_follows_the_new_category(sim_http: httpx.AsyncClient) -> None:
    customer = await create_customer(sim_http)
    ticket_id = await create_ticket(sim_http, customer["id"], category_id=ROADS_CATEGORY)
    plain = await sim_http.put("incident", params={"id": ticket_id, "category_id": WASTE_CATEGORY})
    assert plain.json()["assigned_group_id"] == ROADS_HELPDESK
    rerouted = await sim_http.put(
        "incident", params={"id": ticket_id, "category_id": WASTE_CATEGORY, "reassignment": 1}
    )
    assert rerouted.json()["assigned_group_id"] == WASTE_HELPDESK


async def test_put_incident_can_change_the_customer(sim_http: httpx.AsyncClient) -> None:
    first = await create_customer(sim_http, "first@example.org")
    second = await create_customer(sim_http, "second@example.org")
    ticket_id = await create_ticket(sim_http, first["id"])
    response = await sim_http.put("incident", params={"id": ticket_id, "customer_id": second["id"]})
    assert response.json()["user_id"] == second["id"]
    assert (await sim_http.put("incident", params={"id": ticket_id, "customer_id": 999_999})).json()[
        "status"
    ] == "ERROR"


async def test_reassign_to_a_helpdesk_and_agent_opens_the_ticket(sim_http: httpx.AsyncClient) -> None:
    customer = await create_customer(sim_http)
    ticket_id = await create_ticket(sim_http, customer["id"])
    data = {"request_id": ticket_id, "author_id": INTEGRATION_AGENT, "group_id": TRIAGE_HELPDESK}
    assert (await sim_http.post("incident.reassign", data=data)).json()["status"] == "OK"
    assert (await get_ticket(sim_http, ticket_id))["status_id"] == 1
    await sim_http.post("incident.reassign", data={**data, "group_id": ROADS_LEVEL_2, "agent_id": ROAD_AGENT})
    ticket = await get_ticket(sim_http, ticket_id)
    assert (ticket["assigned_group_id"], ticket["assigned_id"], ticket["status_id"]) == (
        ROADS_LEVEL_2,
        ROAD_AGENT,
        2,
    )


@pytest.mark.parametrize("missing", ["request_id", "author_id", "group_id"])
async def test_reassign_requires_its_parameters(sim_http: httpx.AsyncClient, missing: str) -> None:
    data = {"request_id": 1001, "author_id": INTEGRATION_AGENT, "group_id": TRIAGE_HELPDESK}
    del data[missing]
    assert (await sim_http.post("incident.reassign", data=data)).status_code == 428


async def test_reassign_to_an_unknown_group_is_a_logical_error(sim_http: httpx.AsyncClient) -> None:
    customer = await create_customer(sim_http)
    ticket_id = await create_ticket(sim_http, customer["id"])
    data = {"request_id": ticket_id, "author_id": INTEGRATION_AGENT, "group_id": 4242}
    assert (await sim_http.post("incident.reassign", data=data)).json()["status"] == "ERROR"
