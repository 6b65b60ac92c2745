"""HTTP endpoints of accounts and sessions (`docs/api.md`). Bodies are the contract's TypedDicts.

Every account endpoint refuses bodies over `MAX_BODY_BYTES` with 413 before parsing them: no
legitimate form comes near it, and a 1 MB field must never reach the JSON parser or argon2.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine, MutableMapping
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException

from cna_app.contract.wire import (
    AccountView,
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
from cna_relay.accounts import auth, profile, recovery, signup
from cna_relay.accounts.deps import CurrentSession
from cna_relay.accounts.service import Accounts
from cna_relay.deps import ClientIp, Language
from cna_relay.problems import request_language

MAX_BODY_BYTES = 16 * 1024

Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]


def _capped(receive: Receive, limit: int) -> Receive:
    seen = 0

    async def capped_receive() -> MutableMapping[str, Any]:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                # An HTTPException survives FastAPI's body parsing and becomes `payload_too_large`.
                raise StarletteHTTPException(status_code=413)
        return message

    return capped_receive


class AccountRoute(APIRoute):
    """Caps the body size (declared or streamed) and labels answers with `Content-Language`."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def bounded(request: Request) -> Response:
            declared = request.headers.get("content-length", "")
            if declared and (not declared.isdigit() or int(declared) > MAX_BODY_BYTES):
                raise StarletteHTTPException(status_code=413)
            response = await handler(Request(request.scope, _capped(request.receive, MAX_BODY_BYTES)))
            response.headers.setdefault("Content-Language", request_language(request))
            return response

        return bounded


router = APIRouter(prefix="/v1", route_class=AccountRoute, tags=["accounts"])


@router.post("/accounts", status_code=202)
async def sign_up(body: SignUpIn, accounts: Accounts, language: Language, ip: ClientIp) -> SignUpAccepted:
    return await signup.sign_up(accounts, body, language=language, client_ip=ip)


@router.post("/accounts/verify")
async def verify(body: VerifyIn, accounts: Accounts, ip: ClientIp) -> TokenPair:
    return await signup.verify_email(accounts, body, client_ip=ip)


@router.post("/accounts/verify/resend", status_code=202)
async def resend(body: EmailIn, accounts: Accounts, ip: ClientIp) -> SignUpAccepted:
    return await signup.resend_verification(accounts, body, client_ip=ip)


@router.post("/auth/login")
async def log_in(body: LoginIn, accounts: Accounts, ip: ClientIp) -> TokenPair:
    return await auth.log_in(accounts, body, client_ip=ip)


@router.post("/auth/refresh")
async def refresh(body: RefreshIn, accounts: Accounts) -> TokenPair:
    return await auth.refresh(accounts, body)


@router.post("/auth/logout", status_code=204)
async def log_out(caller: CurrentSession, accounts: Accounts) -> Response:
    await auth.log_out(accounts, caller)
    return Response(status_code=204)


@router.post("/auth/logout-all", status_code=204)
async def log_out_everywhere(caller: CurrentSession, accounts: Accounts) -> Response:
    await auth.log_out_everywhere(accounts, caller)
    return Response(status_code=204)


@router.post("/auth/password-reset", status_code=202)
async def request_reset(body: EmailIn, accounts: Accounts, ip: ClientIp) -> Response:
    await recovery.request_reset(accounts, body, client_ip=ip)
    return Response(status_code=202)


@router.post("/auth/password-reset/confirm")
async def confirm_reset(body: PasswordResetConfirmIn, accounts: Accounts, ip: ClientIp) -> TokenPair:
    return await recovery.confirm_reset(accounts, body, client_ip=ip)


@router.get("/me")
async def read_me(caller: CurrentSession, accounts: Accounts) -> AccountView:
    return await profile.read_me(accounts, caller)


@router.patch("/me")
async def update_me(
    body: ProfileUpdateIn, caller: CurrentSession, accounts: Accounts, language: Language
) -> AccountView:
    return await profile.update_me(accounts, caller, body, language=language)


@router.post("/me/password")
async def change_password(body: PasswordChangeIn, caller: CurrentSession, accounts: Accounts) -> TokenPair:
    return await profile.change_password(accounts, caller, body)


@router.post("/me/delete", status_code=204)
async def delete_me(body: DeleteAccountIn, caller: CurrentSession, accounts: Accounts) -> Response:
    await profile.delete_me(accounts, caller, body)
    return Response(status_code=204)
