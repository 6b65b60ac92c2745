"""Mailed 6-digit codes (e-mail verification, password reset).

Life of a code: the request that needs one adds an empty row and an outbox entry in the same
transaction; the entry's handler draws the code, stores its salted digest and mails it. No
plaintext code is ever stored, not even in the outbox.

Decision: a newer code does not cancel older ones. Each stays valid until it expires (15 min)
or until 5 wrong guesses have been made on the address, whichever comes first; the first correct
code consumes all of them. Mails can arrive out of order, and a verification code carries the
password of its own sign-up, so cancelling would let a later sign-up hijack an earlier one. At
most `MAX_LIVE_CODES` rows are kept per account and purpose.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from cna_relay.accounts.models import Account, CodePurpose, OneTimeCode
from cna_relay.accounts.tokens import code_digest, new_code, new_salt, same_digest

MAX_LIVE_CODES = 3


class CodeOutcome(StrEnum):
    ACCEPTED = "accepted"
    WRONG = "wrong"
    EXPIRED = "expired"


@dataclass(frozen=True, slots=True)
class CodeCheck:
    outcome: CodeOutcome
    # For an accepted verification code: the password hash of the sign-up that asked for it.
    password_hash: str | None = None


async def prepare_code(
    session: AsyncSession,
    *,
    account_id: str,
    purpose: CodePurpose,
    now: datetime,
    password_hash: str | None = None,
) -> int:
    """Add an empty code row (its handler fills it in) and prune old ones; returns the row id."""
    rows = (
        await session.execute(
            select(OneTimeCode.id)
            .where(OneTimeCode.account_id == account_id, OneTimeCode.purpose == purpose.value)
            .order_by(OneTimeCode.id.desc())
        )
    ).scalars()
    stale = list(rows)[MAX_LIVE_CODES - 1 :]
    if stale:
        await session.execute(delete(OneTimeCode).where(OneTimeCode.id.in_(stale)))
    row = OneTimeCode(
        account_id=account_id,
        purpose=purpose.value,
        password_hash=password_hash,
        attempts=0,
        created_at=now,
    )
    session.add(row)
    await session.flush()
    return row.id


async def draw_code(session: AsyncSession, code_id: int, *, now: datetime, ttl_s: int) -> str | None:
    """Give the row a fresh code (valid `ttl_s` from now) and return it; None when the row is gone
    (used or pruned). Drawing again replaces the code: the earlier mail was never confirmed sent."""
    row = await session.get(OneTimeCode, code_id)
    if row is None:
        return None
    code, salt = new_code(), new_salt()
    row.salt = salt
    row.code_hash = code_digest(code, salt=salt, account_id=row.account_id, purpose=row.purpose)
    row.expires_at = now + timedelta(seconds=ttl_s)
    row.attempts = 0
    return code


async def check_code(
    session: AsyncSession,
    account: Account,
    purpose: CodePurpose,
    code: str,
    *,
    now: datetime,
    max_attempts: int,
) -> CodeCheck:
    """Compare `code` with every drawn code of the account (constant time each).

    A wrong code counts one attempt on every live code. Answers `EXPIRED` only when the code
    matches one that lapsed, so the answer never tells a guesser anything about the account.
    """
    rows = await _drawn_codes(session, account.id, purpose)
    for row in rows:
        assert row.salt is not None and row.code_hash is not None and row.expires_at is not None
        digest = code_digest(code, salt=row.salt, account_id=account.id, purpose=purpose.value)
        if not same_digest(digest, row.code_hash):
            continue
        if row.expires_at <= now or row.attempts >= max_attempts:
            return CodeCheck(CodeOutcome.EXPIRED)
        return CodeCheck(CodeOutcome.ACCEPTED, password_hash=row.password_hash)
    live = [row.id for row in rows if row.expires_at is not None and row.expires_at > now]
    if live:
        await session.execute(
            update(OneTimeCode).where(OneTimeCode.id.in_(live)).values(attempts=OneTimeCode.attempts + 1)
        )
    return CodeCheck(CodeOutcome.WRONG)


async def _drawn_codes(session: AsyncSession, account_id: str, purpose: CodePurpose) -> list[OneTimeCode]:
    query = select(OneTimeCode).where(
        OneTimeCode.account_id == account_id,
        OneTimeCode.purpose == purpose.value,
        OneTimeCode.code_hash.is_not(None),
    )
    return list((await session.execute(query)).scalars())


async def discard_codes(session: AsyncSession, account_id: str, *purposes: CodePurpose) -> None:
    query = delete(OneTimeCode).where(OneTimeCode.account_id == account_id)
    if purposes:
        query = query.where(OneTimeCode.purpose.in_([purpose.value for purpose in purposes]))
    await session.execute(query)
