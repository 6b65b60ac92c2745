"""Plug each domain (routes + outbox handlers) into the relay: the one list of what it does."""

from __future__ import annotations

from fastapi import FastAPI

from cna_relay.accounts.install import install_accounts, register_account_handlers
from cna_relay.context import RelayContext
from cna_relay.geo import install_geo
from cna_relay.housekeeping import register_housekeeping
from cna_relay.reports.wiring import install_reports, register_report_handlers
from cna_relay.routes import config
from cna_relay.routing.jobs import register_routing_handlers


def register_handlers(context: RelayContext) -> None:
    """Outbox handlers of every domain, keyed by entry kind (API processes and workers alike)."""
    # Domains register here as they land: accounts, reports, routing.
    register_account_handlers(context)
    register_report_handlers(context)
    register_routing_handlers(context)
    register_housekeeping(context)


def install_domains(app: FastAPI, context: RelayContext) -> None:
    """Routers of every domain, plus their outbox handlers."""
    register_handlers(context)
    install_accounts(app, context)
    install_geo(app, context)
    app.include_router(config.router)
    install_reports(app)
