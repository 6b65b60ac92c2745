"""Response bodies of the account endpoints, as the contract's TypedDicts."""

from __future__ import annotations

from typing import cast

from cna_app.contract.wire import AccountView, Language, SignUpAccepted, TokenPair
from cna_relay.accounts.models import Account
from cna_relay.accounts.sessions import IssuedTokens, role_of
from cna_relay.settings import RelaySettings


def account_view(account: Account) -> AccountView:
    return AccountView(
        id=account.id,
        email=account.email or "",
        email_verified=account.email_verified,
        role=role_of(account.role),
        first_name=account.first_name or "",
        last_name=account.last_name or "",
        phone=account.phone,
        street=account.street,
        postcode=account.postcode,
        municipality=account.municipality,
        language=cast(Language, account.language),
        created_at=account.created_at.isoformat(),
    )


def token_pair(tokens: IssuedTokens, account: Account, settings: RelaySettings) -> TokenPair:
    return TokenPair(
        access_token=tokens.access_token,
        refresh_token=tokens.refresh_token,
        token_type="Bearer",  # noqa: S106 - the scheme's name, not a secret
        expires_in=settings.access_token_ttl_s,
        refresh_expires_in=settings.refresh_token_ttl_s,
        account=account_view(account),
    )


def verification_sent(email: str, settings: RelaySettings) -> SignUpAccepted:
    return SignUpAccepted(status="verification_sent", email=email, resend_after=settings.resend_cooldown_s)
