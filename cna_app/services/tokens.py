"""Where the session's tokens live between app starts.

`TokenStore` is the port `AccountSession` uses. The durable stores put one JSON value into a
`SecretSlot`: the OS keyring on desktop (`cna_app.services.keyring_slot`), `flet-secure-storage`
on web and mobile (`cna_app.adapters.secure_storage`). `FallbackTokenStore` wraps a durable store
and switches to memory the first time the slot fails, so the user stays logged in for this run and
the app can say (via `durable`) that the session will not survive a restart.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Protocol

SESSION_KEY = "cna.session"


class TokenStoreUnavailable(Exception):
    """The secret storage of this device cannot be used (no backend, locked, refused)."""


@dataclass(frozen=True, slots=True)
class StoredTokens:
    access_token: str
    refresh_token: str

    def __repr__(self) -> str:
        return "StoredTokens(<redacted>)"

    def to_json(self) -> str:
        return json.dumps({"access_token": self.access_token, "refresh_token": self.refresh_token})

    @classmethod
    def from_json(cls, raw: str) -> StoredTokens | None:
        """The tokens in `raw`, or None when it is not what `to_json` wrote (tampered, old format)."""
        try:
            data = json.loads(raw)
        except ValueError:
            return None
        if not isinstance(data, dict):
            return None
        access, refresh = data.get("access_token"), data.get("refresh_token")
        if isinstance(access, str) and isinstance(refresh, str) and access and refresh:
            return cls(access, refresh)
        return None


class SecretSlot(Protocol):
    """One secret string on the device. Each method raises `TokenStoreUnavailable` on failure."""

    async def read(self) -> str | None: ...

    async def write(self, value: str) -> None: ...

    async def erase(self) -> None: ...


class TokenStore(Protocol):
    @property
    def durable(self) -> bool:
        """Whether the tokens survive an app restart."""
        ...

    async def load(self) -> StoredTokens | None: ...

    async def save(self, tokens: StoredTokens) -> None: ...

    async def clear(self) -> None: ...


class MemoryTokenStore:
    """Keeps the tokens for this run only."""

    durable = False

    def __init__(self) -> None:
        self._tokens: StoredTokens | None = None

    async def load(self) -> StoredTokens | None:
        return self._tokens

    async def save(self, tokens: StoredTokens) -> None:
        self._tokens = tokens

    async def clear(self) -> None:
        self._tokens = None


class SlotTokenStore:
    """Tokens as one JSON value in a device secret slot."""

    durable = True

    def __init__(self, slot: SecretSlot) -> None:
        self._slot = slot

    async def load(self) -> StoredTokens | None:
        raw = await self._slot.read()
        return StoredTokens.from_json(raw) if raw else None

    async def save(self, tokens: StoredTokens) -> None:
        await self._slot.write(tokens.to_json())

    async def clear(self) -> None:
        await self._slot.erase()


class FallbackTokenStore:
    """A durable store that degrades to memory for the rest of the run when it fails."""

    def __init__(self, primary: TokenStore) -> None:
        self._primary: TokenStore | None = primary
        self._memory = MemoryTokenStore()

    @property
    def durable(self) -> bool:
        return self._primary is not None

    async def load(self) -> StoredTokens | None:
        if self._primary is not None:
            try:
                return await self._primary.load()
            except TokenStoreUnavailable:
                self._primary = None
        return await self._memory.load()

    async def save(self, tokens: StoredTokens) -> None:
        await self._memory.save(tokens)
        if self._primary is not None:
            try:
                await self._primary.save(tokens)
            except TokenStoreUnavailable:
                self._primary = None

    async def clear(self) -> None:
        await self._memory.clear()
        if self._primary is not None:
            try:
                await self._primary.clear()
            except TokenStoreUnavailable:
                self._primary = None
