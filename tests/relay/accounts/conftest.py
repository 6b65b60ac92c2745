"""Relays for the account tests on both SQLite and PostgreSQL, for the persistence-heavy flows
(`clocked_relay`, on a fake clock, is in tests/relay/conftest.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.support.clock import FakeClock
from tests.support.relay_fixtures import RelayHarness, running_relay


@pytest.fixture
async def any_db_relay(
    sim_app: Any, sim_config: Any, mail_sink: Any, database_url: str, clock: FakeClock
) -> AsyncIterator[RelayHarness]:
    """The relay on SQLite and on PostgreSQL (parametrised by `database_url`), on `clock`."""
    async with running_relay(
        sim_app=sim_app, sim_config=sim_config, mail_sink=mail_sink, database_url=database_url, clock=clock
    ) as harness:
        yield harness
