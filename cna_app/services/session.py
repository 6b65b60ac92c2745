"""`AccountSession`: the signed-in state, its tokens, and the silent renewal of the access token.

Rules (see `docs/api.md`): access tokens live 15 minutes, refresh tokens rotate on every use and a
reused refresh token revokes the whole session. So an authorised call that meets 401
`unauthorized` refreshes once and retries once; concurrent calls share one refresh (a second
refresh with the same token would be a reuse and log the user out everywhere). When renewal is
refused the session ends and `SessionExpired` is raised for the shell to send the user to log-in.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import NoReturn, TypeVar

from cna_app.contract.wire import AccountView, TokenPair
from cna_app.services.errors import RelayProblem, SessionExpired
from cna_app.services.relay import RelayApi
from cna_app.services.tokens import StoredTokens, TokenStore

T = TypeVar("T")
# 401 codes about the session: a fresh access token cures the first, nothing cures the second.
# Other 401 codes (`invalid_credentials` for a mistyped password on delete) are ordinary problems.
_RENEWABLE = frozenset({"unauthorized"})
_SESSION_CODES = _RENEWABLE | {"session_revoked"}


class AccountSession:
    """Holds the tokens and account of the signed-in citizen for one app run."""

    def __init__(self, relay: RelayApi, store: TokenStore) -> None:
        self._relay = relay
        self._store = store
        self._tokens: StoredTokens | None = None
        self._refresh_lock = asyncio.Lock()
        self.account: AccountView | None = None

    @property
    def signed_in(self) -> bool:
        return self._tokens is not None

    @property
    def durable(self) -> bool:
        """Whether the session survives an app restart (False: memory fallback, tell the user)."""
        return self._store.durable

    async def restore(self) -> None:
        """Pick up the session saved by an earlier run and load its account.

        A session the relay refuses ends quietly; an unreachable relay keeps the tokens so the
        account loads on the next authorised call.
        """
        self._tokens = await self._store.load()
        if self._tokens is None:
            return
        try:
            self.account = await self.authorized(self._relay.me)
        except SessionExpired:
            self.account = None

    async def begin(self, pair: TokenPair) -> None:
        """Start a session from a log-in, verification or password reset answer."""
        await self._keep(pair)

    async def end(self) -> None:
        """Forget the session on this device (the relay side is the caller's business)."""
        self._tokens = None
        self.account = None
        await self._store.clear()

    async def authorized(self, call: Callable[[str], Awaitable[T]]) -> T:
        """Run `call(access_token)`, renewing the token once on 401 `unauthorized`."""
        used = self._current()
        try:
            return await call(used.access_token)
        except RelayProblem as problem:
            if not _about_session(problem):
                raise
            if problem.code not in _RENEWABLE:
                await self._expire(problem)
        await self._renew(used)
        try:
            return await call(self._current().access_token)
        except RelayProblem as problem:
            if _about_session(problem):
                await self._expire(problem)
            raise

    def _current(self) -> StoredTokens:
        if self._tokens is None:
            raise SessionExpired("not signed in")
        return self._tokens

    async def _renew(self, used: StoredTokens) -> None:
        async with self._refresh_lock:
            if self._tokens is not used:
                # Another call renewed (or ended) the session while this one waited.
                self._current()
                return
            try:
                pair = await self._relay.refresh({"refresh_token": used.refresh_token})
            except RelayProblem as problem:
                if problem.status in (400, 401, 403):
                    await self._expire(problem)
                raise
            await self._keep(pair)

    async def _keep(self, pair: TokenPair) -> None:
        self._tokens = StoredTokens(pair["access_token"], pair["refresh_token"])
        self.account = pair["account"]
        await self._store.save(self._tokens)

    async def _expire(self, cause: Exception) -> NoReturn:
        await self.end()
        raise SessionExpired(str(cause)) from cause


def _about_session(problem: RelayProblem) -> bool:
    return problem.status == 401 and problem.code in _SESSION_CODES
