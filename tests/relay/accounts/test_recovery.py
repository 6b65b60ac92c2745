"""Password reset by mailed code, and password change while logged in."""

from __future__ import annotations

from typing import Any

from tests.relay.accounts.helpers import (
    OTHER_PASSWORD,
    PASSWORD,
    assert_problem,
    bearer,
    last_code,
    mails_to,
    sign_up,
    verified_citizen,
)
from tests.support.clock import FakeClock
from tests.support.relay_fixtures import RelayHarness


async def ask_reset(relay: RelayHarness, email: str) -> Any:
    response = await relay.client.post("/v1/auth/password-reset", json={"email": email})
    await relay.drain()
    return response


async def confirm(relay: RelayHarness, email: str, code: str, new_password: str = OTHER_PASSWORD) -> Any:
    return await relay.client.post(
        "/v1/auth/password-reset/confirm", json={"email": email, "code": code, "new_password": new_password}
    )


async def log_in(relay: RelayHarness, email: str, password: str) -> Any:
    return await relay.client.post("/v1/auth/login", json={"email": email, "password": password})


async def test_reset_by_mailed_code_sets_the_new_password_and_ends_other_sessions(
    relay: RelayHarness,
) -> None:
    old = await verified_citizen(relay, "forgot@example.be")
    response = await ask_reset(relay, "forgot@example.be")
    assert response.status_code == 202
    mail = mails_to(relay, "forgot@example.be")[-1]
    assert "wachtwoord" in str(mail["Subject"]).lower()

    done = await confirm(relay, "forgot@example.be", last_code(relay, "forgot@example.be"))
    assert done.status_code == 200 and done.json()["account"]["email"] == "forgot@example.be"
    assert (await relay.client.get("/v1/me", headers=bearer(done.json()))).status_code == 200
    assert_problem(await relay.client.get("/v1/me", headers=bearer(old)), 401, "session_revoked")
    assert_problem(await log_in(relay, "forgot@example.be", PASSWORD), 401, "invalid_credentials")
    assert (await log_in(relay, "forgot@example.be", OTHER_PASSWORD)).status_code == 200


async def test_reset_answers_the_same_for_unknown_addresses_and_mails_nothing(relay: RelayHarness) -> None:
    await verified_citizen(relay, "someone@example.be")
    before = len(relay.mail.messages())
    known = await ask_reset(relay, "someone@example.be")
    unknown = await ask_reset(relay, "nobody-here@example.be")
    assert known.status_code == unknown.status_code == 202
    assert known.content == unknown.content
    assert len(relay.mail.messages()) == before + 1


async def test_reset_code_must_be_right_and_fresh(clocked_relay: RelayHarness, clock: FakeClock) -> None:
    relay = clocked_relay
    await verified_citizen(relay, "strict@example.be")
    await ask_reset(relay, "strict@example.be")
    code = last_code(relay, "strict@example.be")
    wrong = f"{(int(code) + 7) % 1_000_000:06d}"
    assert_problem(await confirm(relay, "strict@example.be", wrong), 422, "invalid_code")
    clock.advance(16 * 60)
    assert_problem(await confirm(relay, "strict@example.be", code), 422, "code_expired")
    assert (await log_in(relay, "strict@example.be", PASSWORD)).status_code == 200


async def test_a_verification_code_is_no_reset_code(relay: RelayHarness) -> None:
    await sign_up(relay, "mixup@example.be")
    code = last_code(relay, "mixup@example.be")
    assert_problem(await confirm(relay, "mixup@example.be", code), 422, "invalid_code")


async def test_reset_with_a_weak_password_names_each_unmet_rule(relay: RelayHarness) -> None:
    await verified_citizen(relay, "weak@example.be")
    await ask_reset(relay, "weak@example.be")
    response = await confirm(relay, "weak@example.be", last_code(relay, "weak@example.be"), "kort")
    body = assert_problem(response, 422, "weak_password")
    codes = {error["code"] for error in body["errors"]}
    assert codes == {
        "password_rule.min_length",
        "password_rule.uppercase",
        "password_rule.digit",
        "password_rule.symbol",
    }
    assert {error["field"] for error in body["errors"]} == {"new_password"}


async def test_reset_proves_the_address_of_an_unverified_account(relay: RelayHarness) -> None:
    await sign_up(relay, "never@example.be")
    await ask_reset(relay, "never@example.be")
    done = await confirm(relay, "never@example.be", last_code(relay, "never@example.be"))
    assert done.status_code == 200 and done.json()["account"]["email_verified"] is True
    await relay.drain()
    assert any(user.email == "never@example.be" for user in relay.sim.users.values())


async def test_password_change_needs_the_current_password_and_renews_the_session(relay: RelayHarness) -> None:
    pair = await verified_citizen(relay, "change@example.be")
    other = (await log_in(relay, "change@example.be", PASSWORD)).json()
    wrong = await relay.client.post(
        "/v1/me/password",
        json={"current_password": "Niet-Het-Mijne-9", "new_password": OTHER_PASSWORD},
        headers=bearer(pair) | {"Accept-Language": "en"},
    )
    body = assert_problem(wrong, 422, "validation_error")
    assert body["errors"] == [
        {"field": "current_password", "code": "wrong_password", "message": "This password is not correct."}
    ]

    changed = await relay.client.post(
        "/v1/me/password",
        json={"current_password": PASSWORD, "new_password": OTHER_PASSWORD},
        headers=bearer(pair),
    )
    assert changed.status_code == 200
    assert (await relay.client.get("/v1/me", headers=bearer(changed.json()))).status_code == 200
    for ended in (pair, other):
        assert_problem(await relay.client.get("/v1/me", headers=bearer(ended)), 401, "session_revoked")
    assert (await log_in(relay, "change@example.be", OTHER_PASSWORD)).status_code == 200


async def test_password_change_refuses_a_password_containing_the_address(relay: RelayHarness) -> None:
    pair = await verified_citizen(relay, "pieter.janssens@example.be")
    response = await relay.client.post(
        "/v1/me/password",
        json={"current_password": PASSWORD, "new_password": "Janssens-2024!x"},
        headers=bearer(pair),
    )
    body = assert_problem(response, 422, "weak_password")
    assert [error["code"] for error in body["errors"]] == ["password_rule.not_email"]
