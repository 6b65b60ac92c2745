"""Mailed codes: wrong, expired, exhausted, bound to their sign-up, and never stored in clear."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from cna_relay.accounts.models import Account, OneTimeCode
from cna_relay.outbox import OutboxEntry
from tests.relay.accounts.helpers import OTHER_PASSWORD, PASSWORD, assert_problem, last_code, sign_up
from tests.support.clock import FakeClock
from tests.support.relay_fixtures import RelayHarness


def other_code(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


async def verify(relay: RelayHarness, email: str, code: Any, language: str = "nl") -> Any:
    return await relay.client.post(
        "/v1/accounts/verify", json={"email": email, "code": code}, headers={"Accept-Language": language}
    )


async def test_a_wrong_code_is_refused_in_the_requested_language(relay: RelayHarness) -> None:
    await sign_up(relay, "wrong@example.be")
    code = last_code(relay, "wrong@example.be")
    body = assert_problem(
        await verify(relay, "wrong@example.be", other_code(code), "fr"), 422, "invalid_code"
    )
    assert body["title"] == "Code incorrect"
    assert body["errors"] == [
        {"field": "code", "code": "invalid_code", "message": "Ce code n'est pas correct."}
    ]
    assert (await verify(relay, "wrong@example.be", code)).status_code == 200


async def test_malformed_codes_are_refused(relay: RelayHarness) -> None:
    await sign_up(relay, "shape@example.be")
    for code in ("12345", "1234567", "abcdef", "12345\x00", "", "１２３４５６", 123456, None, "1" * 5000):
        response = await verify(relay, "shape@example.be", code)
        assert response.status_code == 422, code
        assert response.json()["code"] in ("invalid_code", "validation_error")
    assert (await verify(relay, "shape@example.be", last_code(relay, "shape@example.be"))).status_code == 200


async def test_codes_typed_with_spaces_are_accepted(relay: RelayHarness) -> None:
    await sign_up(relay, "spaces@example.be")
    code = last_code(relay, "spaces@example.be")
    assert (await verify(relay, "spaces@example.be", f" {code[:3]} {code[3:]} ")).status_code == 200


async def test_a_code_expires_after_fifteen_minutes(clocked_relay: RelayHarness, clock: FakeClock) -> None:
    relay = clocked_relay
    await sign_up(relay, "late@example.be")
    code = last_code(relay, "late@example.be")
    clock.advance(15 * 60 + 1)
    body = assert_problem(await verify(relay, "late@example.be", code, "en"), 422, "code_expired")
    assert body["title"] == "Code expired"


async def test_a_code_is_still_valid_just_before_it_expires(
    clocked_relay: RelayHarness, clock: FakeClock
) -> None:
    relay = clocked_relay
    await sign_up(relay, "intime@example.be")
    clock.advance(15 * 60 - 5)
    assert (
        await verify(relay, "intime@example.be", last_code(relay, "intime@example.be"))
    ).status_code == 200


async def test_five_wrong_guesses_use_the_code_up(relay: RelayHarness) -> None:
    await sign_up(relay, "guess@example.be")
    code = last_code(relay, "guess@example.be")
    for _ in range(5):
        assert_problem(await verify(relay, "guess@example.be", other_code(code)), 422, "invalid_code")
    assert_problem(await verify(relay, "guess@example.be", code), 422, "code_expired")


async def test_an_unknown_address_and_a_wrong_code_answer_alike(relay: RelayHarness) -> None:
    await sign_up(relay, "known@example.be")
    code = last_code(relay, "known@example.be")
    known = await verify(relay, "known@example.be", other_code(code))
    unknown = await verify(relay, "unknown@example.be", other_code(code))
    assert known.status_code == unknown.status_code == 422
    assert known.json() == unknown.json()


async def test_a_used_code_cannot_be_used_again(relay: RelayHarness) -> None:
    await sign_up(relay, "once@example.be")
    code = last_code(relay, "once@example.be")
    assert (await verify(relay, "once@example.be", code)).status_code == 200
    assert_problem(await verify(relay, "once@example.be", code), 422, "invalid_code")


async def test_a_code_activates_the_password_of_its_own_sign_up(
    clocked_relay: RelayHarness, clock: FakeClock
) -> None:
    """Pre-hijacking: a later sign-up for the same unverified address cannot slip its password
    in under the owner's code."""
    relay = clocked_relay
    await sign_up(relay, "victim@example.be", password=PASSWORD)
    owners_code = last_code(relay, "victim@example.be")
    clock.advance(30)
    await sign_up(relay, "victim@example.be", password=OTHER_PASSWORD, first_name="Mallory")

    verified = await verify(relay, "victim@example.be", owners_code)
    assert verified.status_code == 200
    attacker = await relay.client.post(
        "/v1/auth/login", json={"email": "victim@example.be", "password": OTHER_PASSWORD}
    )
    assert_problem(attacker, 401, "invalid_credentials")
    owner = await relay.client.post(
        "/v1/auth/login", json={"email": "victim@example.be", "password": PASSWORD}
    )
    assert owner.status_code == 200


async def test_no_code_is_stored_in_clear_anywhere(relay: RelayHarness) -> None:
    await sign_up(relay, "secret@example.be")
    code = last_code(relay, "secret@example.be")
    async with relay.context.db.sessions() as session:
        rows = list((await session.execute(select(OneTimeCode))).scalars())
        entries = list((await session.execute(select(OutboxEntry))).scalars())
        account = (await session.execute(select(Account))).scalar_one()
    assert rows and all(row.code_hash and code not in row.code_hash for row in rows)
    stored = " ".join(f"{entry.payload} {entry.result} {entry.last_error}" for entry in entries)
    assert code not in stored
    assert account.password_hash is not None and account.password_hash.startswith("$argon2id$")
    assert PASSWORD not in stored
