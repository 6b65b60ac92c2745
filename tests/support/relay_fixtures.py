"""The relay wired to the real simulator (in-process) and the real mail sink, on SQLite or PostgreSQL.

Tests drive time forward by draining the outbox explicitly (`await relay.drain()`), so they are
deterministic; e2e tests that need a background worker start the relay on a socket instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from cna_relay.app import context_of, create_app
from cna_relay.clock import Clock
from cna_relay.context import RelayContext
from cna_relay.settings import RelaySettings
from tests.support.databases import sqlite_url

# Cheap argon2 parameters: the real ones are measured in bench/login.py and cost ~50 ms a hash.
FAST_ARGON2 = {"argon2_time_cost": 1, "argon2_memory_kib": 8 * 1024, "argon2_parallelism": 1}


def relay_settings(*, database_url: str, sim_config: Any, mail_sink: Any, **overrides: Any) -> RelaySettings:
    values: dict[str, Any] = {
        "environment": "test",
        "database_url": database_url,
        "invgate_url": "http://invgate.test/api/v1/",
        "invgate_api_user": sim_config.api_user,
        "invgate_api_key": sim_config.api_key,
        "smtp_host": "127.0.0.1",
        "smtp_port": mail_sink.smtp_port,
        "outbox_backoff_base_s": 0.01,
        "outbox_backoff_cap_s": 0.05,
        "worker_poll_interval_s": 0.02,
        # Route with the shipped model, never with one a developer trained into var/routing.
        "routing_registry_dir": Path(tempfile.mkdtemp(prefix="cna-test-routing-")),
        **FAST_ARGON2,
    }
    values.update(overrides)
    return RelaySettings(**values)


@dataclass
class RelayHarness:
    app: FastAPI
    context: RelayContext
    client: httpx.AsyncClient
    sim: Any
    mail: Any

    async def drain(self, *, rounds: int = 50) -> int:
        """Run the outbox until nothing is due; returns the number of entries processed."""
        dispatcher = self.context.build_dispatcher(worker_id="test-drain")
        total = 0
        for _ in range(rounds):
            processed = await dispatcher.drain()
            total += processed
            if processed == 0:
                break
        return total

    async def settle(self, *, within_s: float = 30.0) -> dict[str, int]:
        """Drain, waiting out retry back-offs, until no entry is pending or sending (or `within_s`)."""
        deadline = time.monotonic() + within_s
        while True:
            await self.drain()
            counts = await self.context.outbox.counts()
            if not counts.get("pending") and not counts.get("sending"):
                return counts
            if time.monotonic() > deadline:
                raise AssertionError(f"the outbox did not settle within {within_s} s: {counts}")
            await asyncio.sleep(0.05)


@contextlib.asynccontextmanager
async def running_relay(
    *,
    sim_app: Any,
    sim_config: Any,
    mail_sink: Any,
    database_url: str,
    clock: Clock | None = None,
    **overrides: Any,
) -> AsyncIterator[RelayHarness]:
    settings = relay_settings(
        database_url=database_url, sim_config=sim_config, mail_sink=mail_sink, **overrides
    )
    app = create_app(
        settings, clock=clock, invgate_transport=httpx.ASGITransport(app=sim_app), run_worker=False
    )
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://relay.test") as client:
            yield RelayHarness(
                app=app, context=context_of(app), client=client, sim=sim_app.state.sim, mail=mail_sink
            )


@pytest.fixture
async def relay(sim_app: Any, sim_config: Any, mail_sink: Any, tmp_path: Path) -> AsyncIterator[RelayHarness]:
    async with running_relay(
        sim_app=sim_app, sim_config=sim_config, mail_sink=mail_sink, database_url=sqlite_url(tmp_path)
    ) as harness:
        yield harness
