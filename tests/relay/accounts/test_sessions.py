"""Log-in, tokens, refresh rotation and replay, log-out, and the route dependencies."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from cna_relay.accounts.deps import AuthSession, CurrentSession, StaffSession, VerifiedSession
from cna_relay.accounts.models import Account
from tests.relay.accounts.helpers import PASSWORD, assert_problem, bearer, sign_up, verified_citizen
from tests.support.clock import FakeClock
from tests.support.databases import sqlite_url
from tests.support.relay_fixtures import RelayHarness, running_relay


async def log_in(relay: RelayHarness, email: str, password: str = PASSWORD, language: str = "nl") -> Any:
    return await relay.client.post(
        "/v1/auth/login", json={"email": email, "password": password}, headers={"Accept-Language": language}
    )


async def refresh(relay: RelayHarness, token: str) -> Any:
    return await relay.client.post("/v1/auth/refresh", json={"refresh_token": token})


async def test_log_in_returns_a_working_token_pair(relay: RelayHarness) -> None:
    await verified_citizen(relay, "login@example.be")
    response = await log_in(relay, "LOGIN@Example.BE")
    assert response.status_code == 200
    pair = response.json()
    assert pair["account"]["email"] == "login@example.be" and pair["account"]["role"] == "citizen"
    assert pair["access_token"] != pair["refresh_token"] and len(pair["access_token"]) == 43
    assert (await relay.client.get("/v1/me", headers=bearer(pair))).status_code == 200


async def test_unknown_address_and_wrong_password_get_the_same_answer(relay: RelayHarness) -> None:
    await verified_citizen(relay, "same@example.be")
    wrong = await log_in(relay, "same@example.be", "Verkeerd-Wachtwoord-1", "fr")
    unknown = await log_in(relay, "niemand@example.be", PASSWORD, "fr")
    assert_problem(wrong, 401, "invalid_credentials")
    assert (wrong.status_code, wrong.json()) == (unknown.status_code, unknown.json())
    assert wrong.json()["title"] == "Connexion impossible"


async def test_refresh_rotates_both_tokens(relay: RelayHarness) -> None:
    pair = await verified_citizen(relay, "rotate@example.be")
    response = await refresh(relay, pair["refresh_token"])
    assert response.status_code == 200
    new = response.json()
    assert new["refresh_token"] != pair["refresh_token"] and new["access_token"] != pair["access_token"]
    assert (await relay.client.get("/v1/me", headers=bearer(new))).status_code == 200
    again = await refresh(relay, new["refresh_token"])
    assert again.status_code == 200


async def test_a_replayed_refresh_token_ends_the_whole_session(relay: RelayHarness) -> None:
    pair = await verified_citizen(relay, "replay@example.be")
    rotated = (await refresh(relay, pair["refresh_token"])).json()
    assert_problem(await refresh(relay, pair["refresh_token"]), 401, "session_revoked")
    # the thief's replay also locks out the holder of the current tokens: the session is gone
    assert_problem(await relay.client.get("/v1/me", headers=bearer(rotated)), 401, "session_revoked")
    assert_problem(await refresh(relay, rotated["refresh_token"]), 401, "session_revoked")
    # other sessions of the account are not affected
    assert (await log_in(relay, "replay@example.be")).status_code == 200


async def test_an_expired_access_token_is_refused_and_refresh_still_works(
    clocked_relay: RelayHarness, clock: FakeClock
) -> None:
    relay = clocked_relay
    pair = await verified_citizen(relay, "expire@example.be")
    clock.advance(15 * 60 + 1)
    assert_problem(await relay.client.get("/v1/me", headers=bearer(pair)), 401, "unauthorized")
    assert (await refresh(relay, pair["refresh_token"])).status_code == 200


async def test_an_expired_refresh_token_ends_the_session(
    clocked_relay: RelayHarness, clock: FakeClock
) -> None:
    relay = clocked_relay
    pair = await verified_citizen(relay, "old@example.be")
    clock.advance(30 * 24 * 3600 + 1)
    assert_problem(await refresh(relay, pair["refresh_token"]), 401, "session_revoked")


async def test_tampered_and_foreign_tokens_are_refused(relay: RelayHarness) -> None:
    pair = await verified_citizen(relay, "tamper@example.be")
    token: str = pair["access_token"]
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    for header in (
        f"Bearer {flipped}",
        f"Bearer {token[:-1]}",
        f"Bearer {token}x",
        f"Bearer {pair['refresh_token']}",  # a refresh token is not an access token
        f"Basic {token}",
        f"Bearer {token}\x00",
        "Bearer " + "A" * 5000,
        "Bearer",
        "",
    ):
        response = await relay.client.get("/v1/me", headers={"Authorization": header} if header else {})
        assert_problem(response, 401, "unauthorized")
        assert response.headers["www-authenticate"] == "Bearer"
    assert_problem(await refresh(relay, pair["access_token"]), 401, "unauthorized")
    assert_problem(await refresh(relay, "x" * 10_000), 401, "unauthorized")


async def test_logout_ends_only_this_session(relay: RelayHarness) -> None:
    pair = await verified_citizen(relay, "logout@example.be")
    other = (await log_in(relay, "logout@example.be")).json()
    assert (await relay.client.post("/v1/auth/logout", headers=bearer(pair))).status_code == 204
    assert_problem(await relay.client.get("/v1/me", headers=bearer(pair)), 401, "session_revoked")
    assert_problem(await refresh(relay, pair["refresh_token"]), 401, "session_revoked")
    assert (await relay.client.get("/v1/me", headers=bearer(other))).status_code == 200


async def test_logout_everywhere_ends_every_session(relay: RelayHarness) -> None:
    first = await verified_citizen(relay, "everywhere@example.be")
    second = (await log_in(relay, "everywhere@example.be")).json()
    assert (await relay.client.post("/v1/auth/logout-all", headers=bearer(second))).status_code == 204
    for pair in (first, second):
        assert_problem(await relay.client.get("/v1/me", headers=bearer(pair)), 401, "session_revoked")
        assert_problem(await refresh(relay, pair["refresh_token"]), 401, "session_revoked")
    assert (await log_in(relay, "everywhere@example.be")).status_code == 200


def mount_probe_routes(relay: RelayHarness) -> None:
    """Routes guarded by each dependency, as other domains use them."""

    async def current(caller: CurrentSession) -> dict[str, Any]:
        return describe(caller)

    async def verified(caller: VerifiedSession) -> dict[str, Any]:
        return describe(caller)

    async def staff(caller: StaffSession) -> dict[str, Any]:
        return describe(caller)

    relay.app.add_api_route("/probe/current", current)
    relay.app.add_api_route("/probe/verified", verified)
    relay.app.add_api_route("/probe/staff", staff)


def describe(caller: AuthSession) -> dict[str, Any]:
    return {"account_id": caller.account_id, "role": caller.role, "verified": caller.email_verified}


async def test_dependencies_guard_by_verification_and_role(relay: RelayHarness) -> None:
    mount_probe_routes(relay)
    await sign_up(relay, "unverified@example.be")
    unverified = (await log_in(relay, "unverified@example.be")).json()
    citizen = await verified_citizen(relay, "citizen@example.be", language="en")

    assert (await relay.client.get("/probe/current", headers=bearer(unverified))).json()["verified"] is False
    body = assert_problem(
        await relay.client.get("/probe/verified", headers=bearer(unverified)), 403, "email_not_verified"
    )
    assert body["title"] == "E-mailadres nog niet bevestigd"
    verified = await relay.client.get("/probe/verified", headers=bearer(citizen))
    assert verified.json() == {"account_id": citizen["account"]["id"], "role": "citizen", "verified": True}
    assert_problem(await relay.client.get("/probe/staff", headers=bearer(citizen)), 403, "forbidden")
    assert_problem(await relay.client.get("/probe/current"), 401, "unauthorized")


async def test_log_in_rehashes_a_password_made_with_older_parameters(
    sim_app: Any, sim_config: Any, mail_sink: Any, tmp_path: Path
) -> None:
    url = sqlite_url(tmp_path)
    parts = {"sim_app": sim_app, "sim_config": sim_config, "mail_sink": mail_sink, "database_url": url}
    async with running_relay(**parts) as relay:
        await verified_citizen(relay, "rehash@example.be")
        old_hash = await stored_hash(relay)
    async with running_relay(**parts, argon2_time_cost=2) as relay:
        assert (await log_in(relay, "rehash@example.be")).status_code == 200
        new_hash = await stored_hash(relay)
        assert new_hash != old_hash and ",t=2," in new_hash
        assert (await log_in(relay, "rehash@example.be")).status_code == 200
        assert await stored_hash(relay) == new_hash  # rehashed once, not at every log-in


async def stored_hash(relay: RelayHarness) -> str:
    async with relay.context.db.sessions() as session:
        value = (await session.execute(select(Account.password_hash))).scalar_one()
    assert value is not None
    return value
