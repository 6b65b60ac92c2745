"""Outbox entry kinds of the accounts domain and how they are enqueued.

Payloads carry ids only, never personal data or codes: handlers read the current state when they
run, so a queued update always pushes the latest profile and a deleted account leaves nothing
behind in the outbox.

Every entry that touches the citizen's InvGate customer uses the lock key `customer:<account_id>`
(see `customer_lock`); ticket creation for that citizen uses the same key, so they never overlap.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from cna_relay.context import RelayContext

VERIFICATION_MAIL = "account_verification_mail"
RESET_MAIL = "account_reset_mail"
SIGNUP_ATTEMPT_MAIL = "account_signup_attempt_mail"
ENSURE_CUSTOMER = "ensure_customer"
UPDATE_CUSTOMER = "update_customer"
DISABLE_CUSTOMER = "disable_customer"


def customer_lock(account_id: str) -> str:
    """The outbox lock key of everything that touches this citizen's InvGate customer record."""
    return f"customer:{account_id}"


async def enqueue_code_mail(
    session: AsyncSession, context: RelayContext, *, kind: str, account_id: str, code_id: int
) -> None:
    # Not the code id alone: SQLite reuses the ids of deleted rows, and a reused key would be ignored.
    await context.outbox.enqueue(
        session,
        kind=kind,
        dedupe_key=f"{kind}:{code_id}:{uuid.uuid4()}",
        payload={"account_id": account_id, "code_id": code_id},
        subject_id=account_id,
    )


async def enqueue_signup_attempt_mail(
    session: AsyncSession, context: RelayContext, *, account_id: str, now: datetime
) -> None:
    # At most one warning per account per hour: repeated attempts must not become a mail bomb.
    hour = int(now.timestamp()) // 3600
    await context.outbox.enqueue(
        session,
        kind=SIGNUP_ATTEMPT_MAIL,
        dedupe_key=f"{SIGNUP_ATTEMPT_MAIL}:{account_id}:{hour}",
        payload={"account_id": account_id},
        subject_id=account_id,
    )


async def enqueue_customer_job(
    session: AsyncSession, context: RelayContext, *, kind: str, account_id: str
) -> None:
    """`ensure_customer` and `disable_customer` happen once per account; every profile edit is
    its own `update_customer`."""
    suffix = f":{uuid.uuid4()}" if kind == UPDATE_CUSTOMER else ""
    await context.outbox.enqueue(
        session,
        kind=kind,
        dedupe_key=f"{kind}:{account_id}{suffix}",
        payload={"account_id": account_id},
        lock_key=customer_lock(account_id),
        subject_id=account_id,
    )
