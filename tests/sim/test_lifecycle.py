"""The state machine (§4, §6, §9): every action, its refusals, and `last_update` on every transition."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from invgate_sim import Simulator
from tests.sim.helpers import (
    INTEGRATION_AGENT,
    ROAD_AGENT,
    ROADS_HELPDESK,
    comment,
    create_customer,
    create_ticket,
    get_ticket,
)

DAY = 86_400


async def _ticket(http: httpx.AsyncClient) -> tuple[int, int]:
    customer = await create_customer(http)
    return customer["id"], await create_ticket(http, customer["id"])


async def _solve(http: httpx.AsyncClient, ticket_id: int) -> None:
    response = await comment(http, ticket_id, "De put is gedicht.", public=True, solution=True)
    assert response.json() == {"status": "OK"}


async def _status(http: httpx.AsyncClient, ticket_id: int) -> int:
    return int((await get_ticket(http, ticket_id))["status_id"])


def _later(sim: Simulator, seconds: float = 10) -> None:
    sim.advance_clock(seconds)


async def test_full_happy_path_new_open_in_progress_solved_closed(
    sim_http: httpx.AsyncClient, sim_app: FastAPI
) -> None:
    sim = sim_app.state.sim
    customer_id, ticket_id = await _ticket(sim_http)
    seen = [await get_ticket(sim_http, ticket_id)]
    steps: list[tuple[str, str, dict[str, Any]]] = [
        (
            "POST",
            "incident.reassign",
            {
                "request_id": ticket_id,
                "author_id": INTEGRATION_AGENT,
                "group_id": ROADS_HELPDESK,
                "agent_id": ROAD_AGENT,
            },
        ),
        (
            "POST",
            "incident.comment",
            {
                "request_id": ticket_id,
                "comment": "We komen kijken.",
                "author_id": ROAD_AGENT,
                "customer_visible": 1,
            },
        ),
        (
            "POST",
            "incident.comment",
            {
                "request_id": ticket_id,
                "comment": "Hersteld.",
                "author_id": ROAD_AGENT,
                "customer_visible": 1,
                "is_solution": 1,
            },
        ),
        ("PUT", "incident.solution.accept", {"id": ticket_id, "rating": 5}),
    ]
    for method, endpoint, params in steps:
        _later(sim)
        response = await sim_http.request(method, endpoint, params=params)
        assert response.json()["status"] == "OK", (endpoint, response.text)
        seen.append(await get_ticket(sim_http, ticket_id))
    assert [t["status_id"] for t in seen] == [1, 2, 3, 5, 6]
    assert [t["last_update"] for t in seen] == sorted({t["last_update"] for t in seen})
    closed = seen[-1]
    assert (closed["closed_reason"], closed["rating"]) == (1, 5)
    assert closed["solved_at"] is not None and closed["closed_at"] is not None
    assert closed["user_id"] == customer_id


async def test_accept_without_a_proposed_solution_is_200_error(sim_http: httpx.AsyncClient) -> None:
    _, ticket_id = await _ticket(sim_http)
    response = await sim_http.put("incident.solution.accept", params={"id": ticket_id, "rating": 5})
    assert response.status_code == 200
    assert response.json()["status"] == "ERROR"
    assert await _status(sim_http, ticket_id) == 1


async def test_accept_takes_id_not_request_id(sim_http: httpx.AsyncClient) -> None:
    _, ticket_id = await _ticket(sim_http)
    await _solve(sim_http, ticket_id)
    response = await sim_http.put("incident.solution.accept", params={"request_id": ticket_id, "rating": 5})
    assert response.status_code == 428


@pytest.mark.parametrize(
    ("rating", "comment_text", "status"),
    [(0, None, 428), (6, None, 428), (3, None, 428), (3, "   ", 428), (3, "Duurde lang", 200)],
)
async def test_accept_checks_rating_and_demands_a_comment_below_four(
    sim_http: httpx.AsyncClient, sim_app: FastAPI, rating: int, comment_text: str | None, status: int
) -> None:
    _, ticket_id = await _ticket(sim_http)
    await _solve(sim_http, ticket_id)
    params: dict[str, Any] = {"id": ticket_id, "rating": rating}
    if comment_text is not None:
        params["comment"] = comment_text
    response = await sim_http.put("incident.solution.accept", params=params)
    assert response.status_code == status
    expected = 6 if status == 200 else 5
    assert await _status(sim_http, ticket_id) == expected


async def test_reject_solution_reopens_work_and_records_the_customer_comment(
    sim_http: httpx.AsyncClient, sim_app: FastAPI
) -> None:
    customer_id, ticket_id = await _ticket(sim_http)
    await _solve(sim_http, ticket_id)
    response = await sim_http.put(
        "incident.solution.reject", params={"id": ticket_id, "comment": "Nog steeds een put"}
    )
    assert response.json()["status"] == "OK"
    ticket = await get_ticket(sim_http, ticket_id, comments=1)
    assert ticket["status_id"] == 3 and ticket["solved_at"] is None
    assert ticket["comments"][-1]["author_id"] == customer_id
    assert (await sim_http.put("incident.solution.reject", params={"id": ticket_id})).status_code == 428
    again = await sim_http.put("incident.solution.reject", params={"id": ticket_id, "comment": "?"})
    assert again.json()["status"] == "ERROR"


async def test_reject_request_ends_in_rejected(sim_http: httpx.AsyncClient) -> None:
    _, ticket_id = await _ticket(sim_http)
    response = await sim_http.post("incident.reject", data={"request_id": ticket_id, "author_id": ROAD_AGENT})
    assert response.json()["status"] == "OK"
    ticket = await get_ticket(sim_http, ticket_id)
    assert ticket["status_id"] == 7 and ticket["closed_at"] is not None


async def test_cancel_request_ends_in_cancelled_and_keeps_the_reason_internal(
    sim_http: httpx.AsyncClient, sim_app: FastAPI
) -> None:
    _, ticket_id = await _ticket(sim_http)
    data = {"request_id": ticket_id, "author_id": ROAD_AGENT, "comment": "Dubbele melding"}
    assert (await sim_http.post("incident.cancel", data=data)).json()["status"] == "OK"
    assert await _status(sim_http, ticket_id) == 8
    reason = next(iter(sim_app.state.sim.comments.values()))
    assert reason.customer_visible is False and reason.message == "Dubbele melding"


@pytest.mark.parametrize("action", ["incident.reject", "incident.cancel"])
async def test_reject_or_cancel_a_finished_request_is_409(sim_http: httpx.AsyncClient, action: str) -> None:
    _, ticket_id = await _ticket(sim_http)
    await sim_http.post("incident.cancel", data={"request_id": ticket_id, "author_id": ROAD_AGENT})
    response = await sim_http.post(action, data={"request_id": ticket_id, "author_id": ROAD_AGENT})
    assert response.status_code == 409


@pytest.mark.parametrize("action", ["incident.reject", "incident.cancel"])
async def test_reject_and_cancel_require_request_and_author(sim_http: httpx.AsyncClient, action: str) -> None:
    assert (await sim_http.post(action, data={"request_id": 1001})).status_code == 428
    assert (await sim_http.post(action, data={"author_id": ROAD_AGENT})).status_code == 428


@pytest.mark.parametrize("final", ["closed", "rejected", "cancelled", "solved"])
async def test_reopen_brings_a_finished_request_back_to_open(sim_http: httpx.AsyncClient, final: str) -> None:
    _, ticket_id = await _ticket(sim_http)
    await _solve(sim_http, ticket_id)
    if final == "closed":
        await sim_http.put("incident.solution.accept", params={"id": ticket_id, "rating": 4})
    elif final in ("rejected", "cancelled"):
        await sim_http.put("incident.solution.reject", params={"id": ticket_id, "comment": "nee"})
        action = "incident.reject" if final == "rejected" else "incident.cancel"
        await sim_http.post(action, data={"request_id": ticket_id, "author_id": ROAD_AGENT})
    response = await sim_http.put(
        "incident.reopen", params={"request_id": ticket_id, "author_id": ROAD_AGENT}
    )
    assert response.json()["status"] == "OK"
    ticket = await get_ticket(sim_http, ticket_id)
    assert ticket["status_id"] == 2
    assert (ticket["closed_at"], ticket["closed_reason"], ticket["solved_at"]) == (None, None, None)
    assert "rating" not in ticket


async def test_reopen_an_open_request_is_200_error(sim_http: httpx.AsyncClient) -> None:
    _, ticket_id = await _ticket(sim_http)
    response = await sim_http.put("incident.reopen", params={"request_id": ticket_id})
    assert response.json()["status"] == "ERROR"


async def test_solution_on_a_closed_request_is_409(sim_http: httpx.AsyncClient) -> None:
    _, ticket_id = await _ticket(sim_http)
    await sim_http.post("incident.reject", data={"request_id": ticket_id, "author_id": ROAD_AGENT})
    response = await comment(sim_http, ticket_id, "Toch opgelost", public=True, solution=True)
    assert response.status_code == 409


async def test_waiting_for_customer_and_the_customer_reply(sim_http: httpx.AsyncClient) -> None:
    customer_id, ticket_id = await _ticket(sim_http)
    response = await sim_http.post("incident.waitingfor.customer", data={"request_id": ticket_id})
    assert response.json()["status"] == "OK" and response.json()["info"]
    assert await _status(sim_http, ticket_id) == 4
    await comment(sim_http, ticket_id, "Het is aan nummer 12", public=True, author=customer_id)
    assert await _status(sim_http, ticket_id) == 3


async def test_an_unanswered_solution_expires_as_closed_reason_two(
    sim_http: httpx.AsyncClient, sim_app: FastAPI
) -> None:
    _, ticket_id = await _ticket(sim_http)
    await _solve(sim_http, ticket_id)
    sim_app.state.sim.advance_clock(6 * DAY)
    assert await _status(sim_http, ticket_id) == 5
    sim_app.state.sim.advance_clock(2 * DAY)
    ticket = await get_ticket(sim_http, ticket_id)
    assert (ticket["status_id"], ticket["closed_reason"]) == (6, 2)


async def test_an_unanswered_wait_closes_as_customer_timeout(
    sim_http: httpx.AsyncClient, sim_app: FastAPI
) -> None:
    _, ticket_id = await _ticket(sim_http)
    await sim_http.post("incident.waitingfor.customer", data={"request_id": ticket_id})
    sim_app.state.sim.advance_clock(8 * DAY)
    ticket = await get_ticket(sim_http, ticket_id)
    assert (ticket["status_id"], ticket["closed_reason"]) == (6, 3)


async def test_an_injected_clock_ages_tickets(sim_config: Any) -> None:
    from invgate_sim import create_app
    from tests.support.sim_fixtures import SIM_API_KEY, SIM_API_URL, SIM_API_USER

    now = [1_800_000_000.0]
    app = create_app(sim_config.with_changes(clock=lambda: now[0]))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url=SIM_API_URL, auth=(SIM_API_USER, SIM_API_KEY)
    ) as http:
        _, ticket_id = await _ticket(http)
        assert (await get_ticket(http, ticket_id))["created_at"] == 1_800_000_000
        await _solve(http, ticket_id)
        now[0] += 8 * DAY
        assert (await get_ticket(http, ticket_id))["closed_reason"] == 2
