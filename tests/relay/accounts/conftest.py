"""Relays for the account tests: on a fake clock (codes and tokens expire on demand), and on
both SQLite and PostgreSQL for the persistence-heavy flows."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.clock import FakeClock
from tests.support.databases import sqlite_url
from tests.support.relay_fixtures import RelayHarness, running_relay


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


@pytest.fixture
async def any_db_relay(
    sim_app: Any, sim_config: Any, mail_sink: Any, database_url: str, clock: FakeClock
) -> AsyncIterator[RelayHarness]:
    """The relay on SQLite and on PostgreSQL (parametrised by `database_url`), on `clock`."""
    async with running_relay(
        sim_app=sim_app, sim_config=sim_config, mail_sink=mail_sink, database_url=database_url, clock=clock
    ) as harness:
        yield harness
