"""Plug the accounts domain into a relay app (called from `cna_relay.wiring`)."""

from __future__ import annotations

from fastapi import FastAPI

from cna_relay.accounts.handlers import register_account_handlers
from cna_relay.accounts.routes import router
from cna_relay.accounts.service import AccountService
from cna_relay.context import RelayContext

__all__ = ["install_accounts", "register_account_handlers"]


def install_accounts(app: FastAPI, context: RelayContext) -> AccountService:
    """Mount the account routes and create the app's `AccountService` (see `account_service`)."""
    service = AccountService.build(context)
    app.state.accounts = service
    app.include_router(router)
    return service
