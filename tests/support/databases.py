"""Real databases for tests: a SQLite file per test, or a fresh PostgreSQL database per test."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg

POSTGRES_ADMIN_DSN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"


def sqlite_url(folder: Path) -> str:
    return f"sqlite+aiosqlite:///{folder / 'relay.db'}"


@contextlib.contextmanager
def postgres_database() -> Iterator[str]:
    """Create an empty database on the local server; drop it afterwards."""
    name = f"cna_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_ADMIN_DSN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(POSTGRES_ADMIN_DSN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
