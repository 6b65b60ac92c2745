"""Deleting an account: sessions end, InvGate disables the customer, personal data is gone."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from cna_relay.accounts.models import Account, OneTimeCode
from cna_relay.accounts.service import account_service
from tests.relay.accounts.helpers import (
    PASSWORD,
    assert_problem,
    bearer,
    last_code,
    sign_up,
    verified_citizen,
)
from tests.support.relay_fixtures import RelayHarness


async def delete_me(relay: RelayHarness, pair: dict[str, Any], password: str = PASSWORD) -> Any:
    return await relay.client.post("/v1/me/delete", json={"password": password}, headers=bearer(pair))


async def test_deletion_disables_the_customer_and_erases_personal_data(relay: RelayHarness) -> None:
    pair = await verified_citizen(relay, "leave@example.be", phone="051 12 34 56", street="Markt 1")
    await relay.drain()
    user = next(u for u in relay.sim.users.values() if u.email == "leave@example.be")
    other = (
        await relay.client.post("/v1/auth/login", json={"email": "leave@example.be", "password": PASSWORD})
    ).json()

    assert (await delete_me(relay, pair)).status_code == 204
    await relay.drain()

    [disable] = relay.sim.requests_to("user.disable")
    assert disable.params["id"] == str(user.id) and disable.status == 200
    assert user.is_disabled and not user.is_deleted  # tickets already in ESM stay readable
    for ended in (pair, other):
        assert_problem(await relay.client.get("/v1/me", headers=bearer(ended)), 401, "session_revoked")
        assert_problem(
            await relay.client.post("/v1/auth/refresh", json={"refresh_token": ended["refresh_token"]}),
            401,
            "session_revoked",
        )
    async with relay.context.db.sessions() as session:
        account = (await session.execute(select(Account))).scalar_one()
        codes = list((await session.execute(select(OneTimeCode))).scalars())
    personal = (account.email, account.password_hash, account.first_name, account.last_name, account.phone)
    assert personal == (None,) * 5 and (account.street, account.postcode, account.municipality) == (None,) * 3
    assert account.deleted_at is not None and account.invgate_user_id == user.id and codes == []
    assert_problem(
        await relay.client.post("/v1/auth/login", json={"email": "leave@example.be", "password": PASSWORD}),
        401,
        "invalid_credentials",
    )


async def test_the_address_can_sign_up_again_after_deletion(relay: RelayHarness) -> None:
    pair = await verified_citizen(relay, "again@example.be")
    assert (await delete_me(relay, pair)).status_code == 204
    assert (await sign_up(relay, "again@example.be")).status_code == 202
    code = last_code(relay, "again@example.be")
    verify = await relay.client.post("/v1/accounts/verify", json={"email": "again@example.be", "code": code})
    assert verify.status_code == 200 and verify.json()["account"]["id"] != pair["account"]["id"]


async def test_deletion_needs_the_password(relay: RelayHarness) -> None:
    pair = await verified_citizen(relay, "keep@example.be")
    response = await delete_me(relay, pair, "Niet-Mijn-Wachtwoord-1")
    body = assert_problem(response, 422, "validation_error")
    assert body["errors"][0]["field"] == "password" and body["errors"][0]["code"] == "wrong_password"
    assert (await relay.client.get("/v1/me", headers=bearer(pair))).status_code == 200


async def test_deletion_hooks_run_inside_the_deletion(relay: RelayHarness) -> None:
    seen: list[tuple[str, bool]] = []

    async def forget_reports(session: AsyncSession, account_id: str) -> None:
        account = await session.get(Account, account_id)
        seen.append((account_id, account is not None and account.email is not None))

    account_service(relay.app).on_account_deleted.append(forget_reports)
    pair = await verified_citizen(relay, "hooked@example.be")
    assert (await delete_me(relay, pair)).status_code == 204
    assert seen == [(pair["account"]["id"], True)]  # before the personal data is erased


async def test_a_failing_hook_cancels_the_deletion(relay: RelayHarness) -> None:
    async def broken(session: AsyncSession, account_id: str) -> None:
        raise RuntimeError("reports store unavailable")

    account_service(relay.app).on_account_deleted.append(broken)
    pair = await verified_citizen(relay, "intact@example.be")
    response = await delete_me(relay, pair)
    assert_problem(response, 500, "internal_error")
    assert (await relay.client.get("/v1/me", headers=bearer(pair))).status_code == 200
    assert await relay.context.outbox.entries(kind="disable_customer") == []


async def test_deleting_an_unlinked_account_disables_nothing(relay: RelayHarness) -> None:
    await sign_up(relay, "unlinked@example.be")
    pair = (
        await relay.client.post("/v1/auth/login", json={"email": "unlinked@example.be", "password": PASSWORD})
    ).json()
    assert (await delete_me(relay, pair)).status_code == 204
    await relay.drain()
    assert relay.sim.requests_to("user.disable") == []
    [entry] = await relay.context.outbox.entries(kind="disable_customer")
    assert entry.state == "sent" and entry.result == {"skipped": "no InvGate user linked"}


async def test_an_internal_invgate_user_is_not_disabled(relay: RelayHarness) -> None:
    agent = relay.sim.integration_agent
    pair = await verified_citizen(relay, agent.email)
    await relay.drain()
    assert (await delete_me(relay, pair)).status_code == 204
    await relay.drain()
    assert relay.sim.requests_to("user.disable") == [] and not agent.is_disabled


async def test_a_profile_edit_still_queued_at_deletion_is_not_pushed(relay: RelayHarness) -> None:
    pair = await verified_citizen(relay, "quick@example.be")
    await relay.drain()
    await relay.client.patch("/v1/me", json={"street": "Nieuwe straat 9"}, headers=bearer(pair))
    assert (await delete_me(relay, pair)).status_code == 204
    await relay.drain()
    assert relay.sim.requests_to("user", "PUT")[-1].params.get("address") != "Nieuwe straat 9"
    [update] = await relay.context.outbox.entries(kind="update_customer")
    assert update.state == "sent" and update.result == {"skipped": "account deleted or unverified"}
