"""Approvals: spontaneous request, list, vote with and without a note, cancel (§6)."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from tests.sim.helpers import INTERNAL_EMPLOYEE, ROAD_AGENT, create_customer, create_ticket, get_ticket


async def _approval(http: httpx.AsyncClient) -> tuple[int, int]:
    customer = await create_customer(http)
    ticket_id = await create_ticket(http, customer["id"])
    data = {
        "request_id": ticket_id,
        "author_id": ROAD_AGENT,
        "approval_user_id": INTERNAL_EMPLOYEE,
        "description": "Budget voor nieuwe asfaltlaag?",
    }
    assert (await http.post("incident.spontaneous_approval", data=data)).json()["status"] == "OK"
    approvals = (await http.get("incident.approval", params={"request_id": ticket_id})).json()
    return ticket_id, approvals[0]["id"]


async def test_spontaneous_approval_is_listed_as_waiting(sim_http: httpx.AsyncClient) -> None:
    ticket_id, approval_id = await _approval(sim_http)
    listed = (
        await sim_http.get("incident.approval", params={"request_id": ticket_id, "only_pending": 1})
    ).json()
    assert listed == [
        {
            "id": approval_id,
            "author_id": ROAD_AGENT,
            "status": -1,
            "type": 2,
            "created_at": listed[0]["created_at"],
            "approval_request_id": approval_id,
            "approval_request_description": "Budget voor nieuwe asfaltlaag?",
        }
    ]


@pytest.mark.parametrize("missing", ["request_id", "author_id", "approval_user_id", "description"])
async def test_spontaneous_approval_requires_every_parameter(
    sim_http: httpx.AsyncClient, missing: str
) -> None:
    data = {
        "request_id": 1001,
        "author_id": ROAD_AGENT,
        "approval_user_id": INTERNAL_EMPLOYEE,
        "description": "?",
    }
    del data[missing]
    assert (await sim_http.post("incident.spontaneous_approval", data=data)).status_code == 428


@pytest.mark.parametrize(
    ("action", "status"), [("incident.approval.accept", 1), ("incident.approval.reject", 0)]
)
async def test_a_vote_with_a_note_adds_a_public_message(
    sim_http: httpx.AsyncClient, sim_app: FastAPI, action: str, status: int
) -> None:
    ticket_id, approval_id = await _approval(sim_http)
    params: dict[str, int | str] = {
        "approval_id": approval_id,
        "user_id": INTERNAL_EMPLOYEE,
        "note": "Akkoord, uitvoering volgende week.",
    }
    assert (await sim_http.put(action, params=params)).json() == {"status": "OK"}
    approvals = (await sim_http.get("incident.approval", params={"request_id": ticket_id})).json()
    assert approvals[0]["status"] == status
    messages = (await get_ticket(sim_http, ticket_id, comments=1))["comments"]
    assert [(m["author_id"], m["customer_visible"]) for m in messages] == [(INTERNAL_EMPLOYEE, 1)]


async def test_a_vote_without_a_note_adds_no_message(sim_http: httpx.AsyncClient) -> None:
    ticket_id, approval_id = await _approval(sim_http)
    await sim_http.put(
        "incident.approval.accept", params={"approval_id": approval_id, "user_id": INTERNAL_EMPLOYEE}
    )
    assert (await get_ticket(sim_http, ticket_id, comments=1))["comments"] == []


async def test_only_the_voter_may_vote_and_only_once(sim_http: httpx.AsyncClient) -> None:
    _, approval_id = await _approval(sim_http)
    stranger = await sim_http.put(
        "incident.approval.accept", params={"approval_id": approval_id, "user_id": ROAD_AGENT}
    )
    assert stranger.status_code == 409
    params = {"approval_id": approval_id, "user_id": INTERNAL_EMPLOYEE}
    await sim_http.put("incident.approval.reject", params=params)
    assert (await sim_http.put("incident.approval.accept", params=params)).json()["status"] == "ERROR"
    assert (await sim_http.put("incident.approval.accept", params={"approval_id": 999, "user_id": 3})).json()[
        "status"
    ] == "ERROR"


async def test_cancel_an_approval(sim_http: httpx.AsyncClient) -> None:
    ticket_id, approval_id = await _approval(sim_http)
    params = {"approval_id": approval_id, "user_id": ROAD_AGENT}
    assert (await sim_http.put("incident.approval.cancel", params=params)).json() == {"status": "OK"}
    assert (await sim_http.get("incident.approval", params={"request_id": ticket_id})).json()[0][
        "status"
    ] == -2
    assert (
        await sim_http.get("incident.approval", params={"request_id": ticket_id, "only_pending": 1})
    ).json() == []
