"""Persistence: one SQLAlchemy metadata for every table, async engines for SQLite and PostgreSQL."""

from cna_relay.db.base import Base, UTCDateTime
from cna_relay.db.engine import Database, make_database

__all__ = ["Base", "Database", "UTCDateTime", "make_database"]
