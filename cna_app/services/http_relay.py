"""`HttpRelayApi`: the relay's `/v1` API over httpx, the only place that knows its URLs.

Every request carries `Accept-Language` with the app's current language, so problem texts come
back in the user's language. Errors are translated once, in `_send`, into the tree of
`cna_app.services.errors`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import httpx

from cna_app.contract.wire import (
    AccountView,
    ConfigView,
    DeleteAccountIn,
    EmailIn,
    Language,
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
from cna_app.services.errors import FieldProblem, RelayError, RelayProblem, RelayUnavailable
from cna_app.services.wire_check import WireShapeError, check_wire

T = TypeVar("T")
# Bounds on what a problem may make the app display or keep; a broken proxy can send megabytes.
_MAX_FIELD_ERRORS = 50
_MAX_TEXT = 500
_MAX_RETRY_AFTER_S = 24 * 3600


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

    async def _json(
        self, method: str, path: str, shape: type[T], *, body: Any = None, token: str | None = None
    ) -> T:
        response = await self._send(method, path, body=body, token=token)
        try:
            return check_wire(response.json(), shape)
        except (ValueError, WireShapeError) as exc:
            raise RelayUnavailable(f"{method} {path}: unusable answer ({exc})") from exc

    async def _send(
        self, method: str, path: str, *, body: Any = None, token: str | None = None
    ) -> httpx.Response:
        headers: dict[str, str] = {"Accept-Language": self._language()}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        try:
            response = await self._client.request(method, path, json=body, headers=headers)
        except httpx.HTTPError as exc:
            raise RelayUnavailable(f"{method} {path}: {type(exc).__name__}") from exc
        if response.is_success:
            return response
        raise error_from_response(response)


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
