"""The operator commands, as a real process against a real database."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

from cna_relay.clock import SystemClock
from cna_relay.db import make_database
from cna_relay.db.migrate import upgrade
from cna_relay.outbox import OutboxStore
from tests.support.databases import sqlite_url

ROOT = Path(__file__).resolve().parents[2]


def relay_command(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("CNA_")}
    env["CNA_RELAY_DATABASE_URL"] = database_url
    return subprocess.run(
        [sys.executable, "-m", "cna_relay", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


async def seed_outbox(database_url: str) -> tuple[int, int]:
    """One entry sent, one dead after a permanent InvGate refusal; returns their ids."""
    upgrade(database_url)
    db = make_database(database_url)
    store = OutboxStore(db, SystemClock())
    async with db.transaction() as session:
        await store.enqueue(
            session, kind="create_ticket", dedupe_key="create_ticket:r1", payload={"report_id": "r1"}
        )
        await store.enqueue(
            session, kind="send_confirmation", dedupe_key="confirmation:r1", payload={"report_id": "r1"}
        )
    first = await store.claim("w", lease_s=30)
    second = await store.claim("w", lease_s=30)
    assert first is not None and second is not None
    await store.fail(first, "InvGate POST incident (HTTP 428): title is required", retry_at=None)
    await store.complete(second)
    await db.dispose()
    return first.id, second.id


def test_outbox_list_inspect_and_retry(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    dead_id, sent_id = asyncio.run(seed_outbox(url))

    listing = relay_command(url, "outbox", "list", "--state", "dead")
    assert listing.returncode == 0, listing.stderr
    assert "counts: dead=1, sent=1" in listing.stdout
    assert "create_ticket" in listing.stdout and "HTTP 428" in listing.stdout
    assert "send_confirmation" not in listing.stdout

    inspected = relay_command(url, "outbox", "inspect", str(dead_id))
    entry = json.loads(inspected.stdout)
    assert entry["state"] == "dead" and entry["payload"] == {"report_id": "r1"} and entry["attempts"] == 1

    assert relay_command(url, "outbox", "inspect", "999").returncode == 1
    assert relay_command(url, "outbox", "retry").returncode == 2

    retried = relay_command(url, "outbox", "retry", "--all-dead")
    assert retried.returncode == 0 and "1 dead entry scheduled again" in retried.stdout
    after = json.loads(relay_command(url, "outbox", "inspect", str(dead_id)).stdout)
    assert after["state"] == "pending" and after["attempts"] == 0
    assert json.loads(relay_command(url, "outbox", "inspect", str(sent_id)).stdout)["state"] == "sent"


def test_db_upgrade_creates_the_schema(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    result = relay_command(url, "db", "upgrade")
    assert result.returncode == 0 and "latest schema" in result.stdout
    assert (tmp_path / "relay.db").exists()
