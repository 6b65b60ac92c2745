"""Fixtures for the relay's own tests: migrated databases on both backends, a fake clock."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from cna_relay.db import Database, make_database
from cna_relay.db.migrate import upgrade
from tests.support.clock import FakeClock
from tests.support.databases import postgres_database, sqlite_url
from tests.support.relay_fixtures import RelayHarness, running_relay


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield sqlite_url(tmp_path)
    else:
        with postgres_database() as url:
            yield url


@pytest.fixture
def sqlite_database_url(tmp_path: Path) -> str:
    return sqlite_url(tmp_path)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    upgrade(database_url)
    database = make_database(database_url)
    yield database
    await database.dispose()


@pytest.fixture
async def clocked_relay(
    sim_app: Any, sim_config: Any, mail_sink: Any, tmp_path: Path, clock: FakeClock
) -> AsyncIterator[RelayHarness]:
    """The relay on `clock` (SQLite): move time with `clock.advance(seconds)`."""
    async with running_relay(
        sim_app=sim_app,
        sim_config=sim_config,
        mail_sink=mail_sink,
        database_url=sqlite_url(tmp_path),
        clock=clock,
    ) as harness:
        yield harness
