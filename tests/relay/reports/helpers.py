"""Builders for report submissions."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx

from tests.relay.accounts.helpers import bearer, verified_citizen
from tests.support.relay_fixtures import RelayHarness

# Inside Zonnebeke (the bundled demo boundary): near the church in the village centre.
INSIDE = {"lat": 50.8717, "lon": 2.9866}
# Ypres market square: a neighbouring municipality.
OUTSIDE = {"lat": 50.8510, "lon": 2.8850}


def report_json(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "description": "Diepe put in het voetpad voor nummer 12, iemand is al gestruikeld.",
        "location": {**INSIDE, "source": "pin", "address": "Ieperstraat 12, 8980 Zonnebeke"},
    }
    body.update(overrides)
    return body


def multipart(report: dict[str, Any] | str, files: list[tuple[str, bytes, str]] = ()) -> list[Any]:  # type: ignore[assignment]
    text = report if isinstance(report, str) else json.dumps(report)
    parts: list[Any] = [("report", (None, text, "application/json"))]
    parts += [("attachments", (name, data, content_type)) for name, data, content_type in files]
    return parts


async def submit(
    relay: RelayHarness,
    pair: dict[str, Any],
    report: dict[str, Any] | str,
    files: list[tuple[str, bytes, str]] = (),  # type: ignore[assignment]
) -> httpx.Response:
    return await relay.client.post("/v1/reports", files=multipart(report, files), headers=bearer(pair))


async def citizen(relay: RelayHarness, email: str = "an.devos@example.be") -> dict[str, Any]:
    return await verified_citizen(relay, email)
