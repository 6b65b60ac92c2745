"""The citizen's customer record in InvGate ("klantenfiche").

`ensure_customer` links an account to an InvGate user: the one InvGate already has for the
address (exact e-mail match), or a new external user. It is idempotent and safe after a lost
reply (a retry finds the user the lost call created), and it must run under the outbox lock key
`customer:<account_id>` (`jobs.customer_lock`) so two links for one citizen never race.

Which InvGate users the relay may change: those it created, and external customers it found.
An existing internal user (say, a municipal employee signing up with a work address) is linked
but never edited or disabled by the relay.
"""

from __future__ import annotations

from sqlalchemy import update

from cna_relay.accounts.models import Account
from cna_relay.context import RelayContext
from cna_relay.invgate import InvGateLanguage, UserChanges, UserProfile
from cna_relay.outbox.errors import PermanentDeliveryError

_INVGATE_LANGUAGES: dict[str, InvGateLanguage] = {"nl": "nl", "fr": "fr", "en": "en"}


class CustomerUnavailable(PermanentDeliveryError):
    """The account cannot have a customer record (unknown, deleted, or its address unproven)."""


def customer_profile(account: Account) -> UserProfile:
    """`POST user` fields from the account (`is_external=1` is added by the InvGate client)."""
    assert account.email is not None and account.first_name and account.last_name
    return UserProfile(
        name=account.first_name,
        lastname=account.last_name,
        email=account.email,
        phone=account.phone,
        address=account.street,
        city=_city(account),
    )


def customer_changes(account: Account, *, clear_missing: bool) -> UserChanges:
    """`PUT user` fields: the whole current profile. With `clear_missing`, an empty field clears
    InvGate's value (the citizen removed it); without, it is left alone (a first link must not
    wipe what staff already knew about an existing customer)."""
    empty = "" if clear_missing else None
    return UserChanges(
        name=account.first_name,
        lastname=account.last_name,
        phone=account.phone or empty,
        address=account.street or empty,
        city=_city(account) or empty,
        language=_INVGATE_LANGUAGES.get(account.language),
    )


def _city(account: Account) -> str | None:
    # InvGate has one `city` field; the postcode is what staff sort Belgian addresses by.
    city = " ".join(part for part in (account.postcode, account.municipality) if part)
    return city or None


async def load_account(context: RelayContext, account_id: str) -> Account | None:
    async with context.db.sessions() as session:
        return await session.get(Account, account_id)


async def ensure_customer(context: RelayContext, account_id: str) -> int:
    """The InvGate user id of the account's customer record, finding or creating it once.

    Raises `CustomerUnavailable` (a `PermanentDeliveryError`) for an unknown, deleted or
    unverified account, and the service desk's `InvGateTransientError` / `InvGatePermanentError`.
    """
    account = await load_account(context, account_id)
    if account is None or account.is_deleted:
        raise CustomerUnavailable(f"account {account_id} does not exist (any more)")
    if account.invgate_user_id is not None:
        return account.invgate_user_id
    if account.email is None or not account.email_verified:
        raise CustomerUnavailable(f"account {account_id} has no verified e-mail address")
    desk = context.service_desk
    user = await desk.find_user_by_email(account.email)
    owned = True
    if user is None:
        user = await desk.create_external_user(customer_profile(account))
    else:
        owned = user.is_external
    return await _link(context, account_id, user.id, owned=owned)


async def _link(context: RelayContext, account_id: str, user_id: int, *, owned: bool) -> int:
    async with context.db.transaction() as session:
        # Stored even if the account was deleted meanwhile, so `disable_customer` can find it.
        await session.execute(
            update(Account)
            .where(Account.id == account_id, Account.invgate_user_id.is_(None))
            .values(invgate_user_id=user_id, invgate_user_owned=owned)
        )
        account = await session.get(Account, account_id)
        assert account is not None and account.invgate_user_id is not None
        return account.invgate_user_id


async def push_profile(context: RelayContext, account_id: str, *, clear_missing: bool) -> dict[str, object]:
    """Send the account's current profile to its InvGate user (linking it first when needed)."""
    account = await load_account(context, account_id)
    if account is None or account.is_deleted or not account.email_verified:
        return {"skipped": "account deleted or unverified"}
    user_id = await ensure_customer(context, account_id)
    account = await load_account(context, account_id)
    if account is None or account.is_deleted:
        return {"invgate_user_id": user_id, "skipped": "account deleted"}
    if not account.invgate_user_owned:
        return {"invgate_user_id": user_id, "skipped": "internal InvGate user: not edited"}
    await context.service_desk.update_user(user_id, customer_changes(account, clear_missing=clear_missing))
    return {"invgate_user_id": user_id}


async def disable_customer(context: RelayContext, account_id: str) -> dict[str, object]:
    """Disable the customer of a deleted account (only one the relay may change)."""
    account = await load_account(context, account_id)
    if account is None or account.invgate_user_id is None:
        return {"skipped": "no InvGate user linked"}
    if not account.invgate_user_owned:
        return {"invgate_user_id": account.invgate_user_id, "skipped": "internal InvGate user: kept"}
    await context.service_desk.disable_user(account.invgate_user_id)
    return {"invgate_user_id": account.invgate_user_id}
