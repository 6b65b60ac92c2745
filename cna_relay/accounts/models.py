"""Tables of the accounts domain: accounts, one-time codes, sessions and their tokens.

Secrets are never stored as given: passwords are argon2id hashes, one-time codes and tokens are
SHA-256 digests. A deleted account stays as a tombstone row (id, role, dates, InvGate id) so that
reports filed under it keep a valid owner; every personal field is emptied.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from cna_relay.db.base import Base, UTCDateTime

# Bounds shared by the tables and the request validation.
EMAIL_MAX = 254
NAME_MAX = 100
PHONE_MAX = 32
STREET_MAX = 200
POSTCODE_MAX = 16
MUNICIPALITY_MAX = 100


class CodePurpose(StrEnum):
    VERIFY = "verify"
    RESET = "reset"


class Account(Base):
    __tablename__ = "accounts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    # Normalised (see `emails.normalise_email`); NULL once the account is deleted.
    email: Mapped[str | None] = mapped_column(String(EMAIL_MAX), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    first_name: Mapped[str | None] = mapped_column(String(NAME_MAX))
    last_name: Mapped[str | None] = mapped_column(String(NAME_MAX))
    phone: Mapped[str | None] = mapped_column(String(PHONE_MAX))
    street: Mapped[str | None] = mapped_column(String(STREET_MAX))
    postcode: Mapped[str | None] = mapped_column(String(POSTCODE_MAX))
    municipality: Mapped[str | None] = mapped_column(String(MUNICIPALITY_MAX))
    language: Mapped[str] = mapped_column(String(2))
    invgate_user_id: Mapped[int | None] = mapped_column(BigInteger)
    # True when the relay created the InvGate user or found an external customer: only such a user
    # is disabled when the account is deleted (a reused agent record must never be switched off).
    invgate_user_owned: Mapped[bool] = mapped_column(Boolean, default=False)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def email_verified(self) -> bool:
        return self.verified_at is not None


class OneTimeCode(Base):
    """A mailed 6-digit code. The row exists before its code: the outbox handler that mails it
    generates the code and stores only its salted digest (`code_hash` is NULL until then)."""

    __tablename__ = "account_codes"
    __table_args__ = (Index("ix_account_codes_account_purpose", "account_id", "purpose"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    purpose: Mapped[str] = mapped_column(String(16))
    code_hash: Mapped[str | None] = mapped_column(String(64))
    salt: Mapped[str | None] = mapped_column(String(32))
    # A verification code activates the password given with the sign-up that asked for it, so a
    # second sign-up for the same address cannot swap in its own password (pre-hijacking).
    password_hash: Mapped[str | None] = mapped_column(String(255))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SessionRecord(Base):
    """A logged-in device. The role is copied here so a token carries the role it was issued with."""

    __tablename__ = "auth_sessions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    refreshed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoke_reason: Mapped[str | None] = mapped_column(String(32))


class AccessToken(Base):
    __tablename__ = "access_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("auth_sessions.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


class RefreshToken(Base):
    __tablename__ = "refresh_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("auth_sessions.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Set when the token is exchanged; presenting it again is a replay and ends the session.
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
