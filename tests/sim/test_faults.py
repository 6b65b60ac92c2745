"""Fault injection: every kind, in-process; `test_socket.py` repeats the ones a socket changes."""

from __future__ import annotations

import anyio
import httpx
import pytest
from fastapi import FastAPI

from invgate_sim import Simulator
from invgate_sim.mail.rules import MailEvent
from tests.sim.helpers import create_customer, create_ticket, ticket_form


def sim_of(app: FastAPI) -> Simulator:
    sim: Simulator = app.state.sim
    return sim


async def test_fail_next_fails_exactly_n_calls_then_recovers(
    sim_http: httpx.AsyncClient, sim_app: FastAPI
) -> None:
    sim_of(sim_app).faults.fail_next(2, status=502)
    statuses = [(await sim_http.get("sd.version")).status_code for _ in range(3)]
    assert statuses == [502, 502, 200]
    assert [entry.status for entry in sim_of(sim_app).request_log] == [502, 502, 200]


async def test_fail_next_can_target_one_endpoint_and_method(
    sim_http: httpx.AsyncClient, sim_app: FastAPI
) -> None:
    customer = await create_customer(sim_http)
    sim_of(sim_app).faults.fail_next(1, status=500, endpoint="incident", method="POST")
    assert (await sim_http.get("incident", params={"id": 1})).status_code == 200  # GET is not targeted
    failed = await sim_http.post("incident", data=ticket_form(customer["id"]))
    assert failed.status_code == 500 and failed.json() == {"error": "Simulated failure", "status": 500}
    assert sim_of(sim_app).tickets == {}  # a failed call does no work
    assert (await sim_http.post("incident", data=ticket_form(customer["id"]))).status_code == 200


async def test_fail_randomly_fails_about_the_given_share_repeatably(
    sim_http: httpx.AsyncClient, sim_app: FastAPI
) -> None:
    async def statuses() -> list[int]:
        sim_of(sim_app).faults.clear()
        sim_of(sim_app).faults.fail_randomly(0.3, status=503, endpoint="sd.version", seed=42)
        return [(await sim_http.get("sd.version")).status_code for _ in range(200)]

    first = await statuses()
    failed = first.count(503)
    assert 40 <= failed <= 80 and set(first) == {200, 503}
    assert await statuses() == first  # same seed, same sequence
    assert (await sim_http.get("helpdesks")).status_code == 200  # other endpoints untouched


async def test_fail_randomly_is_armed_over_the_admin_api(sim_app: FastAPI) -> None:
    transport = httpx.ASGITransport(app=sim_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://invgate.test") as admin:
        armed = await admin.post("/_sim/faults", json={"kind": "fail_randomly", "rate": 0.5, "seed": 1})
        assert armed.status_code == 201
        assert [fault["kind"] for fault in (await admin.get("/_sim/faults")).json()] == ["fail_randomly"]
        refused = await admin.post("/_sim/faults", json={"kind": "fail_randomly", "rate": 1.5})
        assert refused.status_code == 422


@pytest.mark.parametrize("rate", [0.0, 1.0, -0.1])
def test_fail_randomly_refuses_nonsense(sim_app: FastAPI, rate: float) -> None:
    with pytest.raises(ValueError):
        sim_of(sim_app).faults.fail_randomly(rate)


@pytest.mark.parametrize(("n", "status"), [(0, 503), (1, 200), (1, 600)])
def test_fail_next_refuses_nonsense(sim_app: FastAPI, n: int, status: int) -> None:
    with pytest.raises(ValueError):
        sim_of(sim_app).faults.fail_next(n, status=status)


async def test_drop_reply_after_commit_does_the_work_but_breaks_the_reply(
    sim_http: httpx.AsyncClient, sim_app: FastAPI
) -> None:
    customer = await create_customer(sim_http)
    sim_of(sim_app).faults.drop_reply_after_commit(1, endpoint="incident")
    with pytest.raises(httpx.RemoteProtocolError):
        await sim_http.post("incident", data=ticket_form(customer["id"]))
    assert len(sim_of(sim_app).tickets) == 1  # committed
    assert sim_of(sim_app).requests_to("incident", "POST")[-1].status == 200
    assert await create_ticket(sim_http, customer["id"])  # only the next call was affected


async def test_drop_reply_leaves_other_endpoints_alone(sim_http: httpx.AsyncClient, sim_app: FastAPI) -> None:
    sim_of(sim_app).faults.drop_reply_after_commit(1, endpoint="incident.comment")
    assert (await sim_http.get("helpdesks")).status_code == 200


async def test_latency_holds_back_matching_calls_only(sim_http: httpx.AsyncClient, sim_app: FastAPI) -> None:
    sim_of(sim_app).faults.add_latency(30, endpoint="helpdesks")
    # Bounds far from any real duration: a 30 s delay cannot finish in 0.2 s, and an undelayed
    # in-process call does not take 10 s.
    with pytest.raises(TimeoutError), anyio.fail_after(0.2):
        await sim_http.get("helpdesks")
    with anyio.fail_after(10):
        assert (await sim_http.get("sd.version")).status_code == 200


@pytest.mark.parametrize("seconds", [-1, 601])
def test_latency_refuses_nonsense(sim_app: FastAPI, seconds: float) -> None:
    with pytest.raises(ValueError):
        sim_of(sim_app).faults.add_latency(seconds)


async def test_outage_answers_503_until_the_window_ends(
    sim_http: httpx.AsyncClient, sim_app: FastAPI
) -> None:
    sim = sim_of(sim_app)
    sim.faults.outage(120)
    during = await sim_http.get("sd.version")
    assert during.status_code == 503
    sim.advance_clock(121)
    assert (await sim_http.get("sd.version")).status_code == 200


async def test_outage_until_a_timestamp_and_before_auth(sim_app: FastAPI) -> None:
    sim = sim_of(sim_app)
    sim.faults.outage_until(sim.now() + 60)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=sim_app), base_url="http://invgate.test"
    ) as anon:
        assert (await anon.get("/api/v1/helpdesks")).status_code == 503


async def test_clear_removes_every_fault(sim_http: httpx.AsyncClient, sim_app: FastAPI) -> None:
    faults = sim_of(sim_app).faults
    faults.fail_next(5)
    faults.add_latency(10)
    faults.drop_reply_after_commit(3)
    faults.outage(100)
    assert {fault["kind"] for fault in faults.describe()} == {"fail_next", "latency", "drop_reply", "outage"}
    faults.clear()
    assert faults.describe() == []
    assert (await sim_http.get("sd.version")).status_code == 200


async def test_reset_restores_the_seed_and_clears_logs_faults_and_mails(
    sim_http: httpx.AsyncClient, sim_app: FastAPI
) -> None:
    sim = sim_of(sim_app)
    customer = await create_customer(sim_http)
    await create_ticket(sim_http, customer["id"])
    sim.faults.fail_next(3)
    sim.set_notification("ticket_created", False)
    sim.reset()
    assert sim.tickets == {} and customer["id"] not in sim.users
    assert sim.request_log == [] and sim.mails_sent == [] and sim.faults.describe() == []
    assert sim.notifications[MailEvent.TICKET_CREATED] is True
    assert (await sim_http.get("sd.version")).status_code == 200
