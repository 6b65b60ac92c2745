"""What a flow (log-in, sign-up, reset, profile) may ask of the app shell.

A Protocol rather than the `Shell` class itself so the flows do not import the shell that
creates them; `Shell` implements it.
"""

from __future__ import annotations

from typing import Protocol

from cna_app.contract.password import PasswordPolicy
from cna_app.contract.wire import Language, TokenPair
from cna_app.services.device import Clock
from cna_app.services.relay import RelayApi
from cna_app.services.session import AccountSession
from cna_app.viewmodels.changes import Changes
from cna_app.viewmodels.navigation import Navigator
from cna_app.viewmodels.texts import UserText


class ShellPort(Protocol):
    relay: RelayApi
    session: AccountSession
    nav: Navigator
    clock: Clock
    changes: Changes

    @property
    def language(self) -> Language: ...

    @property
    def password_policy(self) -> PasswordPolicy: ...

    @property
    def offline(self) -> bool:
        """The app runs on the device's copies because the relay did not answer (offline mode):
        flows that need the relay say so instead of trying."""
        ...

    def relay_answered(self) -> None:
        """A call reached the relay: offline mode can end sooner."""
        ...

    async def signed_in(self, pair: TokenPair) -> None:
        """A log-in, verification or reset succeeded: keep the session and move on."""
        ...

    async def session_expired(self, route: str) -> None:
        """The session ended while the user was on `route`: log in again, then come back."""
        ...

    async def signed_out(self, message: UserText) -> None:
        """The user logged out or deleted the account: back to the start with `message`."""
        ...

    async def set_language(self, language: Language) -> None: ...

    def flash(self, message: UserText) -> None:
        """A short message the view shows once (a snackbar)."""
        ...
