"""Outbox handlers that mail citizens: verification code, reset code, sign-up attempt warning.

A code handler draws the code and commits its digest *before* sending, so a mail never carries a
code the database does not know. A retry after a failed send draws a new code for the same row.
Mails go out in the account's language.
"""

from __future__ import annotations

from typing import Any

from cna_relay.accounts.codes import draw_code
from cna_relay.accounts.models import Account
from cna_relay.context import RelayContext
from cna_relay.mail import MailDeliveryError, OutgoingMail, PermanentMailError
from cna_relay.outbox import ClaimedEntry, PermanentDeliveryError, TransientDeliveryError

VERIFICATION_TEMPLATE = "account_verification"
RESET_TEMPLATE = "account_reset"
SIGNUP_ATTEMPT_TEMPLATE = "account_signup_attempt"
# Where the "someone tried to sign up with your address" mail sends the owner.
RESET_PATH = "/wachtwoord-vergeten"


async def send_code_mail(context: RelayContext, entry: ClaimedEntry, *, template: str) -> dict[str, Any]:
    settings = context.settings
    async with context.db.transaction() as session:
        account = await session.get(Account, str(entry.payload["account_id"]))
        if account is None or account.email is None:
            return {"skipped": "account deleted"}
        if template == VERIFICATION_TEMPLATE and account.email_verified:
            return {"skipped": "already verified"}
        code = await draw_code(
            session,
            int(entry.payload["code_id"]),
            now=context.clock.now(),
            ttl_s=settings.verification_code_ttl_s,
        )
    if code is None:
        return {"skipped": "code used or replaced"}
    values = {
        "first_name": account.first_name or "",
        "code": code,
        "minutes": settings.verification_code_ttl_s // 60,
    }
    await _send(context, account, template, values)
    return {"sent_to_account": account.id}


async def send_signup_attempt_mail(context: RelayContext, entry: ClaimedEntry) -> dict[str, Any]:
    async with context.db.sessions() as session:
        account = await session.get(Account, str(entry.payload["account_id"]))
    if account is None or account.email is None:
        return {"skipped": "account deleted"}
    reset_url = context.settings.app_url.rstrip("/") + RESET_PATH
    await _send(
        context,
        account,
        SIGNUP_ATTEMPT_TEMPLATE,
        {"first_name": account.first_name or "", "reset_url": reset_url},
    )
    return {"sent_to_account": account.id}


async def _send(context: RelayContext, account: Account, template: str, values: dict[str, Any]) -> None:
    assert account.email is not None
    rendered = context.mail_renderer.render(template, account.language, values)
    mail = OutgoingMail(to=account.email, subject=rendered.subject, text=rendered.text, html=rendered.html)
    try:
        await context.mailer.send(mail)
    except PermanentMailError as exc:
        raise PermanentDeliveryError(str(exc)) from exc
    except MailDeliveryError as exc:
        raise TransientDeliveryError(str(exc)) from exc
