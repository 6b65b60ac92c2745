"""`HttpRelayApi`: the relay's `/v1` API over httpx, the only place that knows its URLs.

Every request carries `Accept-Language` with the app's current language, so problem texts come
back in the user's language. Errors are translated once, in `_send`, into the tree of
`cna_app.services.errors`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, TypeVar
from urllib.parse import quote

import httpx

from cna_app.contract.wire import (
    AccountView,
    ConfigView,
    DeleteAccountIn,
    EmailIn,
    GeocodeResults,
    Language,
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
from cna_app.services.errors import FieldProblem, RelayError, RelayProblem, RelayUnavailable
from cna_app.services.multipart import MultipartBody, Progress, UploadFile
from cna_app.services.wire_check import WireShapeError, check_wire

T = TypeVar("T")
# Bounds on what a problem may make the app display or keep; a broken proxy can send megabytes.
_MAX_FIELD_ERRORS = 50
_MAX_TEXT = 500
_MAX_RETRY_AFTER_S = 24 * 3600
# A thumbnail is a small JPEG; anything bigger is not what the relay sends.
_MAX_THUMBNAIL_BYTES = 2 * 1024 * 1024
# Thumbnails are fetched with the bearer token, so only from the relay's own report paths.
_THUMBNAIL_PATH = re.compile(r"/v1/reports/[A-Za-z0-9-]{1,64}/thumbnail")


class HttpRelayApi:
    """The real `RelayApi`. `language` is asked on every request; `transport` is for tests."""

    def __init__(
        self,
        base_url: str,
        *,
        language: Callable[[], Language],
        timeout_s: float = 15.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._language = language
        self._client = httpx.AsyncClient(
            base_url=base_url,
            timeout=timeout_s,
            transport=transport,
            headers={"Accept": "application/json, application/problem+json"},
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    async def get_config(self) -> ConfigView:
        return await self._json("GET", "/v1/config", ConfigView)

    async def sign_up(self, body: SignUpIn) -> SignUpAccepted:
        return await self._json("POST", "/v1/accounts", SignUpAccepted, body=body)

    async def verify(self, body: VerifyIn) -> TokenPair:
        return await self._json("POST", "/v1/accounts/verify", TokenPair, body=body)

    async def resend_verification(self, body: EmailIn) -> SignUpAccepted:
        return await self._json("POST", "/v1/accounts/verify/resend", SignUpAccepted, body=body)

    async def login(self, body: LoginIn) -> TokenPair:
        return await self._json("POST", "/v1/auth/login", TokenPair, body=body)

    async def refresh(self, body: RefreshIn) -> TokenPair:
        return await self._json("POST", "/v1/auth/refresh", TokenPair, body=body)

    async def logout(self, access_token: str) -> None:
        await self._send("POST", "/v1/auth/logout", token=access_token)

    async def logout_all(self, access_token: str) -> None:
        await self._send("POST", "/v1/auth/logout-all", token=access_token)

    async def request_password_reset(self, body: EmailIn) -> None:
        await self._send("POST", "/v1/auth/password-reset", body=body)

    async def confirm_password_reset(self, body: PasswordResetConfirmIn) -> TokenPair:
        return await self._json("POST", "/v1/auth/password-reset/confirm", TokenPair, body=body)

    async def me(self, access_token: str) -> AccountView:
        return await self._json("GET", "/v1/me", AccountView, token=access_token)

    async def update_me(self, access_token: str, body: ProfileUpdateIn) -> AccountView:
        return await self._json("PATCH", "/v1/me", AccountView, body=body, token=access_token)

    async def change_password(self, access_token: str, body: PasswordChangeIn) -> TokenPair:
        return await self._json("POST", "/v1/me/password", TokenPair, body=body, token=access_token)

    async def delete_account(self, access_token: str, body: DeleteAccountIn) -> None:
        await self._send("POST", "/v1/me/delete", body=body, token=access_token)

    # ---- reports and places (issue 7) ---------------------------------------------------

    async def submit_report(
        self,
        access_token: str,
        report: ReportIn,
        files: Sequence[UploadFile],
        *,
        progress: Progress | None = None,
    ) -> Receipt:
        body = MultipartBody(report, files)
        response = await self._send(
            "POST",
            "/v1/reports",
            token=access_token,
            content=body.stream(progress),
            headers=body.headers(),
        )
        return _checked(response, Receipt, "POST /v1/reports")

    async def list_reports(self, access_token: str, *, limit: int, cursor: str | None = None) -> ReportPage:
        params: dict[str, Any] = {"limit": limit}
        if cursor is not None:
            params["cursor"] = cursor
        return await self._json("GET", "/v1/reports", ReportPage, token=access_token, params=params)

    async def get_report(self, access_token: str, report_id: str) -> ReportView:
        path = f"/v1/reports/{quote(report_id, safe='')}"
        return await self._json("GET", path, ReportView, token=access_token)

    async def report_thumbnail(self, access_token: str, path: str) -> bytes:
        if not _THUMBNAIL_PATH.fullmatch(path):
            raise RelayUnavailable("thumbnail URL is not a relay report path")
        response = await self._send("GET", path, token=access_token)
        if not response.headers.get("content-type", "").startswith("image/jpeg"):
            raise RelayUnavailable("thumbnail is not a JPEG")
        if len(response.content) > _MAX_THUMBNAIL_BYTES:
            raise RelayUnavailable("thumbnail too large")
        return response.content

    async def geocode(self, access_token: str, query: str, *, limit: int = 5) -> GeocodeResults:
        params = {"q": query, "limit": limit}
        return await self._json("GET", "/v1/geocode", GeocodeResults, token=access_token, params=params)

    async def reverse(self, access_token: str, lat: float, lon: float) -> ReverseResult:
        # Plain decimals: the relay refuses exponents ("1e-05") and NaN.
        params = {"lat": f"{lat:.7f}", "lon": f"{lon:.7f}"}
        return await self._json("GET", "/v1/reverse", ReverseResult, token=access_token, params=params)

    # ---- plumbing ----------------------------------------------------------------------

    async def _json(
        self,
        method: str,
        path: str,
        shape: type[T],
        *,
        body: Any = None,
        token: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> T:
        response = await self._send(method, path, body=body, token=token, params=params)
        return _checked(response, shape, f"{method} {path}")

    async def _send(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        token: str | None = None,
        params: dict[str, Any] | None = None,
        content: Any = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        headers = {"Accept-Language": self._language(), **(headers or {})}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        try:
            response = await self._client.request(
                method, path, json=body, headers=headers, params=params, content=content
            )
        except httpx.HTTPError as exc:
            raise RelayUnavailable(f"{method} {path}: {type(exc).__name__}") from exc
        if response.is_success:
            return response
        raise error_from_response(response)


def _checked(response: httpx.Response, shape: type[T], what: str) -> T:
    try:
        return check_wire(response.json(), shape)
    except (ValueError, WireShapeError) as exc:
        raise RelayUnavailable(f"{what}: unusable answer ({exc})") from exc


def error_from_response(response: httpx.Response) -> RelayError:
    """The app's error for a non-2xx answer: a `RelayProblem` when the relay explained itself."""
    status = response.status_code
    payload = _json_or_none(response)
    retry_after = _retry_after(response.headers.get("Retry-After"))
    if isinstance(payload, dict) and isinstance(payload.get("code"), str) and payload["code"]:
        return RelayProblem(
            status=status,
            code=payload["code"][:_MAX_TEXT],
            detail=_text(payload.get("detail")),
            errors=_field_problems(payload.get("errors")),
            retry_after_s=retry_after,
        )
    # Without a problem body only these two statuses still mean something to the app.
    if status == 401:
        return RelayProblem(status=status, code="unauthorized")
    if status == 429:
        return RelayProblem(status=status, code="rate_limited", retry_after_s=retry_after)
    return RelayUnavailable(f"HTTP {status} without a problem body")


def _json_or_none(response: httpx.Response) -> object:
    try:
        return response.json()
    except ValueError:
        return None


def _text(value: object) -> str:
    return value[:_MAX_TEXT] if isinstance(value, str) else ""


def _field_problems(raw: object) -> tuple[FieldProblem, ...]:
    if not isinstance(raw, list):
        return ()
    found = []
    for item in raw[:_MAX_FIELD_ERRORS]:
        if isinstance(item, dict) and isinstance(item.get("field"), str):
            found.append(
                FieldProblem(item["field"][:_MAX_TEXT], _text(item.get("code")), _text(item.get("message")))
            )
    return tuple(found)


def _retry_after(raw: str | None) -> int | None:
    """Seconds from a `Retry-After` header; the HTTP-date form is rare enough to ignore."""
    if raw is None or not raw.strip().isdigit():
        return None
    return min(int(raw.strip()), _MAX_RETRY_AFTER_S)
