"""The relay's public API as the app sees it (see `docs/api.md`).

`RelayApi` is the port view models and `AccountSession` depend on; `HttpRelayApi` in
`cna_app.services.http_relay` is the real adapter. Every method raises only the errors of
`cna_app.services.errors`.
"""

from __future__ import annotations

from typing import Protocol

from cna_app.contract.wire import (
    AccountView,
    ConfigView,
    DeleteAccountIn,
    EmailIn,
    LoginIn,
    PasswordChangeIn,
    PasswordResetConfirmIn,
    ProfileUpdateIn,
    RefreshIn,
    SignUpAccepted,
    SignUpIn,
    TokenPair,
    VerifyIn,
)


class RelayApi(Protocol):
    """One method per account endpoint; `access_token` is the bearer of authorised calls."""

    async def get_config(self) -> ConfigView: ...

    async def sign_up(self, body: SignUpIn) -> SignUpAccepted: ...

    async def verify(self, body: VerifyIn) -> TokenPair: ...

    async def resend_verification(self, body: EmailIn) -> SignUpAccepted: ...

    async def login(self, body: LoginIn) -> TokenPair: ...

    async def refresh(self, body: RefreshIn) -> TokenPair: ...

    async def logout(self, access_token: str) -> None: ...

    async def logout_all(self, access_token: str) -> None: ...

    async def request_password_reset(self, body: EmailIn) -> None: ...

    async def confirm_password_reset(self, body: PasswordResetConfirmIn) -> TokenPair: ...

    async def me(self, access_token: str) -> AccountView: ...

    async def update_me(self, access_token: str, body: ProfileUpdateIn) -> AccountView: ...

    async def change_password(self, access_token: str, body: PasswordChangeIn) -> TokenPair: ...

    async def delete_account(self, access_token: str, body: DeleteAccountIn) -> None: ...
