"""The last good relay configuration and the signed-in account's view, kept on the device so the
app can start, and a citizen can write a report, without a connection.

Rules:

- Both copies belong to one relay: each names the relay URL it came from and is ignored under
  any other URL (a build pointed at another relay must never show this municipality).
- The account's copy belongs to one session: it carries a fingerprint of the refresh token it
  was kept with (a SHA-256 prefix; the token itself lives only in the token store), and a
  restored session whose tokens do not match gets nothing from here. Refresh tokens rotate, so
  `AccountSession` rewrites the copy with every new pair *before* it stores the pair: a crash in
  between leaves a mismatch (no account offline), never someone else's account with these tokens.
- Anything unreadable (not JSON, another format version, not the contract's shape, oversized) is
  ignored as if there were no copy; the next good answer from the relay replaces it.
- Failing to keep a copy never stops the app: it only loses the start without a connection.

Usage: `cache = StartupCache(store, relay_url=config.relay_url)`; the shell calls
`config()`/`keep_config(view)`, `AccountSession` calls `recall`/`remember`/`forget`.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import UTC, datetime
from typing import Any

from cna_app.contract.wire import AccountView, ConfigView
from cna_app.services.device_cache import MAX_CACHE_CHARS, CacheStore, CacheStoreError
from cna_app.services.tokens import StoredTokens
from cna_app.services.wire_check import WireShapeError, check_wire

FORMAT_VERSION = 1
CONFIG = "config"
ACCOUNT = "account"
logger = logging.getLogger(__name__)


def session_fingerprint(tokens: StoredTokens) -> str:
    """What ties a cached account to a session, without being a usable token."""
    return hashlib.sha256(tokens.refresh_token.encode("utf-8")).hexdigest()[:32]


class StartupCache:
    def __init__(self, store: CacheStore, *, relay_url: str) -> None:
        self._store = store
        self._relay_url = relay_url

    # ---- the relay's configuration --------------------------------------------------------

    async def config(self) -> ConfigView | None:
        """The configuration last received from this relay, or None."""
        document = await self._read(CONFIG)
        if document is None:
            return None
        try:
            return check_wire(document.get("config"), ConfigView)
        except WireShapeError:
            return None

    async def keep_config(self, view: ConfigView) -> None:
        await self._write(CONFIG, {"config": view})

    # ---- the signed-in account ------------------------------------------------------------

    async def recall(self, tokens: StoredTokens) -> AccountView | None:
        """The account kept with exactly these tokens, or None."""
        document = await self._read(ACCOUNT)
        if document is None or document.get("session") != session_fingerprint(tokens):
            return None
        try:
            return check_wire(document.get("account"), AccountView)
        except WireShapeError:
            return None

    async def remember(self, account: AccountView, tokens: StoredTokens) -> None:
        await self._write(ACCOUNT, {"session": session_fingerprint(tokens), "account": account})

    async def forget(self) -> None:
        """Log-out (or a session that ended): the account's details leave the device."""
        try:
            await self._store.erase(ACCOUNT)
        except CacheStoreError as exc:
            logger.warning("cached account not removed: %s", exc)

    # ---- pieces ---------------------------------------------------------------------------

    async def _read(self, name: str) -> dict[str, Any] | None:
        try:
            text = await self._store.read(name)
        except CacheStoreError as exc:
            logger.info("cached %s unreadable: %s", name, exc)
            return None
        if text is None or len(text) > MAX_CACHE_CHARS:
            return None
        try:
            document = json.loads(text)
        except (ValueError, RecursionError):  # a tampered copy may nest without end
            return None
        if (
            not isinstance(document, dict)
            or document.get("v") != FORMAT_VERSION
            or document.get("relay") != self._relay_url
        ):
            return None
        return document

    async def _write(self, name: str, content: dict[str, Any]) -> None:
        document = {
            "v": FORMAT_VERSION,
            "relay": self._relay_url,
            "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
            **content,
        }
        text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
        if len(text) > MAX_CACHE_CHARS:
            logger.warning("%s not cached: %d characters", name, len(text))
            return
        try:
            await self._store.write(name, text)
        except CacheStoreError as exc:
            logger.warning("%s not cached: %s", name, exc)
