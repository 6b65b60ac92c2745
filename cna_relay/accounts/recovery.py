"""Password reset by mailed code. Asking for a reset answers the same for every address.

Confirming a reset also proves the address, so an account that was never verified becomes
verified (and its klantenfiche is queued); every earlier session ends.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from cna_app.contract.wire import TokenPair
from cna_relay.accounts import jobs
from cna_relay.accounts.codes import CodeOutcome, check_code, discard_codes, prepare_code
from cna_relay.accounts.emails import email_or_problem
from cna_relay.accounts.errors import code_problem
from cna_relay.accounts.fields import check_code_format, check_new_password
from cna_relay.accounts.limits import (
    CODE_PER_ADDRESS,
    CODE_PER_IP,
    RESET_PER_ADDRESS,
    RESET_PER_IP,
    enforce,
)
from cna_relay.accounts.models import Account, CodePurpose
from cna_relay.accounts.service import AccountService
from cna_relay.accounts.sessions import IssuedTokens, RevokeReason, revoke_all, start_session
from cna_relay.accounts.signup import mark_verified
from cna_relay.accounts.store import account_by_email
from cna_relay.accounts.views import token_pair


async def request_reset(service: AccountService, body: Mapping[str, Any], *, client_ip: str) -> None:
    context = service.context
    email = email_or_problem(body.get("email"))
    await enforce(context, (RESET_PER_IP, client_ip), (RESET_PER_ADDRESS, email))
    async with context.db.transaction() as session:
        account = await account_by_email(session, email)
        if account is None:
            return
        code_id = await prepare_code(
            session, account_id=account.id, purpose=CodePurpose.RESET, now=context.clock.now()
        )
        await jobs.enqueue_code_mail(
            session, context, kind=jobs.RESET_MAIL, account_id=account.id, code_id=code_id
        )
    context.wake_dispatcher()


async def confirm_reset(service: AccountService, body: Mapping[str, Any], *, client_ip: str) -> TokenPair:
    context = service.context
    email = email_or_problem(body.get("email"))
    code = check_code_format(body.get("code"))
    password = check_new_password(
        body.get("new_password"), email=email, policy=context.settings.password_policy, field="new_password"
    )
    await enforce(context, (CODE_PER_IP, client_ip), (CODE_PER_ADDRESS, email))
    # Hashed before the code is checked: every guess costs the same, right or wrong.
    password_hash = await service.passwords.hash(password)
    now = context.clock.now()
    outcome, tokens = CodeOutcome.WRONG, None
    async with context.db.transaction() as session:
        account = await account_by_email(session, email)
        if account is not None:
            check = await check_code(
                session,
                account,
                CodePurpose.RESET,
                code,
                now=now,
                max_attempts=context.settings.verification_code_attempts,
            )
            outcome = check.outcome
            if outcome is CodeOutcome.ACCEPTED:
                tokens = await _apply_reset(session, service, account, password_hash)
    if tokens is None or account is None:
        raise code_problem(outcome)
    context.wake_dispatcher()
    return token_pair(tokens, account, context.settings)


async def _apply_reset(
    session: AsyncSession, service: AccountService, account: Account, password_hash: str
) -> IssuedTokens:
    context = service.context
    now = context.clock.now()
    account.password_hash = password_hash
    account.updated_at = now
    await discard_codes(session, account.id, CodePurpose.RESET)
    if not account.email_verified:
        await mark_verified(session, service, account)
    await revoke_all(session, account.id, RevokeReason.PASSWORD_RESET, now=now)
    return await start_session(session, context, account)
