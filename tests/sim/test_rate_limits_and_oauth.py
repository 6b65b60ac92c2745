"""Per-minute rate limits (429) and OAuth2 client credentials with per-endpoint scopes (403)."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from invgate_sim import OAuthClient, SimConfig, create_app
from invgate_sim.config import PRO_PLAN_RATE_LIMITS
from tests.support.sim_fixtures import SIM_API_KEY, SIM_API_URL, SIM_API_USER

TOKEN_URL = "http://invgate.test/oauth/v2.0/access_token"


def client(app: FastAPI, **kwargs: object) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=SIM_API_URL, **kwargs)  # type: ignore[arg-type]


def test_the_default_limits_are_the_pro_plan() -> None:
    assert SimConfig().rate_limits == {
        "*": 1000,
        "POST incident": 100,
        "PUT incident": 100,
        "GET incident": 150,
        "GET incidents": 75,
    }
    assert dict(PRO_PLAN_RATE_LIMITS) == SimConfig().rate_limits


async def test_the_endpoint_limit_answers_429_with_retry_after_then_recovers(sim_config: SimConfig) -> None:
    app = create_app(sim_config.with_changes(rate_limits={"GET incident": 3}))
    async with client(app, auth=(SIM_API_USER, SIM_API_KEY)) as http:
        statuses = [(await http.get("incident", params={"id": 1})).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        limited = await http.get("incident", params={"id": 1})
        assert limited.json() == {"error": "Too Many Requests", "status": 429}
        assert 1 <= int(limited.headers["Retry-After"]) <= 60
        assert (await http.get("incidents", params={"ids[]": 1})).status_code == 200  # other endpoints go on
        app.state.sim.advance_clock(61)
        assert (await http.get("incident", params={"id": 1})).status_code == 200


async def test_the_whole_api_budget_counts_every_endpoint(sim_config: SimConfig) -> None:
    app = create_app(sim_config.with_changes(rate_limits={"*": 2}))
    async with client(app, auth=(SIM_API_USER, SIM_API_KEY)) as http:
        assert (await http.get("helpdesks")).status_code == 200
        assert (await http.get("sd.version")).status_code == 200
        assert (await http.get("categories")).status_code == 429


async def test_retry_after_can_be_left_out(sim_config: SimConfig) -> None:
    app = create_app(sim_config.with_changes(rate_limits={"*": 1}, retry_after_header=False))
    async with client(app, auth=(SIM_API_USER, SIM_API_KEY)) as http:
        await http.get("helpdesks")
        limited = await http.get("helpdesks")
    assert limited.status_code == 429 and "Retry-After" not in limited.headers


async def test_rate_limits_can_be_switched_off(sim_config: SimConfig) -> None:
    app = create_app(sim_config.with_changes(rate_limits=None))
    async with client(app, auth=(SIM_API_USER, SIM_API_KEY)) as http:
        statuses = {(await http.get("incident", params={"id": 1})).status_code for _ in range(200)}
    assert statuses == {200}


async def test_unauthenticated_calls_do_not_use_up_the_budget(sim_config: SimConfig) -> None:
    app = create_app(sim_config.with_changes(rate_limits={"*": 1}))
    async with client(app) as anon:
        for _ in range(3):
            assert (await anon.get("helpdesks")).status_code == 401
    async with client(app, auth=(SIM_API_USER, SIM_API_KEY)) as http:
        assert (await http.get("helpdesks")).status_code == 200


def oauth_app(sim_config: SimConfig, scopes: frozenset[str] | None = None) -> FastAPI:
    clients = {"cna-relay": OAuthClient(secret="s3cret", scopes=scopes)}
    return create_app(sim_config.with_changes(oauth_clients=clients))


async def _token(http: httpx.AsyncClient, scope: str, secret: str = "s3cret") -> httpx.Response:
    data = {
        "grant_type": "client_credentials",
        "client_id": "cna-relay",
        "client_secret": secret,
        "scope": scope,
    }
    return await http.post(TOKEN_URL, data=data)


async def test_a_token_with_the_scope_may_call_that_endpoint_and_method_only(sim_config: SimConfig) -> None:
    app = oauth_app(sim_config)
    async with client(app) as http:
        token = (await _token(http, "api.v1.helpdesks:get api.v1.incident:post")).json()
        assert token["token_type"] == "Bearer" and token["expires_in"] == 3600
        auth = {"Authorization": f"Bearer {token['access_token']}"}
        assert (await http.get("helpdesks", headers=auth)).status_code == 200
        denied = await http.get("categories", headers=auth)
        assert denied.status_code == 403 and "api.v1.categories:get" in denied.json()["error"]
        assert (await http.get("incident", params={"id": 1}, headers=auth)).status_code == 403
    assert app.state.sim.request_log[-1].auth == "bearer"


async def test_a_token_without_scopes_is_refused_everywhere(sim_config: SimConfig) -> None:
    app = oauth_app(sim_config)
    async with client(app) as http:
        token = (await _token(http, "")).json()["access_token"]
        assert (await http.get("helpdesks", headers={"Authorization": f"Bearer {token}"})).status_code == 403


async def test_a_client_only_gets_the_scopes_it_was_granted(sim_config: SimConfig) -> None:
    app = oauth_app(sim_config, scopes=frozenset({"api.v1.helpdesks:get"}))
    async with client(app) as http:
        token = (await _token(http, "api.v1.helpdesks:get api.v1.user:post")).json()
        assert token["scope"] == "api.v1.helpdesks:get"
        auth = {"Authorization": f"Bearer {token['access_token']}"}
        assert (await http.post("user", headers=auth, data={"name": "a"})).status_code == 403


async def test_tokens_expire(sim_config: SimConfig) -> None:
    app = oauth_app(sim_config)
    async with client(app) as http:
        token = (await _token(http, "api.v1.helpdesks:get")).json()["access_token"]
        app.state.sim.advance_clock(3601)
        expired = await http.get("helpdesks", headers={"Authorization": f"Bearer {token}"})
    assert expired.status_code == 401 and "WWW-Authenticate" in expired.headers


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (
            {"grant_type": "client_credentials", "client_id": "cna-relay", "client_secret": "wrong"},
            "invalid_client",
        ),
        (
            {"grant_type": "client_credentials", "client_id": "nobody", "client_secret": "s3cret"},
            "invalid_client",
        ),
        (
            {"grant_type": "password", "client_id": "cna-relay", "client_secret": "s3cret"},
            "unsupported_grant_type",
        ),
        ({}, "unsupported_grant_type"),
    ],
)
async def test_token_errors_come_back_as_200_with_an_error_field(
    sim_config: SimConfig, data: dict[str, str], error: str
) -> None:
    app = oauth_app(sim_config)
    async with client(app) as http:
        response = await http.post(TOKEN_URL, data=data)
    assert response.status_code == 200
    assert response.json()["error"] == error and "access_token" not in response.json()
    assert all("client_secret" not in entry.params for entry in app.state.sim.request_log)


async def test_the_token_error_status_is_configurable(sim_config: SimConfig) -> None:
    app = create_app(sim_config.with_changes(oauth_error_status=401))
    async with client(app) as http:
        response = await _token(http, "x")
    assert response.status_code == 401
