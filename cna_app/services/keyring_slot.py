"""The desktop's secret slot: the OS keyring (Secret Service, macOS Keychain, Windows Credential
Locker) through the `keyring` package.

`keyring` is imported on first use, not at import time: it is absent from mobile bundles and its
backend discovery talks to D-Bus. Keyring calls block, so they run in a worker thread.
"""

from __future__ import annotations

import asyncio
from typing import Any

from cna_app.services.tokens import SESSION_KEY, TokenStoreUnavailable

SERVICE_NAME = "be.cna.app"


class KeyringSlot:
    """A `SecretSlot` in the OS keyring; `backend` replaces the discovered keyring (tests)."""

    def __init__(
        self, *, service: str = SERVICE_NAME, username: str = SESSION_KEY, backend: Any = None
    ) -> None:
        self._service = service
        self._username = username
        self._backend = backend

    async def read(self) -> str | None:
        value = await self._call("get_password", self._service, self._username)
        return value if isinstance(value, str) else None

    async def write(self, value: str) -> None:
        await self._call("set_password", self._service, self._username, value)

    async def erase(self) -> None:
        try:
            await self._call("delete_password", self._service, self._username)
        except TokenStoreUnavailable as exc:
            # Deleting what is not there is not a failure of the store.
            if "PasswordDeleteError" not in str(exc):
                raise

    async def _call(self, method: str, *args: str) -> object:
        return await asyncio.to_thread(self._call_blocking, method, *args)

    def _call_blocking(self, method: str, *args: str) -> object:
        try:
            import keyring  # optional, desktop only: see the module docstring
            from keyring.errors import KeyringError
        except ImportError as exc:
            raise TokenStoreUnavailable("keyring is not installed") from exc
        backend = self._backend if self._backend is not None else keyring.get_keyring()
        try:
            return getattr(backend, method)(*args)
        except KeyringError as exc:
            raise TokenStoreUnavailable(type(exc).__name__) from exc
        except Exception as exc:
            # Secret Service backends raise D-Bus and SecretStorage errors outside keyring's tree.
            raise TokenStoreUnavailable(type(exc).__name__) from exc
