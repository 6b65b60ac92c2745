"""Routing tests run the relay against the real simulator with a private model registry.

ESM's own "ticket created" mail is off, as in the report tests; ticket creation and ticket
reads are not paced (the pacing tests set their own limits), so a fake clock never makes a test
sleep; `routing_registry_dir` points into the test's folder so that no model trained on the
developer's machine (in `var/routing`) can leak in.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from invgate_sim import SimConfig
from invgate_sim.mailsink import MailSink
from tests.support.clock import FakeClock
from tests.support.databases import sqlite_url
from tests.support.relay_fixtures import RelayHarness, running_relay
from tests.support.sim_fixtures import sim_config_for

UNPACED = {"invgate_ticket_rate_per_minute": 600_000.0, "routing_readback_calls_per_minute": 600_000.0}


@pytest.fixture
def sim_config(mail_sink: MailSink) -> SimConfig:
    return sim_config_for(mail_sink, notifications={"ticket_created": False})


@pytest.fixture
def registry_dir(tmp_path: Path) -> Path:
    return tmp_path / "models"


def routing_settings(registry_dir: Path, **overrides: Any) -> dict[str, Any]:
    return {**UNPACED, "routing_registry_dir": registry_dir, **overrides}


@pytest.fixture
async def relay(
    sim_app: FastAPI,
    sim_config: SimConfig,
    mail_sink: MailSink,
    tmp_path: Path,
    registry_dir: Path,
    clock: FakeClock,
) -> AsyncIterator[RelayHarness]:
    """The relay on SQLite with a fake clock (tests move time with `clock.advance`)."""
    async with running_relay(
        sim_app=sim_app,
        sim_config=sim_config,
        mail_sink=mail_sink,
        database_url=sqlite_url(tmp_path),
        clock=clock,
        **routing_settings(registry_dir),
    ) as harness:
        yield harness


@pytest.fixture
async def relay_any_db(
    sim_app: FastAPI,
    sim_config: SimConfig,
    mail_sink: MailSink,
    database_url: str,
    registry_dir: Path,
    clock: FakeClock,
) -> AsyncIterator[RelayHarness]:
    """The same relay on SQLite and on PostgreSQL (the `database_url` parameters)."""
    async with running_relay(
        sim_app=sim_app,
        sim_config=sim_config,
        mail_sink=mail_sink,
        database_url=database_url,
        clock=clock,
        **routing_settings(registry_dir),
    ) as harness:
        yield harness
