"""The `/_sim/` admin API (only when enabled)."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from invgate_sim import SimConfig, create_app
from tests.sim.helpers import create_customer, create_ticket


@pytest.fixture
async def admin(sim_app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=sim_app), base_url="http://invgate.test/_sim/")


async def test_admin_is_absent_unless_enabled(sim_config: SimConfig) -> None:
    app = create_app(sim_config.with_changes(admin_enabled=False))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://invgate.test"
    ) as http:
        for path in ("/_sim/tickets", "/_sim/requests", "/_sim/mails"):
            assert (await http.get(path)).status_code == 404
        assert (await http.post("/_sim/reset")).status_code == 404


@pytest.mark.parametrize(
    ("spec", "first_status"),
    [
        ({"kind": "fail_next", "n": 1, "status": 500, "endpoint": "sd.version"}, 500),
        ({"kind": "outage", "seconds": 30}, 503),
    ],
)
async def test_faults_over_http(
    admin: httpx.AsyncClient, sim_http: httpx.AsyncClient, spec: dict[str, object], first_status: int
) -> None:
    armed = await admin.post("faults", json=spec)
    assert armed.status_code == 201 and armed.json()["armed"][0]["kind"] == spec["kind"]
    assert (await sim_http.get("sd.version")).status_code == first_status
    assert (await admin.delete("faults")).json() == {"status": "cleared"}
    assert (await admin.get("faults")).json() == []
    assert (await sim_http.get("sd.version")).status_code == 200


async def test_drop_reply_and_latency_over_http(
    admin: httpx.AsyncClient, sim_http: httpx.AsyncClient
) -> None:
    assert (
        await admin.post("faults", json={"kind": "drop_reply", "endpoint": "sd.version"})
    ).status_code == 201
    assert (
        await admin.post("faults", json={"kind": "latency", "seconds": 0, "endpoint": "helpdesks"})
    ).status_code == 201
    with pytest.raises(httpx.RemoteProtocolError):
        await sim_http.get("sd.version")
    kinds = [fault["kind"] for fault in (await admin.get("faults")).json()]
    assert kinds == ["latency"]


@pytest.mark.parametrize(
    "spec",
    [
        {"kind": "explode"},
        {"kind": "fail_next", "n": 0},
        {"kind": "fail_next", "status": 200},
        {"kind": "outage"},
        {"kind": "latency", "seconds": -1},
        {},
    ],
)
async def test_bad_fault_specs_are_422(admin: httpx.AsyncClient, spec: dict[str, object]) -> None:
    assert (await admin.post("faults", json=spec)).status_code == 422


async def test_request_log_tickets_mails_and_reset(
    admin: httpx.AsyncClient, sim_http: httpx.AsyncClient
) -> None:
    customer = await create_customer(sim_http)
    ticket_id = await create_ticket(
        sim_http, customer["id"], files=[("attachments[]", ("a.png", b"x", "image/png"))]
    )
    log = (await admin.get("requests", params={"endpoint": "incident", "method": "post"})).json()
    assert [(entry["endpoint"], entry["files"], entry["status"]) for entry in log] == [
        ("incident", ["a.png"], 200)
    ]
    tickets = (await admin.get("tickets")).json()
    assert tickets[str(ticket_id)]["user_id"] == customer["id"]
    assert tickets[str(ticket_id)]["attachment_files"][0]["name"] == "a.png"
    mails = (await admin.get("mails")).json()
    assert [(m["event"], m["status"]) for m in mails] == [("ticket_created", "sent")]
    users = (await admin.get("users")).json()
    assert any(user["email"] == customer["email"] for user in users)
    assert (await admin.delete("requests")).json() == {"status": "cleared"}
    assert (await admin.post("reset")).json() == {"status": "reset"}
    assert (await admin.get("tickets")).json() == {}
    assert (await admin.get("requests")).json() == []


async def test_notification_rules_switch_over_http(admin: httpx.AsyncClient, sim_app: FastAPI) -> None:
    assert (await admin.get("notifications")).json()["ticket_created"] is True
    switched = await admin.put("notifications", json={"event": "ticket_created", "send": False})
    assert switched.json()["ticket_created"] is False
    both = await admin.put("notifications", json={"internal_comment": True, "ticket_created": True})
    assert both.json()["internal_comment"] is True and both.json()["ticket_created"] is True
    assert sim_app.state.sim.notifications["internal_comment"] is True


@pytest.mark.parametrize(
    "body",
    [{"event": "nope", "send": True}, {"ticket_created": "yes"}, {"event": "ticket_created", "send": 1}],
)
async def test_bad_notification_switches_are_422(admin: httpx.AsyncClient, body: dict[str, object]) -> None:
    assert (await admin.put("notifications", json=body)).status_code == 422


async def test_the_clock_advances_over_http(admin: httpx.AsyncClient, sim_app: FastAPI) -> None:
    before = sim_app.state.sim.now()
    response = await admin.post("clock", json={"advance_seconds": 3600})
    assert response.json()["now"] >= before + 3600
    assert (await admin.post("clock", json={"advance_seconds": -5})).status_code == 422
