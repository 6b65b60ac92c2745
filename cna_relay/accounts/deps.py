"""Authentication dependencies for routes: who is calling, and may they do this?

CurrentSession   any live session          401 `unauthorized` / `session_revoked`
VerifiedSession  + e-mail verified         403 `email_not_verified`
StaffSession     + role staff              403 `forbidden`
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from cna_relay.accounts.principal import AuthSession, Role
from cna_relay.accounts.sessions import session_for_access_token
from cna_relay.deps import get_context
from cna_relay.problems import Forbidden, Unauthorized

__all__ = ["AuthSession", "CurrentSession", "Role", "StaffSession", "VerifiedSession"]

# A bearer token is 43 URL-safe characters; anything far longer is not worth hashing.
_MAX_TOKEN_LENGTH = 256


def bearer_token(request: Request) -> str:
    """The token of an `Authorization: Bearer <token>` header, or `Unauthorized`."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > _MAX_TOKEN_LENGTH:
        raise Unauthorized()
    return token


async def current_session(request: Request) -> AuthSession:
    session = await session_for_access_token(get_context(request), bearer_token(request))
    request.state.auth_session = session
    return session


async def verified_session(session: Annotated[AuthSession, Depends(current_session)]) -> AuthSession:
    if not session.email_verified:
        raise Forbidden("email_not_verified")
    return session


async def staff_session(session: Annotated[AuthSession, Depends(current_session)]) -> AuthSession:
    if session.role != "staff":
        raise Forbidden("forbidden")
    return session


CurrentSession = Annotated[AuthSession, Depends(current_session)]
VerifiedSession = Annotated[AuthSession, Depends(verified_session)]
StaffSession = Annotated[AuthSession, Depends(staff_session)]
