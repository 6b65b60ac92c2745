"""The argon2id wrapper: wrong and unreadable hashes say no, unknown accounts cost a real check."""

from __future__ import annotations

from cna_relay.accounts.passwords import Passwords
from cna_relay.settings import RelaySettings


def passwords(*, argon2_time_cost: int = 1, argon2_memory_kib: int = 8 * 1024) -> Passwords:
    settings = RelaySettings(
        environment="test", argon2_time_cost=argon2_time_cost, argon2_memory_kib=argon2_memory_kib
    )
    return Passwords(settings)


async def test_a_hash_verifies_its_password_only() -> None:
    hasher = passwords()
    stored = await hasher.hash("Zonnebloem-42!")
    assert stored.startswith("$argon2id$v=19$m=8192,t=1,p=1$")
    assert await hasher.verify(stored, "Zonnebloem-42!")
    assert not await hasher.verify(stored, "zonnebloem-42!")
    assert not await hasher.verify("not a hash", "Zonnebloem-42!")
    assert not await hasher.verify(stored[:-4], "Zonnebloem-42!")


async def test_an_unknown_account_is_checked_against_a_dummy_hash() -> None:
    hasher = passwords()
    assert not await hasher.verify(None, "Zonnebloem-42!")
    dummy = hasher._dummy_hash
    assert dummy is not None and dummy.startswith("$argon2id$")
    assert not await hasher.verify(None, "not-a-password-of-anyone")  # the dummy's own text opens nothing


async def test_hashes_with_other_parameters_need_a_rehash() -> None:
    old = await passwords().hash("Zonnebloem-42!")
    assert not passwords().needs_rehash(old)
    assert passwords(argon2_time_cost=2).needs_rehash(old)
    assert passwords(argon2_memory_kib=16 * 1024).needs_rehash(old)
    assert passwords().needs_rehash("garbage")
