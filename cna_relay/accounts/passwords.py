"""argon2id password hashing, off the event loop and with bounded concurrency.

A hash costs tens of milliseconds of CPU and `argon2_memory_kib` of memory, so hashes run in
worker threads (the loop keeps serving) and at most a few at a time (a burst of log-ins cannot
allocate memory without limit). Parameters come from settings; `bench/login.py` measures them.
"""

from __future__ import annotations

import asyncio
import os

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from cna_relay.settings import RelaySettings

# Compared against when the e-mail is unknown, so that answer takes as long as a wrong password.
_DUMMY_PASSWORD = "not-a-password-of-anyone"  # noqa: S105


class Passwords:
    def __init__(self, settings: RelaySettings, *, max_concurrent: int | None = None) -> None:
        self._hasher = PasswordHasher(
            time_cost=settings.argon2_time_cost,
            memory_cost=settings.argon2_memory_kib,
            parallelism=settings.argon2_parallelism,
            hash_len=32,
            salt_len=16,
            type=Type.ID,
        )
        self._slots = asyncio.Semaphore(max_concurrent or max(2, os.cpu_count() or 2))
        self._dummy_hash: str | None = None

    async def hash(self, password: str) -> str:
        async with self._slots:
            return await asyncio.to_thread(self._hasher.hash, password)

    async def verify(self, password_hash: str | None, password: str) -> bool:
        """Whether `password` matches; a missing or unreadable hash costs the same and says no."""
        if password_hash is None:
            await self.waste_time(password)
            return False
        async with self._slots:
            return await asyncio.to_thread(self._verify_blocking, password_hash, password)

    async def waste_time(self, password: str) -> None:
        """As much work as checking a real password (for unknown accounts)."""
        if self._dummy_hash is None:
            self._dummy_hash = await self.hash(_DUMMY_PASSWORD)
        async with self._slots:
            await asyncio.to_thread(self._verify_blocking, self._dummy_hash, password)

    def needs_rehash(self, password_hash: str) -> bool:
        """True when the hash was made with other parameters than today's settings."""
        try:
            return self._hasher.check_needs_rehash(password_hash)
        except InvalidHashError:
            return True

    def _verify_blocking(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
