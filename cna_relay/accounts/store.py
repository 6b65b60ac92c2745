"""Reading and writing account rows inside a caller's transaction."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from cna_relay.accounts.fields import Profile
from cna_relay.accounts.models import Account
from cna_relay.accounts.principal import Role


async def account_by_email(session: AsyncSession, email: str) -> Account | None:
    """The live account of a normalised address (deleted accounts have no address any more)."""
    result = await session.execute(select(Account).where(Account.email == email))
    return result.scalar_one_or_none()


async def account_by_id(session: AsyncSession, account_id: str) -> Account | None:
    return await session.get(Account, account_id)


def new_account(
    *,
    email: str,
    password_hash: str,
    profile: Profile,
    role: Role,
    language: str,
    now: datetime,
    verified: bool = False,
) -> Account:
    return Account(
        id=str(uuid.uuid4()),
        email=email,
        password_hash=password_hash,
        role=role,
        first_name=profile.first_name,
        last_name=profile.last_name,
        phone=profile.phone,
        street=profile.street,
        postcode=profile.postcode,
        municipality=profile.municipality,
        language=profile.language or language,
        invgate_user_owned=False,
        verified_at=now if verified else None,
        created_at=now,
        updated_at=now,
    )


def apply_pending_profile(account: Account, profile: Profile, *, now: datetime) -> None:
    """A repeated sign-up for an address that was never verified: the newest form wins."""
    account.first_name = profile.first_name
    account.last_name = profile.last_name
    account.phone = profile.phone
    account.street = profile.street
    account.postcode = profile.postcode
    account.municipality = profile.municipality
    if profile.language:
        account.language = profile.language
    account.updated_at = now


def erase_personal_data(account: Account, *, now: datetime) -> None:
    """Turn the row into a tombstone: only the id, role, dates and InvGate link remain."""
    for name in ("email", "password_hash", "first_name", "last_name", "phone", "street", "postcode"):
        setattr(account, name, None)
    account.municipality = None
    account.deleted_at = now
    account.updated_at = now
