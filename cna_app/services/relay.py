"""The relay's public API as the app sees it (see `docs/api.md`).

`RelayApi` is the port view models and `AccountSession` depend on; `HttpRelayApi` in
`cna_app.services.http_relay` is the real adapter. Every method raises only the errors of
`cna_app.services.errors`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from cna_app.contract.wire import (
    AccountView,
    ConfigView,
    DeleteAccountIn,
    EmailIn,
    GeocodeResults,
    LoginIn,
    PasswordChangeIn,
    PasswordResetConfirmIn,
    ProfileUpdateIn,
    Receipt,
    RefreshIn,
    ReportIn,
    ReportPage,
    ReportView,
    ReverseResult,
    SignUpAccepted,
    SignUpIn,
    TokenPair,
    VerifyIn,
)
from cna_app.services.multipart import Progress, UploadFile


class RelayApi(Protocol):
    """One method per endpoint; `access_token` is the bearer of authorised calls."""

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

    # ---- reports (issue 7) ------------------------------------------------------------------

    async def submit_report(
        self,
        access_token: str,
        report: ReportIn,
        files: Sequence[UploadFile],
        *,
        progress: Progress | None = None,
    ) -> Receipt:
        """`POST /v1/reports`; the same `report["id"]` with the same content returns the same receipt."""
        ...

    async def list_reports(
        self, access_token: str, *, limit: int, cursor: str | None = None
    ) -> ReportPage: ...

    async def get_report(self, access_token: str, report_id: str) -> ReportView: ...

    async def report_thumbnail(self, access_token: str, path: str) -> bytes:
        """The JPEG at a report's `thumbnail_url` (a path on the relay, never another host)."""
        ...

    async def geocode(self, access_token: str, query: str, *, limit: int = 5) -> GeocodeResults: ...

    async def reverse(self, access_token: str, lat: float, lon: float) -> ReverseResult: ...
