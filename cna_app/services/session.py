"""`AccountSession`: the signed-in state, its tokens, and the silent renewal of the access token.

Rules (see `docs/api.md`): access tokens live 15 minutes, refresh tokens rotate on every use and a
reused refresh token revokes the whole session. So an authorised call that meets 401
`unauthorized` refreshes once and retries once; concurrent calls share one refresh (a second
refresh with the same token would be a reuse and log the user out everywhere). When renewal is
refused the session ends and `SessionExpired` is raised for the shell to send the user to log-in.

Without a connection the session is not ended: the tokens stay, and the account's view comes from
the device's copy (`AccountMemory`, kept with every new token pair and every fresh account view,
erased at log-out), so a signed-in citizen can still write a report. An access token that expired
meanwhile is renewed by the first authorised call once the relay answers again; only a refused
renewal ends the session.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import NoReturn, Protocol, TypeVar

from cna_app.contract.wire import AccountView, TokenPair
from cna_app.services.errors import RelayError, RelayProblem, SessionExpired
from cna_app.services.relay import RelayApi
from cna_app.services.tokens import StoredTokens, TokenStore

T = TypeVar("T")
# 401 codes about the session: a fresh access token cures the first, nothing cures the second.
# Other 401 codes (`invalid_credentials` for a mistyped password on delete) are ordinary problems.
_RENEWABLE = frozenset({"unauthorized"})
_SESSION_CODES = _RENEWABLE | {"session_revoked"}


class AccountMemory(Protocol):
    """The device's copy of the signed-in account, tied to one token pair (see
    `cna_app.services.startup_cache.StartupCache`). Failures are swallowed by implementations."""

    async def recall(self, tokens: StoredTokens) -> AccountView | None: ...

    async def remember(self, account: AccountView, tokens: StoredTokens) -> None: ...

    async def forget(self) -> None: ...


class NoAccountMemory:
    """Keeps nothing: the app then needs the relay to know who is signed in."""

    async def recall(self, tokens: StoredTokens) -> AccountView | None:
        return None

    async def remember(self, account: AccountView, tokens: StoredTokens) -> None:
        return None

    async def forget(self) -> None:
        return None


class AccountSession:
    """Holds the tokens and account of the signed-in citizen for one app run."""

    def __init__(self, relay: RelayApi, store: TokenStore, *, memory: AccountMemory | None = None) -> None:
        self._relay = relay
        self._store = store
        self._memory: AccountMemory = memory or NoAccountMemory()
        self._tokens: StoredTokens | None = None
        self._refresh_lock = asyncio.Lock()
        self.account: AccountView | None = None
        # True while `account` is the device's copy and the relay has not confirmed it yet.
        self.account_from_device = False

    @property
    def signed_in(self) -> bool:
        return self._tokens is not None

    @property
    def durable(self) -> bool:
        """Whether the session survives an app restart (False: memory fallback, tell the user)."""
        return self._store.durable

    async def restore(self, *, offline: bool = False) -> None:
        """Pick up the session saved by an earlier run and load its account.

        A session the relay refuses ends quietly. When the relay cannot be asked (`offline`: it
        is known not to answer, so no time is spent waiting for it), the tokens stay and
        `account` is the device's copy (None when there is none for these tokens); when asking
        fails, the same holds and the error is raised for the caller to know.
        """
        self._tokens = await self._store.load()
        if self._tokens is None:
            return
        saved = self._tokens
        if offline:
            await self._recall(saved)
            return
        try:
            account = await self.authorized(self._relay.me)
        except SessionExpired:
            self.account = None
            return
        except RelayError:
            await self._recall(saved)
            raise
        await self.adopt(account)

    async def _recall(self, tokens: StoredTokens) -> None:
        self.account = await self._memory.recall(tokens)
        self.account_from_device = self.account is not None

    async def refresh_account(self) -> AccountView:
        """Ask the relay who is signed in (renewing an expired access token on the way)."""
        account = await self.authorized(self._relay.me)
        await self.adopt(account)
        return account

    async def adopt(self, account: AccountView) -> None:
        """A fresh view of the signed-in account from the relay (after `me` or a profile save)."""
        self.account = account
        self.account_from_device = False
        if self._tokens is not None:
            await self._remember(account, self._tokens)

    async def begin(self, pair: TokenPair) -> None:
        """Start a session from a log-in, verification or password reset answer."""
        await self._keep(pair)

    async def end(self) -> None:
        """Forget the session on this device (the relay side is the caller's business)."""
        self._tokens = None
        self.account = None
        self.account_from_device = False
        await self._memory.forget()
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
        tokens = StoredTokens(pair["access_token"], pair["refresh_token"])
        self._tokens = tokens
        self.account = pair["account"]
        self.account_from_device = False
        # The copy first, then the tokens: a crash in between leaves a copy that matches no
        # stored tokens (so none is used), never a stale copy that matches new ones.
        await self._remember(pair["account"], tokens)
        await self._store.save(tokens)
        if not self._store.durable:
            # The tokens fell back to memory: a session that will not survive a restart needs
            # no copy to restart from.
            await self._memory.forget()

    async def _remember(self, account: AccountView, tokens: StoredTokens) -> None:
        if self._store.durable:
            await self._memory.remember(account, tokens)

    async def _expire(self, cause: Exception) -> NoReturn:
        await self.end()
        raise SessionExpired(str(cause)) from cause


def _about_session(problem: RelayProblem) -> bool:
    return problem.status == 401 and problem.code in _SESSION_CODES
