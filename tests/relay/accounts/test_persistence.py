"""The flows that lean on the database, on SQLite and PostgreSQL alike; the schema as migrated."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, func, select

from cna_relay.accounts.models import Account
from cna_relay.db.base import Base
from cna_relay.db.engine import sync_url
from cna_relay.db.migrate import alembic_config, upgrade
from tests.relay.accounts.helpers import (
    PASSWORD,
    assert_problem,
    bearer,
    last_code,
    sign_up,
    sign_up_body,
    verified_citizen,
)
from tests.support.clock import FakeClock
from tests.support.databases import sqlite_url
from tests.support.relay_fixtures import RelayHarness, running_relay

ACCOUNT_TABLES = {"accounts", "account_codes", "auth_sessions", "access_tokens", "refresh_tokens"}


async def test_the_whole_life_of_an_account(any_db_relay: RelayHarness, clock: FakeClock) -> None:
    relay = any_db_relay
    pair = await verified_citizen(relay, "life@example.be", street="Markt 1")
    await relay.drain()
    rotated = (
        await relay.client.post("/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    ).json()
    patched = await relay.client.patch("/v1/me", json={"phone": "+32 51 00 00 00"}, headers=bearer(rotated))
    assert patched.status_code == 200
    await relay.drain()
    clock.advance(16 * 60)
    assert_problem(await relay.client.get("/v1/me", headers=bearer(rotated)), 401, "unauthorized")
    renewed = (
        await relay.client.post("/v1/auth/refresh", json={"refresh_token": rotated["refresh_token"]})
    ).json()
    replay = await relay.client.post("/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert_problem(replay, 401, "session_revoked")
    assert_problem(await relay.client.get("/v1/me", headers=bearer(renewed)), 401, "session_revoked")

    login = (
        await relay.client.post("/v1/auth/login", json={"email": "life@example.be", "password": PASSWORD})
    ).json()
    assert (
        await relay.client.post("/v1/me/delete", json={"password": PASSWORD}, headers=bearer(login))
    ).status_code == 204
    await relay.drain()
    user = next(u for u in relay.sim.users.values() if u.email == "life@example.be")
    assert user.profile["phone"] == "+32 51 00 00 00" and user.is_disabled
    entries = await relay.context.outbox.entries()
    assert {entry.kind for entry in entries} >= {"ensure_customer", "update_customer", "disable_customer"}
    assert all(entry.state == "sent" for entry in entries)


async def test_concurrent_sign_ups_for_one_address_make_one_account(any_db_relay: RelayHarness) -> None:
    relay = any_db_relay
    responses = await asyncio.gather(
        *(relay.client.post("/v1/accounts", json=sign_up_body("race@example.be")) for _ in range(4))
    )
    assert [response.status_code for response in responses] == [202] * 4
    async with relay.context.db.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Account)) == 1
    await relay.drain()
    code = last_code(relay, "race@example.be")
    assert (
        await relay.client.post("/v1/accounts/verify", json={"email": "race@example.be", "code": code})
    ).status_code == 200


async def test_concurrent_refreshes_with_one_token_rotate_once(any_db_relay: RelayHarness) -> None:
    relay = any_db_relay
    pair = await verified_citizen(relay, "twice@example.be")
    responses = await asyncio.gather(
        *(
            relay.client.post("/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
            for _ in range(3)
        )
    )
    assert sorted(response.status_code for response in responses) == [200, 401, 401]
    # the losers were replays: the session is over, also for the winner
    winner = next(response.json() for response in responses if response.status_code == 200)
    assert_problem(await relay.client.get("/v1/me", headers=bearer(winner)), 401, "session_revoked")


async def test_codes_and_limits_hold_on_both_backends(any_db_relay: RelayHarness, clock: FakeClock) -> None:
    relay = any_db_relay
    await sign_up(relay, "both@example.be")
    code = last_code(relay, "both@example.be")
    clock.advance(15 * 60 + 1)
    verify = await relay.client.post("/v1/accounts/verify", json={"email": "both@example.be", "code": code})
    assert_problem(verify, 422, "code_expired")
    for _ in range(9):
        await relay.client.post("/v1/accounts/verify", json={"email": "both@example.be", "code": "000000"})
    assert_problem(
        await relay.client.post("/v1/accounts/verify", json={"email": "both@example.be", "code": "000000"}),
        429,
        "rate_limited",
    )


def test_the_migration_creates_exactly_the_tables_of_the_models(database_url: str) -> None:
    upgrade(database_url, "0002_accounts")
    engine = create_engine(sync_url(database_url))
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    ours = [diff for diff in differences if any(table in repr(diff) for table in ACCOUNT_TABLES)]
    assert ours == []


def test_the_migration_downgrades_cleanly(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    upgrade(url, "0002_accounts")
    command.downgrade(alembic_config(url), "0001_core")
    engine = create_engine(sync_url(url))
    try:
        with engine.connect() as connection:
            tables = set(connection.dialect.get_table_names(connection))
    finally:
        engine.dispose()
    assert not tables & ACCOUNT_TABLES
    upgrade(url, "0002_accounts")


async def test_mail_outage_delays_the_code_but_does_not_lose_it(
    sim_app: Any, sim_config: Any, mail_sink: Any, tmp_path: Path, clock: FakeClock
) -> None:
    parts = {"sim_app": sim_app, "sim_config": sim_config, "mail_sink": mail_sink, "clock": clock}
    async with running_relay(**parts, database_url=sqlite_url(tmp_path), smtp_port=1) as relay:
        await sign_up(relay, "patient@example.be")
        [entry] = await relay.context.outbox.entries(kind="account_verification_mail")
        assert entry.state == "pending" and entry.attempts == 1 and entry.last_error
        assert relay.mail.messages() == []
    async with running_relay(**parts, database_url=sqlite_url(tmp_path)) as relay:
        clock.advance(60)
        await relay.drain()
        code = last_code(relay, "patient@example.be")
        verify = await relay.client.post(
            "/v1/accounts/verify", json={"email": "patient@example.be", "code": code}
        )
        assert verify.status_code == 200
