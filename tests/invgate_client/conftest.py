"""The client against the real simulator, in-process (httpx.ASGITransport) unless a test says so.

`sim_app` and `sim_server` come from `tests/support/sim_fixtures.py` (registered in tests/conftest.py).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI

from cna_relay.invgate import InvGateClient, User, UserProfile
from invgate_sim import SimConfig, Simulator

from .support import basic_credentials, in_process_client


@pytest.fixture
def sim_config() -> SimConfig:
    """The shared `sim_config` without its SMTP mail sink: the client never looks at mails, and a
    mail sink per test would triple this suite's run time. `sim_app` and `sim_server` (shared
    fixtures from `tests/support/sim_fixtures.py`) build on this one."""
    return SimConfig(api_user="cna-api", api_key="sim-key-7f3a9c")


@pytest.fixture
def sim(sim_app: FastAPI) -> Simulator:
    simulator: Simulator = sim_app.state.sim
    return simulator


@pytest.fixture
async def client(sim_app: FastAPI, sim_config: SimConfig) -> AsyncIterator[InvGateClient]:
    async with in_process_client(sim_app, basic_credentials(sim_config)) as invgate:
        yield invgate


@pytest.fixture
async def customer(client: InvGateClient) -> User:
    """A citizen's klantenfiche, created the way the relay creates it."""
    return await client.create_external_user(
        UserProfile(name="Anna", lastname="Peeters", email="anna.peeters@example.be")
    )
