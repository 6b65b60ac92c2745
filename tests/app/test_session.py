"""`AccountSession`: silent renewal (refresh once, retry once), one refresh for concurrent calls,
and the end of a session the relay no longer accepts."""

from __future__ import annotations

import asyncio

import pytest

from cna_app.services.errors import RelayProblem, RelayUnavailable, SessionExpired
from cna_app.services.session import AccountSession
from cna_app.services.tokens import MemoryTokenStore, StoredTokens
from tests.app.fakes import GOOD_PASSWORD, FakeRelay, settle


@pytest.fixture
def store() -> MemoryTokenStore:
    return MemoryTokenStore()


@pytest.fixture
async def session(fake_relay: FakeRelay, store: MemoryTokenStore) -> AccountSession:
    fake_relay.add_account("an@example.be")
    session = AccountSession(fake_relay, store)
    await session.begin(await fake_relay.login({"email": "an@example.be", "password": GOOD_PASSWORD}))
    return session


async def test_begin_keeps_tokens_and_account(session: AccountSession, store: MemoryTokenStore) -> None:
    assert session.signed_in
    assert session.account is not None and session.account["email"] == "an@example.be"
    saved = await store.load()
    assert saved is not None and saved.refresh_token.startswith("refresh-")


async def test_an_expired_access_token_is_renewed_once_and_the_call_retried(
    session: AccountSession, fake_relay: FakeRelay, store: MemoryTokenStore
) -> None:
    before = await store.load()
    fake_relay.expire_access_tokens()
    account = await session.authorized(fake_relay.me)
    assert account["email"] == "an@example.be"
    assert fake_relay.count("refresh") == 1
    assert fake_relay.count("me") == 2
    after = await store.load()
    assert after is not None and before is not None and after.refresh_token != before.refresh_token


async def test_a_second_401_after_renewal_ends_the_session(
    session: AccountSession, fake_relay: FakeRelay
) -> None:
    fake_relay.expire_access_tokens()
    fake_relay.fail_next("me", RelayProblem(status=401, code="unauthorized"), times=2)
    with pytest.raises(SessionExpired):
        await session.authorized(fake_relay.me)
    assert fake_relay.count("refresh") == 1  # renewed once, never twice
    assert not session.signed_in


async def test_a_refused_refresh_ends_the_session_and_clears_the_store(
    session: AccountSession, fake_relay: FakeRelay, store: MemoryTokenStore
) -> None:
    fake_relay.expire_access_tokens()
    fake_relay.revoke_all_sessions()
    with pytest.raises(SessionExpired):
        await session.authorized(fake_relay.me)
    assert not session.signed_in and session.account is None
    assert await store.load() is None


async def test_a_revoked_session_is_not_refreshed(session: AccountSession, fake_relay: FakeRelay) -> None:
    fake_relay.fail_next("me", RelayProblem(status=401, code="session_revoked"))
    with pytest.raises(SessionExpired):
        await session.authorized(fake_relay.me)
    assert fake_relay.count("refresh") == 0


async def test_other_401_codes_are_ordinary_problems(session: AccountSession, fake_relay: FakeRelay) -> None:
    # A mistyped password when deleting the account must not log the user out.
    with pytest.raises(RelayProblem) as caught:
        await session.authorized(lambda token: fake_relay.delete_account(token, {"password": "wrong"}))
    assert caught.value.code == "invalid_credentials"
    assert session.signed_in
    assert fake_relay.count("refresh") == 0


async def test_non_auth_errors_pass_through_without_renewal(
    session: AccountSession, fake_relay: FakeRelay
) -> None:
    fake_relay.fail_next("me", RelayProblem(status=429, code="rate_limited"))
    with pytest.raises(RelayProblem):
        await session.authorized(fake_relay.me)
    fake_relay.fail_next("me", RelayUnavailable("down"))
    with pytest.raises(RelayUnavailable):
        await session.authorized(fake_relay.me)
    assert fake_relay.count("refresh") == 0
    assert session.signed_in


async def test_an_unreachable_relay_during_renewal_keeps_the_session(
    session: AccountSession, fake_relay: FakeRelay
) -> None:
    fake_relay.expire_access_tokens()
    fake_relay.fail_next("refresh", RelayUnavailable("down"))
    with pytest.raises(RelayUnavailable):
        await session.authorized(fake_relay.me)
    assert session.signed_in  # offline is not logged out
    assert (await session.authorized(fake_relay.me))["email"] == "an@example.be"


async def test_concurrent_calls_share_one_refresh(session: AccountSession, fake_relay: FakeRelay) -> None:
    """Two refreshes with the same token would look like token theft and revoke everything."""
    fake_relay.expire_access_tokens()
    gate = fake_relay.hold("refresh")
    calls = [asyncio.create_task(session.authorized(fake_relay.me)) for _ in range(3)]
    await settle()
    gate.set()
    accounts = await asyncio.gather(*calls)
    assert [a["email"] for a in accounts] == ["an@example.be"] * 3
    assert fake_relay.count("refresh") == 1
    assert session.signed_in


async def test_calls_without_a_session_expire_immediately(fake_relay: FakeRelay) -> None:
    session = AccountSession(fake_relay, MemoryTokenStore())
    with pytest.raises(SessionExpired):
        await session.authorized(fake_relay.me)
    assert fake_relay.calls == []


async def test_restore_loads_the_account_of_saved_tokens(
    session: AccountSession, fake_relay: FakeRelay, store: MemoryTokenStore
) -> None:
    restored = AccountSession(fake_relay, store)
    await restored.restore()
    assert restored.signed_in and restored.account is not None


async def test_restore_forgets_tokens_the_relay_refuses(fake_relay: FakeRelay) -> None:
    store = MemoryTokenStore()
    await store.save(StoredTokens("stale-access", "stale-refresh"))
    restored = AccountSession(fake_relay, store)
    await restored.restore()
    assert not restored.signed_in
    assert await store.load() is None


async def test_restore_while_offline_keeps_the_tokens(fake_relay: FakeRelay, session: AccountSession) -> None:
    store = MemoryTokenStore()
    await store.save(StoredTokens("a", "r"))
    fake_relay.fail_next("me", RelayUnavailable("down"))
    restored = AccountSession(fake_relay, store)
    with pytest.raises(RelayUnavailable):
        await restored.restore()
    assert restored.signed_in and restored.account is None
