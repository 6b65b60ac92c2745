"""`CacheStore` in the client's shared preferences: the browser's local storage on the web.

On the web Python runs on the server, so a copy kept "on the device" must live in the browser
(`cna.cache.<name>`, next to the report drafts' `cna.draft.` keys); a file on the server would be
shared by every browser. Each call is bounded by a timeout: a client that does not answer makes
the copy unavailable, it never holds up the start.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

import flet as ft

from cna_app.services.device_cache import CacheStoreError, check_name

T = TypeVar("T")
CACHE_PREFIX = "cna.cache."
CLIENT_TIMEOUT_S = 5.0


class PreferencesCacheStore:
    def __init__(self, prefs: ft.SharedPreferences, *, timeout_s: float = CLIENT_TIMEOUT_S) -> None:
        self._prefs = prefs
        self._timeout_s = timeout_s

    async def read(self, name: str) -> str | None:
        value = await self._call(self._prefs.get(self._key(name)))
        return value if isinstance(value, str) else None

    async def write(self, name: str, text: str) -> None:
        if not await self._call(self._prefs.set(self._key(name), text)):
            raise CacheStoreError("the browser refused to keep it")

    async def erase(self, name: str) -> None:
        await self._call(self._prefs.remove(self._key(name)))

    @staticmethod
    def _key(name: str) -> str:
        return CACHE_PREFIX + check_name(name)

    async def _call(self, request: Awaitable[T]) -> T:
        try:
            return await asyncio.wait_for(request, self._timeout_s)
        except (TimeoutError, RuntimeError) as exc:
            # RuntimeError: the client failed the call (quota exceeded, storage disabled).
            raise CacheStoreError(f"browser storage: {type(exc).__name__}") from exc
