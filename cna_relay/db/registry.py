"""Every module that defines tables, imported so the metadata is complete for Alembic."""

from __future__ import annotations

import cna_relay.accounts.models
import cna_relay.geo.cache
import cna_relay.outbox.models
import cna_relay.pacing
import cna_relay.ratelimit
import cna_relay.reports.models
import cna_relay.routing.store  # noqa: F401 - imported for its tables
from cna_relay.db.base import Base

metadata = Base.metadata
