"""Brute force hits every abuse limit: 429 with `Retry-After`, in the caller's language."""

from __future__ import annotations

from typing import Any

from cna_relay.accounts import limits
from cna_relay.i18n import Catalog
from tests.relay.accounts.helpers import PASSWORD, assert_problem, bearer, sign_up_body, verified_citizen
from tests.support.clock import FakeClock
from tests.support.relay_fixtures import RelayHarness


def assert_limited(response: Any, language: str = "nl") -> None:
    body = assert_problem(response, 429, "rate_limited")
    wait = int(response.headers["retry-after"])
    assert wait >= 1
    assert body["detail"] == Catalog.bundled().text(language, "problem.rate_limited.detail", retry_after=wait)


async def test_log_in_is_limited_per_address_even_with_the_right_password(
    clocked_relay: RelayHarness, clock: FakeClock
) -> None:
    relay = clocked_relay
    await verified_citizen(relay, "target@example.be")
    login = {"email": "target@example.be", "password": "Raden-Maar-0!"}
    for _ in range(limits.LOGIN_PER_ADDRESS.hits):
        assert_problem(await relay.client.post("/v1/auth/login", json=login), 401, "invalid_credentials")
    right = await relay.client.post(
        "/v1/auth/login", json={**login, "password": PASSWORD}, headers={"Accept-Language": "fr"}
    )
    assert_limited(right, "fr")
    clock.advance(limits.LOGIN_PER_ADDRESS.window_s)
    assert (
        await relay.client.post("/v1/auth/login", json={**login, "password": PASSWORD})
    ).status_code == 200


async def test_a_successful_log_in_clears_the_address_counter(relay: RelayHarness) -> None:
    await verified_citizen(relay, "typo@example.be")
    for _ in range(limits.LOGIN_PER_ADDRESS.hits - 1):
        await relay.client.post(
            "/v1/auth/login", json={"email": "typo@example.be", "password": "Bijna-Goed-1"}
        )
    assert (
        await relay.client.post("/v1/auth/login", json={"email": "typo@example.be", "password": PASSWORD})
    ).status_code == 200
    wrong = await relay.client.post(
        "/v1/auth/login", json={"email": "typo@example.be", "password": "Bijna-Goed-1"}
    )
    assert_problem(wrong, 401, "invalid_credentials")


async def test_log_in_is_limited_per_ip_across_addresses(relay: RelayHarness) -> None:
    for n in range(limits.LOGIN_PER_IP.hits):
        response = await relay.client.post(
            "/v1/auth/login", json={"email": f"spray{n}@example.be", "password": PASSWORD}
        )
        assert_problem(response, 401, "invalid_credentials")
    assert_limited(
        await relay.client.post("/v1/auth/login", json={"email": "fresh@example.be", "password": PASSWORD})
    )


async def test_sign_up_is_limited_per_address(relay: RelayHarness) -> None:
    for _ in range(limits.SIGNUP_PER_ADDRESS.hits):
        assert (
            await relay.client.post("/v1/accounts", json=sign_up_body("flood@example.be"))
        ).status_code == 202
    assert_limited(await relay.client.post("/v1/accounts", json=sign_up_body("flood@example.be")))


async def test_sign_up_is_limited_per_ip(relay: RelayHarness) -> None:
    for n in range(limits.SIGNUP_PER_IP.hits):
        response = await relay.client.post("/v1/accounts", json=sign_up_body(f"bot{n}@example.be"))
        assert response.status_code == 202
    assert_limited(await relay.client.post("/v1/accounts", json=sign_up_body("one-more@example.be")))


async def test_code_entry_is_limited_per_address(relay: RelayHarness) -> None:
    await relay.client.post("/v1/accounts", json=sign_up_body("codes@example.be"))
    for n in range(limits.CODE_PER_ADDRESS.hits):
        response = await relay.client.post(
            "/v1/accounts/verify", json={"email": "codes@example.be", "code": f"{n:06d}"}
        )
        assert response.status_code == 422
    assert_limited(
        await relay.client.post("/v1/accounts/verify", json={"email": "codes@example.be", "code": "999999"})
    )
    # reset confirmation draws on the same budget: a second door to guess codes through is closed
    confirm = {"email": "codes@example.be", "code": "999999", "new_password": PASSWORD}
    assert_limited(await relay.client.post("/v1/auth/password-reset/confirm", json=confirm))


async def test_code_entry_is_limited_per_ip(relay: RelayHarness) -> None:
    for n in range(limits.CODE_PER_IP.hits):
        response = await relay.client.post(
            "/v1/accounts/verify", json={"email": f"c{n}@example.be", "code": "123456"}
        )
        assert response.status_code == 422
    assert_limited(
        await relay.client.post("/v1/accounts/verify", json={"email": "c@example.be", "code": "123456"})
    )


async def test_resend_is_limited_per_address_beyond_the_cool_down(
    clocked_relay: RelayHarness, clock: FakeClock
) -> None:
    relay = clocked_relay
    for _ in range(limits.RESEND_PER_ADDRESS.hits):
        clock.advance(61)
        assert (
            await relay.client.post("/v1/accounts/verify/resend", json={"email": "r@example.be"})
        ).status_code == 202
    clock.advance(61)
    assert_limited(await relay.client.post("/v1/accounts/verify/resend", json={"email": "r@example.be"}))


async def test_reset_requests_are_limited_per_address_and_per_ip(relay: RelayHarness) -> None:
    for _ in range(limits.RESET_PER_ADDRESS.hits):
        assert (
            await relay.client.post("/v1/auth/password-reset", json={"email": "x@example.be"})
        ).status_code == 202
    assert_limited(await relay.client.post("/v1/auth/password-reset", json={"email": "x@example.be"}))
    for n in range(limits.RESET_PER_IP.hits - limits.RESET_PER_ADDRESS.hits - 1):
        assert (
            await relay.client.post("/v1/auth/password-reset", json={"email": f"y{n}@example.be"})
        ).status_code == 202
    assert_limited(await relay.client.post("/v1/auth/password-reset", json={"email": "z@example.be"}))


async def test_current_password_guessing_is_limited_per_account(relay: RelayHarness) -> None:
    pair = await verified_citizen(relay, "stolen-token@example.be")
    guess = {"current_password": "Misschien-Dit-1", "new_password": "Nieuw-Wachtwoord-2"}
    for _ in range(limits.PASSWORD_PER_ACCOUNT.hits):
        assert (
            await relay.client.post("/v1/me/password", json=guess, headers=bearer(pair))
        ).status_code == 422
    assert_limited(await relay.client.post("/v1/me/password", json=guess, headers=bearer(pair)))
    assert_limited(
        await relay.client.post("/v1/me/delete", json={"password": PASSWORD}, headers=bearer(pair))
    )
