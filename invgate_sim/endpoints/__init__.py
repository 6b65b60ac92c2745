"""The InvGate endpoints, by area. Each module lists its routes in `ROUTES`."""

from __future__ import annotations

from invgate_sim.endpoints import (
    approvals,
    catalogues,
    comments,
    incidents,
    lifecycle,
    relations,
    search,
    users,
)
from invgate_sim.registry import Registry


def build_registry() -> Registry:
    modules = (users, catalogues, incidents, comments, lifecycle, relations, approvals, search)
    return Registry(route for module in modules for route in module.ROUTES)
