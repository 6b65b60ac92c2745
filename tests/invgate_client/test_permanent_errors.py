"""Every permanent error class, produced by the simulator as InvGate produces it.

404/405/428-by-wrong-name cannot come from the client's own operations (they use the right names),
so those tests drive the HTTP layer directly with the mistakes clients are known to make.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from cna_relay.invgate import (
    BasicCredentials,
    InvGateAuthError,
    InvGateError,
    InvGateMethodNotAllowed,
    InvGateMissingParameter,
    InvGateNotFound,
    InvGatePermanentError,
    Secret,
)
from cna_relay.invgate.endpoints import Call
from cna_relay.invgate.http import InvGateHttp
from invgate_sim import SimConfig, Simulator

from .support import IN_PROCESS_URL, TEST_TIMEOUTS, in_process_client


@pytest.fixture
async def http(sim_app: FastAPI, sim_config: SimConfig) -> AsyncIterator[InvGateHttp]:
    wire = InvGateHttp(
        base_url=IN_PROCESS_URL,
        credentials=BasicCredentials(sim_config.api_user, Secret(sim_config.api_key)),
        timeouts=TEST_TIMEOUTS,
        transport=httpx.ASGITransport(app=sim_app),
        correlation_id=lambda: None,
        clock=lambda: 0.0,
    )
    yield wire
    await wire.aclose()


@pytest.mark.parametrize(
    ("call", "params", "error_class", "status"),
    [
        (Call("incident.by.customer", "GET"), {"id": 1}, InvGateNotFound, 404),  # the singular typo
        (Call("incident.reassign", "GET"), {"request_id": 1}, InvGateMethodNotAllowed, 405),
        (Call("incident.comment", "GET"), {"id": 1}, InvGateMissingParameter, 428),  # `id` for `request_id`
        (Call("incidents", "GET"), {"ids": "1,2"}, InvGateMissingParameter, 428),  # comma string, no array
        (Call("incidents", "GET"), {"ids[]": (1,), "page": 1}, InvGateMissingParameter, 428),
    ],
)
async def test_known_client_mistakes_are_permanent_errors(
    http: InvGateHttp, call: Call, params: dict[str, object], error_class: type[InvGateError], status: int
) -> None:
    with pytest.raises(error_class) as caught:
        await http.call(call, params)  # type: ignore[arg-type]
    assert isinstance(caught.value, InvGatePermanentError)
    assert caught.value.status_code == status
    assert call.endpoint in str(caught.value)


async def test_an_id_only_in_a_put_body_is_missing(sim_app: FastAPI, sim_config: SimConfig) -> None:
    # What the client never does, shown to fail: PUT parameters belong in the query string.
    auth = httpx.BasicAuth(sim_config.api_user, sim_config.api_key)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=sim_app), base_url=IN_PROCESS_URL) as raw:
        reply = await raw.put("user.disable", json={"id": 1}, auth=auth)
    assert reply.status_code == 428


async def test_wrong_api_key_is_an_auth_error_tried_once(sim_app: FastAPI, sim: Simulator) -> None:
    wrong = BasicCredentials(sim.config.api_user, Secret("not-the-key"))
    async with in_process_client(sim_app, wrong) as client:
        with pytest.raises(InvGateAuthError) as caught:
            await client.helpdesks()
    assert caught.value.status_code == 401
    assert [r.status for r in sim.request_log] == [401]
