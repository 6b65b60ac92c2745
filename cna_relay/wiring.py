"""Plug each domain (routes + outbox handlers) into the relay: the one list of what it does."""

from __future__ import annotations

from fastapi import FastAPI

from cna_relay.context import RelayContext


def register_handlers(context: RelayContext) -> None:
    """Outbox handlers of every domain, keyed by entry kind (API processes and workers alike)."""
    # Domains register here as they land: accounts, reports, routing.
    del context


def install_domains(app: FastAPI, context: RelayContext) -> None:
    """Routers of every domain, plus their outbox handlers."""
    register_handlers(context)
    del app
