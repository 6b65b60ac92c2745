"""`AccountService`: the long-lived parts of the accounts domain, built once per app.

Routes reach it through the `Accounts` dependency; other domains reach it through
`account_service(app)`, e.g. to add an `on_account_deleted` hook:

    account_service(app).on_account_deleted.append(forget_reports_of)

A hook runs inside the deletion's transaction (`await hook(session, account_id)`), so whatever it
removes disappears together with the account, or not at all.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from sqlalchemy.ext.asyncio import AsyncSession

from cna_relay.accounts.passwords import Passwords
from cna_relay.context import RelayContext

DeletionHook = Callable[[AsyncSession, str], Awaitable[None]]


@dataclass
class AccountService:
    context: RelayContext
    passwords: Passwords
    on_account_deleted: list[DeletionHook] = field(default_factory=list)

    @classmethod
    def build(cls, context: RelayContext) -> AccountService:
        return cls(context=context, passwords=Passwords(context.settings))


def account_service(app: FastAPI) -> AccountService:
    """The app's account service (created by `install_accounts`)."""
    service = getattr(app.state, "accounts", None)
    if not isinstance(service, AccountService):
        raise RuntimeError("the accounts domain is not installed on this app")
    return service


def _service_of(request: Request) -> AccountService:
    return account_service(request.app)


Accounts = Annotated[AccountService, Depends(_service_of)]
