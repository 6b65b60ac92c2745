"""Log in, refresh, log out (this device or everywhere).

A log-in for an unknown address costs one argon2 verification against a dummy hash and fails
with the same `invalid_credentials` answer as a wrong password.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cna_app.contract.wire import TokenPair
from cna_relay.accounts.emails import email_or_problem
from cna_relay.accounts.errors import invalid_credentials
from cna_relay.accounts.fields import given_password
from cna_relay.accounts.limits import LOGIN_PER_ADDRESS, LOGIN_PER_IP, enforce
from cna_relay.accounts.principal import AuthSession
from cna_relay.accounts.service import AccountService
from cna_relay.accounts.sessions import (
    RefreshOutcome,
    RevokeReason,
    revoke_all,
    revoke_session,
    rotate,
    start_session,
)
from cna_relay.accounts.store import account_by_email, account_by_id
from cna_relay.accounts.views import token_pair
from cna_relay.problems import Unauthorized


async def log_in(service: AccountService, body: Mapping[str, Any], *, client_ip: str) -> TokenPair:
    context = service.context
    email = email_or_problem(body.get("email"))
    password = given_password(body.get("password"))
    await enforce(context, (LOGIN_PER_IP, client_ip), (LOGIN_PER_ADDRESS, email))
    async with context.db.sessions() as session:
        account = await account_by_email(session, email)
    stored_hash = account.password_hash if account is not None else None
    if not await service.passwords.verify(stored_hash, password) or account is None:
        raise invalid_credentials()
    await context.limiter.reset(LOGIN_PER_ADDRESS, email)
    rehash = (
        await service.passwords.hash(password) if service.passwords.needs_rehash(stored_hash or "") else None
    )
    async with context.db.transaction() as session:
        current = await account_by_id(session, account.id)
        if current is None or current.is_deleted:
            raise invalid_credentials()
        if rehash is not None and current.password_hash == stored_hash:
            # Parameters changed since this hash was made: upgrade it while we know the password.
            current.password_hash = rehash
        tokens = await start_session(session, context, current)
    return token_pair(tokens, current, context.settings)


async def refresh(service: AccountService, body: Mapping[str, Any]) -> TokenPair:
    """New tokens for a refresh token, which is used up. 401 `session_revoked` when the session
    ended, expired, or the token was already used (which ends the session)."""
    context = service.context
    token = body.get("refresh_token")
    token = token if isinstance(token, str) else ""
    async with context.db.transaction() as session:
        outcome, tokens, account = await rotate(session, context, token)
    if outcome is RefreshOutcome.UNKNOWN:
        raise Unauthorized()
    if tokens is None or account is None:
        raise Unauthorized("session_revoked")
    return token_pair(tokens, account, context.settings)


async def log_out(service: AccountService, caller: AuthSession) -> None:
    context = service.context
    async with context.db.transaction() as session:
        await revoke_session(session, caller.session_id, RevokeReason.LOGOUT, now=context.clock.now())


async def log_out_everywhere(service: AccountService, caller: AuthSession) -> None:
    context = service.context
    async with context.db.transaction() as session:
        await revoke_all(session, caller.account_id, RevokeReason.LOGOUT_ALL, now=context.clock.now())
