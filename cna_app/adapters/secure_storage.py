"""The web and mobile secret slot: `flet-secure-storage` (Keychain, Android Keystore; on the web
an obfuscated `localStorage` entry, which is why access tokens are short-lived)."""

from __future__ import annotations

import asyncio

import flet_secure_storage as fss

from cna_app.services.tokens import SESSION_KEY, TokenStoreUnavailable

CLIENT_TIMEOUT_S = 5.0


class SecureStorageSlot:
    """A `SecretSlot` in the client's secure storage; create it inside the page's context."""

    def __init__(
        self, storage: fss.SecureStorage, *, key: str = SESSION_KEY, timeout_s: float = CLIENT_TIMEOUT_S
    ):
        self._storage = storage
        self._key = key
        self._timeout_s = timeout_s

    async def read(self) -> str | None:
        value = await self._call(self._storage.get(self._key))
        return value if isinstance(value, str) else None

    async def write(self, value: str) -> None:
        await self._call(self._storage.set(self._key, value))

    async def erase(self) -> None:
        await self._call(self._storage.remove(self._key))

    async def _call(self, request: object) -> object:
        try:
            return await asyncio.wait_for(request, self._timeout_s)  # type: ignore[arg-type]
        except (TimeoutError, RuntimeError) as exc:
            # RuntimeError is how Flet reports a method the client failed or does not know.
            raise TokenStoreUnavailable(f"secure storage: {type(exc).__name__}") from exc
