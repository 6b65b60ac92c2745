"""Import every module that defines tables, so the metadata is complete for Alembic."""

from __future__ import annotations

import importlib

from cna_relay.db.base import Base

# Modules are listed by name so a table module that does not exist yet does not break start-up
# of the others while the schema grows; every name here must import in a full install.
TABLE_MODULES = (
    "cna_relay.outbox.models",
    "cna_relay.pacing",
    "cna_relay.ratelimit",
    "cna_relay.accounts.models",
    "cna_relay.geo.cache",
    "cna_relay.reports.models",
    "cna_relay.routing.store",
)

for _name in TABLE_MODULES:
    try:
        importlib.import_module(_name)
    except ModuleNotFoundError as exc:  # pragma: no cover - only while a module is being written
        if exc.name is None or not _name.startswith(exc.name):
            raise

metadata = Base.metadata
