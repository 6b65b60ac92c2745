"""OAuth2 client credentials against the simulator's token endpoint and per-endpoint scopes."""

from __future__ import annotations

import asyncio

import pytest
from fastapi import FastAPI

from cna_relay.invgate import (
    InvGateAuthError,
    InvGateForbidden,
    InvGatePermanentError,
    InvGateUnavailable,
    OAuthClientCredentials,
    Secret,
)
from cna_relay.invgate.endpoints import all_scopes
from invgate_sim import OAuthClient, SimConfig, Simulator, create_app

from .support import citizen, in_process_client, make_ticket

CLIENT_ID = "cna-relay"
CLIENT_SECRET = "oauth-s3cret-9d2e"
TOKEN_ENDPOINT = "oauth.access_token"


def _sim(scopes: frozenset[str] | None = None, **config: object) -> FastAPI:
    clients = {CLIENT_ID: OAuthClient(secret=CLIENT_SECRET, scopes=scopes)}
    return create_app(SimConfig(api_key="basic-key", oauth_clients=clients, **config))  # type: ignore[arg-type]


def _credentials(secret: str = CLIENT_SECRET, scopes: frozenset[str] | None = None) -> OAuthClientCredentials:
    return OAuthClientCredentials(CLIENT_ID, Secret(secret), scopes=scopes)


def _sim_of(app: FastAPI) -> Simulator:
    simulator: Simulator = app.state.sim
    return simulator


async def test_one_token_serves_many_calls_with_every_scope_asked_for() -> None:
    app = _sim()
    async with in_process_client(app, _credentials()) as client:
        customer = await client.create_external_user(citizen())
        ref = await client.create_ticket(make_ticket(customer.id))
        assert (await client.get_ticket(ref.id)).customer_id == customer.id
    sim = _sim_of(app)
    [token_request] = sim.requests_to(TOKEN_ENDPOINT)
    assert set(str(token_request.params["scope"]).split()) == all_scopes()
    assert "api.v1.incident:post" in all_scopes()
    assert {r.auth for r in sim.request_log if r.endpoint != TOKEN_ENDPOINT} == {"bearer"}


async def test_concurrent_calls_share_a_single_token_request() -> None:
    app = _sim()
    async with in_process_client(app, _credentials()) as client:
        results = await asyncio.gather(*(client.helpdesks() for _ in range(5)))
    assert all(results)
    assert len(_sim_of(app).requests_to(TOKEN_ENDPOINT)) == 1


async def test_a_token_without_the_endpoint_scope_is_forbidden_and_permanent() -> None:
    app = _sim(scopes=frozenset({"api.v1.helpdesks:get", "api.v1.user:post"}))
    async with in_process_client(app, _credentials()) as client:
        assert await client.helpdesks()
        customer = await client.create_external_user(citizen())
        with pytest.raises(InvGateForbidden, match=r"api\.v1\.incident:post") as caught:
            await client.create_ticket(make_ticket(customer.id))
    assert isinstance(caught.value, InvGatePermanentError)
    assert caught.value.status_code == 403
    sim = _sim_of(app)
    assert len(sim.requests_to(TOKEN_ENDPOINT)) == 1  # a new token would not have the scope either
    assert sim.tickets == {}


async def test_configured_scopes_are_the_only_ones_requested() -> None:
    app = _sim()
    scopes = frozenset({"api.v1.helpdesks:get"})
    async with in_process_client(app, _credentials(scopes=scopes)) as client:
        assert await client.helpdesks()
        with pytest.raises(InvGateForbidden):
            await client.categories()
    assert _sim_of(app).requests_to(TOKEN_ENDPOINT)[0].params["scope"] == "api.v1.helpdesks:get"


@pytest.mark.parametrize("error_status", [200, 400, 401])
async def test_a_refused_client_secret_is_an_auth_error(error_status: int) -> None:
    app = _sim(oauth_error_status=error_status)
    async with in_process_client(app, _credentials(secret="wrong-secret")) as client:
        with pytest.raises(InvGateAuthError, match="invalid_client"):
            await client.helpdesks()
    assert [r.endpoint for r in _sim_of(app).request_log] == [TOKEN_ENDPOINT]


async def test_an_expired_token_is_replaced_after_invgate_refuses_it() -> None:
    app = _sim(oauth_token_ttl=600)
    sim = _sim_of(app)
    async with in_process_client(app, _credentials()) as client:
        assert await client.helpdesks()
        sim.advance_clock(601)  # InvGate's clock says the token expired; ours does not know yet
        assert await client.helpdesks()
    assert [(r.endpoint, r.status) for r in sim.request_log] == [
        (TOKEN_ENDPOINT, 200),
        ("helpdesks", 200),
        ("helpdesks", 401),
        (TOKEN_ENDPOINT, 200),
        ("helpdesks", 200),
    ]


async def test_a_token_is_renewed_before_it_expires_by_our_clock() -> None:
    app = _sim(oauth_token_ttl=600)
    now = [1000.0]
    async with in_process_client(app, _credentials(), clock=lambda: now[0]) as client:
        assert await client.helpdesks()
        now[0] += 599  # within the renewal margin before expiry
        assert await client.helpdesks()
    sim = _sim_of(app)
    assert len(sim.requests_to(TOKEN_ENDPOINT)) == 2
    assert all(r.status == 200 for r in sim.request_log)


async def test_token_endpoint_outage_is_transient() -> None:
    app = _sim()
    _sim_of(app).faults.fail_next(1, status=503, endpoint=TOKEN_ENDPOINT)
    async with in_process_client(app, _credentials()) as client:
        with pytest.raises(InvGateUnavailable):
            await client.helpdesks()
        assert await client.helpdesks()
