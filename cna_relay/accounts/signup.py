"""Sign-up, e-mail verification and resending the code.

Sign-up answers the same for a new address, a pending one and one that already has an account;
only the mail differs (a code, or "someone tried to sign up with your address").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from cna_app.contract.wire import SignUpAccepted, TokenPair
from cna_relay.accounts import jobs
from cna_relay.accounts.codes import CodeOutcome, check_code, discard_codes, prepare_code
from cna_relay.accounts.emails import email_or_problem
from cna_relay.accounts.errors import code_problem
from cna_relay.accounts.fields import Profile, check_code_format, check_new_password, clean_profile
from cna_relay.accounts.limits import (
    CODE_PER_ADDRESS,
    CODE_PER_IP,
    RESEND_PER_ADDRESS,
    RESEND_PER_IP,
    SIGNUP_PER_ADDRESS,
    SIGNUP_PER_IP,
    enforce,
    resend_cooldown,
)
from cna_relay.accounts.models import Account, CodePurpose
from cna_relay.accounts.service import AccountService
from cna_relay.accounts.sessions import RevokeReason, revoke_all, start_session
from cna_relay.accounts.store import account_by_email, apply_pending_profile, new_account
from cna_relay.accounts.views import token_pair, verification_sent


async def sign_up(
    service: AccountService, body: Mapping[str, Any], *, language: str, client_ip: str
) -> SignUpAccepted:
    context = service.context
    email = email_or_problem(body.get("email"))
    profile = clean_profile(body)
    password = check_new_password(body.get("password"), email=email, policy=context.settings.password_policy)
    await enforce(context, (SIGNUP_PER_IP, client_ip), (SIGNUP_PER_ADDRESS, email))
    # Hashed whatever the address's state, so the answer takes as long for a taken address.
    password_hash = await service.passwords.hash(password)
    try:
        await _record_sign_up(service, email, profile, password_hash, language=language)
    except IntegrityError:
        # Two sign-ups for one new address raced; the loser now finds the winner's account.
        await _record_sign_up(service, email, profile, password_hash, language=language)
    await context.limiter.hit(resend_cooldown(context), email)
    context.wake_dispatcher()
    return verification_sent(email, context.settings)


async def _record_sign_up(
    service: AccountService, email: str, profile: Profile, password_hash: str, *, language: str
) -> None:
    context = service.context
    now = context.clock.now()
    async with context.db.transaction() as session:
        account = await account_by_email(session, email)
        if account is not None and account.email_verified:
            await jobs.enqueue_signup_attempt_mail(session, context, account_id=account.id, now=now)
            return
        if account is None:
            account = new_account(
                email=email,
                password_hash=password_hash,
                profile=profile,
                role="citizen",
                language=language,
                now=now,
            )
            session.add(account)
            await session.flush()
        else:
            apply_pending_profile(account, profile, now=now)
            account.password_hash = password_hash
        await _send_verification_code(session, service, account, password_hash=password_hash)


async def _send_verification_code(
    session: AsyncSession, service: AccountService, account: Account, *, password_hash: str | None
) -> None:
    context = service.context
    code_id = await prepare_code(
        session,
        account_id=account.id,
        purpose=CodePurpose.VERIFY,
        now=context.clock.now(),
        password_hash=password_hash,
    )
    await jobs.enqueue_code_mail(
        session, context, kind=jobs.VERIFICATION_MAIL, account_id=account.id, code_id=code_id
    )


async def resend_verification(
    service: AccountService, body: Mapping[str, Any], *, client_ip: str
) -> SignUpAccepted:
    """A new code for a pending account; silently nothing for any other address."""
    context = service.context
    email = email_or_problem(body.get("email"))
    await enforce(
        context,
        (RESEND_PER_IP, client_ip),
        (RESEND_PER_ADDRESS, email),
        (resend_cooldown(context), email),
    )
    async with context.db.transaction() as session:
        account = await account_by_email(session, email)
        if account is not None and not account.email_verified:
            # The code carries the password of the latest sign-up, as the account row does.
            await _send_verification_code(session, service, account, password_hash=account.password_hash)
    context.wake_dispatcher()
    return verification_sent(email, context.settings)


async def verify_email(service: AccountService, body: Mapping[str, Any], *, client_ip: str) -> TokenPair:
    """Prove the address with its code: the account is verified, its klantenfiche queued, and a
    fresh session started (sessions opened before verification are ended)."""
    context = service.context
    email = email_or_problem(body.get("email"))
    code = check_code_format(body.get("code"))
    await enforce(context, (CODE_PER_IP, client_ip), (CODE_PER_ADDRESS, email))
    now = context.clock.now()
    outcome, tokens = CodeOutcome.WRONG, None
    async with context.db.transaction() as session:
        account = await account_by_email(session, email)
        if account is not None and not account.email_verified:
            check = await check_code(
                session,
                account,
                CodePurpose.VERIFY,
                code,
                now=now,
                max_attempts=context.settings.verification_code_attempts,
            )
            outcome = check.outcome
            if outcome is CodeOutcome.ACCEPTED:
                account.password_hash = check.password_hash or account.password_hash
                await mark_verified(session, service, account)
                tokens = await start_session(session, context, account)
    if tokens is None or account is None:
        raise code_problem(outcome)
    context.wake_dispatcher()
    return token_pair(tokens, account, context.settings)


async def mark_verified(session: AsyncSession, service: AccountService, account: Account) -> None:
    """The address is proven: end earlier sessions, drop codes, queue the klantenfiche."""
    context = service.context
    now = context.clock.now()
    account.verified_at = now
    account.updated_at = now
    await discard_codes(session, account.id, CodePurpose.VERIFY)
    await revoke_all(session, account.id, RevokeReason.EMAIL_VERIFIED, now=now)
    if account.role == "citizen":
        await jobs.enqueue_customer_job(session, context, kind=jobs.ENSURE_CUSTOMER, account_id=account.id)
