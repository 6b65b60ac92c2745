"""Fixtures for anything that talks to the InvGate simulator or reads the mails it sends.

Registered for every suite through `pytest_plugins` in `tests/conftest.py`:

- `mail_sink`   a started `MailSink` (SMTP + web/JSON API) on free ports
- `sim_config`  a `SimConfig` mailing into `mail_sink`, admin API on, default rate limits
- `sim_app`     `create_app(sim_config)`; its `Simulator` is `sim_app.state.sim`
- `sim_http`    an `httpx.AsyncClient` over `ASGITransport(sim_app)`, Basic auth, base URL `SIM_API_URL`
- `sim_server`  the same app on a real socket (uvicorn on a free port): `.url`, `.api_url`, `.app`, `.sim`
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import httpx
import pytest
from fastapi import FastAPI

from invgate_sim import SimConfig, Simulator, create_app
from invgate_sim.mailsink import MailSink
from invgate_sim.serve import BackgroundServer

SIM_API_USER = "cna-api"
SIM_API_KEY = "cna-test-key"
SIM_BASE = "http://invgate.test"
SIM_API_URL = f"{SIM_BASE}/api/v1/"


@dataclass(frozen=True)
class SimServer:
    url: str
    app: FastAPI
    sim: Simulator

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/v1/"


@pytest.fixture
def mail_sink() -> Iterator[MailSink]:
    with MailSink() as sink:
        yield sink


def sim_config_for(mail_sink: MailSink, **changes: object) -> SimConfig:
    """The test instance's settings, mailing into `mail_sink`, with `changes` on top."""
    config = SimConfig(
        api_user=SIM_API_USER,
        api_key=SIM_API_KEY,
        base_url=SIM_BASE,
        smtp_host="127.0.0.1",
        smtp_port=mail_sink.smtp_port,
        admin_enabled=True,
    )
    return config.with_changes(**changes) if changes else config


@pytest.fixture
def sim_config(mail_sink: MailSink) -> SimConfig:
    return sim_config_for(mail_sink)


@pytest.fixture
def sim_app(sim_config: SimConfig) -> FastAPI:
    return create_app(sim_config)


@pytest.fixture
async def sim_http(sim_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=sim_app)
    async with httpx.AsyncClient(
        transport=transport, base_url=SIM_API_URL, auth=(SIM_API_USER, SIM_API_KEY)
    ) as client:
        yield client


@pytest.fixture
def sim_server(sim_config: SimConfig) -> Iterator[SimServer]:
    app = create_app(sim_config)
    server = BackgroundServer(app)
    url = server.start()
    sim: Simulator = app.state.sim
    # Ticket links and attachment URLs must point at the real socket, known only once it is bound.
    sim.config = sim.config.with_changes(base_url=url)
    try:
        yield SimServer(url=url, app=app, sim=sim)
    finally:
        server.stop()
