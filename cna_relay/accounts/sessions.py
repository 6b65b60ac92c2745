"""Sessions and their tokens: issue, look up, rotate, revoke.

A session is one logged-in device. It holds one short-lived access token at a time (older ones
simply expire) and one current refresh token. Refreshing exchanges the refresh token for a new
pair; presenting an exchanged refresh token again means it was copied, so the whole session ends.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from cna_relay.accounts.models import AccessToken, Account, RefreshToken, SessionRecord
from cna_relay.accounts.principal import AuthSession, Role
from cna_relay.accounts.tokens import looks_like_token, new_token, same_digest, token_digest
from cna_relay.context import RelayContext
from cna_relay.problems import Unauthorized

# Ended sessions are kept a while (longer than any refresh token) for operators, then forgotten.
_ENDED_SESSION_RETENTION_DAYS = 60


class RevokeReason(StrEnum):
    LOGOUT = "logout"
    LOGOUT_ALL = "logout_all"
    PASSWORD_CHANGED = "password_changed"  # noqa: S105 - a reason, not a password
    PASSWORD_RESET = "password_reset"  # noqa: S105 - a reason, not a password
    EMAIL_VERIFIED = "email_verified"
    REFRESH_REUSED = "refresh_reused"
    ACCOUNT_DELETED = "account_deleted"


@dataclass(frozen=True, slots=True)
class IssuedTokens:
    session_id: str
    access_token: str
    refresh_token: str


async def start_session(session: AsyncSession, context: RelayContext, account: Account) -> IssuedTokens:
    """A new session for `account`, with the account's current role."""
    now = context.clock.now()
    record = SessionRecord(
        id=str(uuid.uuid4()), account_id=account.id, role=account.role, created_at=now, refreshed_at=now
    )
    await purge_expired(session, account.id, now=now)
    session.add(record)
    await session.flush()
    return await _issue_pair(session, context, record.id, now)


async def _issue_pair(
    session: AsyncSession, context: RelayContext, session_id: str, now: datetime
) -> IssuedTokens:
    settings = context.settings
    access, refresh = new_token(), new_token()
    session.add(
        AccessToken(
            token_hash=token_digest(access),
            session_id=session_id,
            created_at=now,
            expires_at=now + timedelta(seconds=settings.access_token_ttl_s),
        )
    )
    session.add(
        RefreshToken(
            token_hash=token_digest(refresh),
            session_id=session_id,
            created_at=now,
            expires_at=now + timedelta(seconds=settings.refresh_token_ttl_s),
        )
    )
    return IssuedTokens(session_id=session_id, access_token=access, refresh_token=refresh)


class RefreshOutcome(StrEnum):
    ROTATED = "rotated"
    UNKNOWN = "unknown"
    ENDED = "ended"


async def rotate(
    session: AsyncSession, context: RelayContext, refresh_token: str
) -> tuple[RefreshOutcome, IssuedTokens | None, Account | None]:
    """Exchange a refresh token for a new pair. A replayed token revokes its session (the caller
    must commit that before answering 401, hence an outcome rather than an exception)."""
    if not looks_like_token(refresh_token):
        return RefreshOutcome.UNKNOWN, None, None
    now = context.clock.now()
    digest = token_digest(refresh_token)
    row = await session.get(RefreshToken, digest)
    if row is None or not same_digest(row.token_hash, digest):
        return RefreshOutcome.UNKNOWN, None, None
    record = await session.get(SessionRecord, row.session_id)
    account = await session.get(Account, record.account_id) if record else None
    if record is None or account is None or record.revoked_at is not None or account.is_deleted:
        return RefreshOutcome.ENDED, None, None
    # Atomic claim: of two concurrent requests with one token, exactly one rotates it.
    claimed = await session.execute(
        update(RefreshToken)
        .where(RefreshToken.token_hash == digest, RefreshToken.used_at.is_(None))
        .values(used_at=now)
        .returning(RefreshToken.token_hash)
    )
    if claimed.first() is None:
        await revoke_session(session, record.id, RevokeReason.REFRESH_REUSED, now=now)
        return RefreshOutcome.ENDED, None, None
    if row.expires_at <= now:
        return RefreshOutcome.ENDED, None, None
    record.refreshed_at = now
    return RefreshOutcome.ROTATED, await _issue_pair(session, context, record.id, now), account


async def revoke_session(
    session: AsyncSession, session_id: str, reason: RevokeReason, *, now: datetime
) -> None:
    await session.execute(
        update(SessionRecord)
        .where(SessionRecord.id == session_id, SessionRecord.revoked_at.is_(None))
        .values(revoked_at=now, revoke_reason=reason.value)
    )


async def revoke_all(
    session: AsyncSession, account_id: str, reason: RevokeReason, *, now: datetime, keep: str | None = None
) -> None:
    """End every session of the account (except `keep`, the caller's own, when given)."""
    query = select(SessionRecord.id).where(
        SessionRecord.account_id == account_id, SessionRecord.revoked_at.is_(None)
    )
    if keep is not None:
        query = query.where(SessionRecord.id != keep)
    ids = list((await session.execute(query)).scalars())
    if not ids:
        return
    await session.execute(
        update(SessionRecord)
        .where(SessionRecord.id.in_(ids))
        .values(revoked_at=now, revoke_reason=reason.value)
    )


async def purge_expired(session: AsyncSession, account_id: str, *, now: datetime) -> None:
    """Forget the account's tokens that can no longer be used, and sessions that ended long ago.

    Tokens of a revoked session are kept until they expire so that presenting one is answered
    `session_revoked` (and a replayed refresh token is still recognised) rather than `unauthorized`.
    """
    sessions_of_account = select(SessionRecord.id).where(SessionRecord.account_id == account_id)
    await session.execute(
        delete(AccessToken).where(
            AccessToken.session_id.in_(sessions_of_account), AccessToken.expires_at <= now
        )
    )
    await session.execute(
        delete(RefreshToken).where(
            RefreshToken.session_id.in_(sessions_of_account), RefreshToken.expires_at <= now
        )
    )
    horizon = now - timedelta(days=_ENDED_SESSION_RETENTION_DAYS)
    await session.execute(
        delete(SessionRecord).where(
            SessionRecord.account_id == account_id,
            SessionRecord.revoked_at.is_not(None),
            SessionRecord.revoked_at <= horizon,
        )
    )


async def session_for_access_token(context: RelayContext, token: str) -> AuthSession:
    """The caller behind a bearer token: 401 `unauthorized` for an unknown or expired token,
    401 `session_revoked` when its session was ended."""
    if not looks_like_token(token):
        raise Unauthorized()
    digest = token_digest(token)
    async with context.db.sessions() as session:
        row = (
            await session.execute(
                select(AccessToken, SessionRecord, Account)
                .join(SessionRecord, SessionRecord.id == AccessToken.session_id)
                .join(Account, Account.id == SessionRecord.account_id)
                .where(AccessToken.token_hash == digest)
            )
        ).first()
    if row is None or not same_digest(row[0].token_hash, digest):
        raise Unauthorized()
    access, record, account = row
    if record.revoked_at is not None or account.is_deleted:
        raise Unauthorized("session_revoked")
    if access.expires_at <= context.clock.now():
        raise Unauthorized()
    return AuthSession(
        session_id=record.id,
        account_id=account.id,
        role=role_of(record.role),
        email_verified=account.email_verified,
        language=account.language,
    )


def role_of(value: str) -> Role:
    return "staff" if value == "staff" else "citizen"
