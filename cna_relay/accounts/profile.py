"""The signed-in citizen's own account: read, edit, change password, delete."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from cna_app.contract.wire import AccountView, TokenPair
from cna_relay.accounts import jobs
from cna_relay.accounts.codes import discard_codes
from cna_relay.accounts.fields import check_new_password, clean_profile_changes, given_password
from cna_relay.accounts.limits import PASSWORD_PER_ACCOUNT, enforce
from cna_relay.accounts.models import Account
from cna_relay.accounts.principal import AuthSession
from cna_relay.accounts.service import AccountService
from cna_relay.accounts.sessions import RevokeReason, revoke_all, start_session
from cna_relay.accounts.store import account_by_id, erase_personal_data
from cna_relay.accounts.views import account_view, token_pair
from cna_relay.problems import FieldError, Unauthorized, ValidationFailed


async def _live_account(session: AsyncSession, caller: AuthSession) -> Account:
    account = await account_by_id(session, caller.account_id)
    if account is None or account.is_deleted:
        raise Unauthorized("session_revoked")
    return account


async def read_me(service: AccountService, caller: AuthSession) -> AccountView:
    async with service.context.db.sessions() as session:
        return account_view(await _live_account(session, caller))


async def update_me(
    service: AccountService, caller: AuthSession, body: Mapping[str, Any], *, language: str
) -> AccountView:
    """Apply the given fields; a verified citizen's change is pushed to InvGate via the outbox."""
    context = service.context
    changes = clean_profile_changes(body)
    if "language" in changes and changes["language"] is None:
        changes["language"] = language  # "no preference": mails follow the language in use
    async with context.db.transaction() as session:
        account = await _live_account(session, caller)
        changed = {name: value for name, value in changes.items() if getattr(account, name) != value}
        for name, value in changed.items():
            setattr(account, name, value)
        if changed:
            account.updated_at = context.clock.now()
            if account.email_verified and account.role == "citizen":
                await jobs.enqueue_customer_job(
                    session, context, kind=jobs.UPDATE_CUSTOMER, account_id=account.id
                )
    if changed:
        context.wake_dispatcher()
    return account_view(account)


async def _prove_password(
    service: AccountService, caller: AuthSession, password: str, *, field: str
) -> Account:
    """The caller's account, once `password` is its current password (rate limited per account)."""
    context = service.context
    await enforce(context, (PASSWORD_PER_ACCOUNT, caller.account_id))
    async with context.db.sessions() as session:
        account = await _live_account(session, caller)
    if not await service.passwords.verify(account.password_hash, password):
        raise ValidationFailed([FieldError(field, "wrong_password")])
    return account


async def change_password(service: AccountService, caller: AuthSession, body: Mapping[str, Any]) -> TokenPair:
    """New password; every session ends and this device gets a fresh one."""
    context = service.context
    current = given_password(body.get("current_password"), field="current_password")
    account = await _prove_password(service, caller, current, field="current_password")
    new = check_new_password(
        body.get("new_password"),
        email=account.email or "",
        policy=context.settings.password_policy,
        field="new_password",
    )
    password_hash = await service.passwords.hash(new)
    async with context.db.transaction() as session:
        account = await _live_account(session, caller)
        now = context.clock.now()
        account.password_hash = password_hash
        account.updated_at = now
        await revoke_all(session, account.id, RevokeReason.PASSWORD_CHANGED, now=now)
        tokens = await start_session(session, context, account)
    return token_pair(tokens, account, context.settings)


async def delete_me(service: AccountService, caller: AuthSession, body: Mapping[str, Any]) -> None:
    """Delete the account: sessions end, other domains' hooks run, the InvGate customer is
    disabled via the outbox, and the row keeps no personal data. Reports already in ESM stay."""
    context = service.context
    password = given_password(body.get("password"))
    await _prove_password(service, caller, password, field="password")
    async with context.db.transaction() as session:
        account = await _live_account(session, caller)
        now = context.clock.now()
        await revoke_all(session, account.id, RevokeReason.ACCOUNT_DELETED, now=now)
        await discard_codes(session, account.id)
        for hook in service.on_account_deleted:
            await hook(session, account.id)
        await jobs.enqueue_customer_job(session, context, kind=jobs.DISABLE_CUSTOMER, account_id=account.id)
        erase_personal_data(account, now=now)
    context.wake_dispatcher()
