"""Helpers for the client tests: seed ids of the simulator, input builders, client factories."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
from fastapi import FastAPI

from cna_relay.invgate import (
    Attachment,
    BasicCredentials,
    InvGateClient,
    NewTicket,
    Secret,
    Timeouts,
    UserProfile,
)
from cna_relay.invgate.credentials import Credentials
from invgate_sim import SimConfig

IN_PROCESS_URL = "http://invgate.test/api/v1/"
# Short enough that a latency fault turns into a timeout quickly, long enough for a loaded CI box.
TEST_TIMEOUTS = Timeouts(connect=2.0, read=5.0, write=5.0, pool=2.0, total=5.0)


# Seed data of the simulator (invgate_sim/seed_data/default_seed.json).
INTEGRATION_AGENT_ID = 2
TRIAGE_CATEGORY_ID = 20  # "Algemeen Onthaal", routed to helpdesk 10
TRIAGE_HELPDESK_ID = 10
ROADS_HELPDESK_ID = 11
ROADS_LEVEL_ID = 31
ROADS_AGENT_ID = 104
MEDIUM_PRIORITY_ID = 2
INCIDENT_TYPE_ID = 1
CNA_SOURCE_ID = 1
OTHER_AGENT_ID = 3


def make_ticket(customer_id: int, **overrides: Any) -> NewTicket:
    values: dict[str, Any] = {
        "creator_id": INTEGRATION_AGENT_ID,
        "customer_id": customer_id,
        "category_id": TRIAGE_CATEGORY_ID,
        "priority_id": MEDIUM_PRIORITY_ID,
        "type_id": INCIDENT_TYPE_ID,
        "title": "Losliggende stoeptegel (CNA-2026-000001)",
        "description": "Tegel ligt los aan de bakker.",
        "source_id": CNA_SOURCE_ID,
    }
    values.update(overrides)
    return NewTicket(**values)


def citizen(email: str = "piet.janssens@example.be") -> UserProfile:
    return UserProfile(name="Piet", lastname="Janssens", email=email)


def photo(name: str = "foto.jpg", size: int = 2048) -> Attachment:
    return Attachment(name, b"\xff\xd8\xff\xe0" + bytes(range(256)) * (size // 256), "image/jpeg")


def basic_credentials(config: SimConfig) -> BasicCredentials:
    return BasicCredentials(config.api_user, Secret(config.api_key))


def in_process_client(
    app: FastAPI,
    credentials: Credentials,
    *,
    timeouts: Timeouts = TEST_TIMEOUTS,
    correlation_id: Callable[[], str | None] = lambda: None,
    clock: Callable[[], float] = time.monotonic,
) -> InvGateClient:
    """A client whose HTTP goes straight into `app`; the caller closes it (`async with`)."""
    return InvGateClient(
        base_url=IN_PROCESS_URL,
        credentials=credentials,
        timeouts=timeouts,
        transport=httpx.ASGITransport(app=app),
        correlation_id=correlation_id,
        clock=clock,
    )
