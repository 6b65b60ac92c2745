"""Replies: public replies, internal notes, solutions, attachments and reading them back (§5)."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from invgate_sim import SimConfig, create_app
from tests.sim.helpers import JPEG, ROAD_AGENT, comment, create_customer, create_ticket, get_ticket
from tests.support.sim_fixtures import SIM_API_KEY, SIM_API_URL, SIM_API_USER


async def _ticket(http: httpx.AsyncClient) -> tuple[int, int]:
    customer = await create_customer(http)
    return customer["id"], await create_ticket(http, customer["id"])


async def test_post_comment_answers_ok_and_get_lists_it_with_boolean_flags(
    sim_http: httpx.AsyncClient,
) -> None:
    _, ticket_id = await _ticket(sim_http)
    response = await comment(sim_http, ticket_id, "We bekijken het.", public=True)
    assert response.json() == {"status": "OK"}
    listed = (await sim_http.get("incident.comment", params={"request_id": ticket_id})).json()
    assert len(listed) == 1
    first = listed[0]
    assert set(first) == {
        "id",
        "incident_id",
        "author_id",
        "message",
        "created_at",
        "customer_visible",
        "reference",
        "msg_num",
        "is_solution",
        "attachments",
    }
    assert first["customer_visible"] is True and first["is_solution"] is False
    assert (first["incident_id"], first["author_id"], first["msg_num"]) == (ticket_id, ROAD_AGENT, 1)


async def test_get_comments_with_id_instead_of_request_id_is_428(sim_http: httpx.AsyncClient) -> None:
    _, ticket_id = await _ticket(sim_http)
    assert (await sim_http.get("incident.comment", params={"id": ticket_id})).status_code == 428


@pytest.mark.parametrize("missing", ["request_id", "comment", "author_id"])
async def test_post_comment_requires_its_parameters(sim_http: httpx.AsyncClient, missing: str) -> None:
    _, ticket_id = await _ticket(sim_http)
    data = {"request_id": ticket_id, "comment": "x", "author_id": ROAD_AGENT, "customer_visible": 1}
    del data[missing]
    assert (await sim_http.post("incident.comment", data=data)).status_code == 428


async def test_internal_note_is_stored_as_not_customer_visible(
    sim_http: httpx.AsyncClient, sim_app: FastAPI
) -> None:
    _, ticket_id = await _ticket(sim_http)
    await comment(sim_http, ticket_id, "Alleen voor ons", public=False)
    stored = next(iter(sim_app.state.sim.comments.values()))
    assert stored.customer_visible is False


async def test_customer_visible_defaults_to_internal_when_omitted(
    sim_http: httpx.AsyncClient, sim_app: FastAPI
) -> None:
    _, ticket_id = await _ticket(sim_http)
    await sim_http.post(
        "incident.comment", data={"request_id": ticket_id, "comment": "?", "author_id": ROAD_AGENT}
    )
    assert next(iter(sim_app.state.sim.comments.values())).customer_visible is False


async def test_the_omitted_default_is_configurable(sim_config: SimConfig) -> None:
    app = create_app(sim_config.with_changes(comment_default_customer_visible=True))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url=SIM_API_URL, auth=(SIM_API_USER, SIM_API_KEY)
    ) as http:
        _, ticket_id = await _ticket(http)
        await http.post(
            "incident.comment", data={"request_id": ticket_id, "comment": "?", "author_id": ROAD_AGENT}
        )
    assert next(iter(app.state.sim.comments.values())).customer_visible is True


async def test_marking_an_internal_comment_as_solution_is_409(
    sim_http: httpx.AsyncClient, sim_app: FastAPI
) -> None:
    _, ticket_id = await _ticket(sim_http)
    response = await comment(sim_http, ticket_id, "Opgelost", public=False, solution=True)
    assert response.status_code == 409
    assert response.json() == {"error": "Cannot mark an internal comment as the solution", "status": 409}
    assert sim_app.state.sim.comments == {}


async def test_solving_without_the_solve_permission_is_409(sim_config: SimConfig) -> None:
    app = create_app(sim_config.with_changes(solve_permission=False))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url=SIM_API_URL, auth=(SIM_API_USER, SIM_API_KEY)
    ) as http:
        _, ticket_id = await _ticket(http)
        response = await comment(http, ticket_id, "Opgelost", public=True, solution=True)
        assert response.status_code == 409
        assert (await get_ticket(http, ticket_id))["status_id"] == 1


async def test_a_public_solution_moves_the_ticket_to_solved(sim_http: httpx.AsyncClient) -> None:
    _, ticket_id = await _ticket(sim_http)
    await comment(sim_http, ticket_id, "De put is gedicht.", public=True, solution=True)
    ticket = await get_ticket(sim_http, ticket_id)
    assert ticket["status_id"] == 5 and ticket["solved_at"] is not None
    solutions = (
        await sim_http.get("incident.comment", params={"request_id": ticket_id, "is_solution": 1})
    ).json()
    assert [c["is_solution"] for c in solutions] == [True]
    others = (
        await sim_http.get("incident.comment", params={"request_id": ticket_id, "is_solution": 0})
    ).json()
    assert others == []


async def test_comment_attachments_are_stored_and_listed(
    sim_http: httpx.AsyncClient, sim_app: FastAPI
) -> None:
    _, ticket_id = await _ticket(sim_http)
    files = [("attachments[]", ("na.jpg", JPEG, "image/jpeg"))]
    await comment(sim_http, ticket_id, "Foto na herstelling", public=True, files=files)
    listed = (await sim_http.get("incident.comment", params={"request_id": ticket_id})).json()
    assert sim_app.state.sim.attachments[listed[0]["attachments"][0]].content == JPEG


async def test_comments_keep_html_encoded_unless_decoded(sim_http: httpx.AsyncClient) -> None:
    _, ticket_id = await _ticket(sim_http)
    await comment(sim_http, ticket_id, "Lijn 1<br>Lijn 2 & meer", public=True)
    encoded = (await sim_http.get("incident.comment", params={"request_id": ticket_id})).json()[0]["message"]
    decoded = (
        await sim_http.get(
            "incident.comment", params={"request_id": ticket_id, "decoded_special_characters": 1}
        )
    ).json()[0]["message"]
    assert encoded == "Lijn 1&lt;br&gt;Lijn 2 &amp; meer"
    assert decoded == "Lijn 1<br>Lijn 2 & meer"


async def test_comment_on_unknown_ticket_or_by_unknown_author_is_a_logical_error(
    sim_http: httpx.AsyncClient,
) -> None:
    _, ticket_id = await _ticket(sim_http)
    assert (await comment(sim_http, 4242, "x", public=True)).json()["status"] == "ERROR"
    assert (await comment(sim_http, ticket_id, "x", public=True, author=999_999)).json()["status"] == "ERROR"


async def test_comments_bump_last_update_and_number_messages(
    sim_http: httpx.AsyncClient, sim_app: FastAPI
) -> None:
    _, ticket_id = await _ticket(sim_http)
    created = (await get_ticket(sim_http, ticket_id))["last_update"]
    sim_app.state.sim.advance_clock(30)
    await comment(sim_http, ticket_id, "een", public=False)
    await comment(sim_http, ticket_id, "twee", public=True)
    listed = (await sim_http.get("incident.comment", params={"request_id": ticket_id})).json()
    assert [c["msg_num"] for c in listed] == [1, 2]
    assert (await get_ticket(sim_http, ticket_id))["last_update"] >= created + 30
