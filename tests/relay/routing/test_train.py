"""`python -m cna_relay.routing train` reads the relay's corrections from its database.

The command runs in-process here (sync tests: it drives its own event loop), configured through
the `CNA_RELAY_*` environment like the relay; the learning loop test runs it as a subprocess.
"""

from __future__ import annotations

import asyncio
import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cna_relay.db import make_database
from cna_relay.db.migrate import upgrade
from cna_relay.reports.models import Report
from cna_relay.routing import Example, ModelRegistry, read_examples
from cna_relay.routing.cli import main
from cna_relay.routing.seed_data import TRAIN_FILE, seed_data_dir
from cna_relay.routing.store import DueTicket, Observation, record_observations
from tests.support.databases import postgres_database, sqlite_url

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
LIGHTING, WASTE = "Openbare Verlichting", "Afval en Netheid"


def configure(monkeypatch: pytest.MonkeyPatch, database_url: str, registry: Path) -> None:
    monkeypatch.setenv("CNA_RELAY_DATABASE_URL", database_url)
    monkeypatch.setenv("CNA_RELAY_ROUTING_REGISTRY_DIR", str(registry))


def _report(number: int, text: str, helpdesk: str) -> Report:
    return Report(
        id=f"00000000-0000-4000-8000-{number:012d}",
        reference=f"CNA-2026-{number:06d}",
        channel="app",
        language="nl",
        description=text,
        latitude=50.87,
        longitude=2.98,
        location_source="pin",
        content_hash=hashlib.sha256(text.encode()).hexdigest(),
        created_at=NOW,
        delivery="forwarded",
        predicted_helpdesk=helpdesk,
        helpdesk=helpdesk,
        ticket_id=1000 + number,
        forwarded_at=NOW,
    )


async def _store_moves(database_url: str, examples: list[Example], final_helpdesk: str) -> None:
    """Reports of `examples`, each read back as moved by staff to `final_helpdesk`."""
    upgrade(database_url)
    db = make_database(database_url)
    try:
        reports = [_report(n, example.text, example.helpdesk) for n, example in enumerate(examples, start=1)]
        async with db.transaction() as session:
            session.add_all(reports)
        observations = [
            Observation(
                DueTicket(r.id, r.ticket_id or 0, r.description, r.helpdesk or "", r.helpdesk or ""),
                status_id=2,
                final_helpdesk=final_helpdesk,
                changed=True,
                settled=False,
            )
            for r in reports
        ]
        await record_observations(db, observations, now=NOW)
    finally:
        await db.dispose()


@pytest.mark.postgres
def test_a_model_made_worse_by_corrections_is_not_activated_unless_forced(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lighting = [e for e in read_examples(seed_data_dir() / TRAIN_FILE) if e.helpdesk == LIGHTING]
    registry = tmp_path / "models"
    with postgres_database() as url:
        # Staff (wrongly) moved every lighting report to waste: the test split says otherwise.
        asyncio.run(_store_moves(url, lighting, WASTE))
        configure(monkeypatch, url, registry)

        assert main(["train"]) == 0
        refused = capsys.readouterr().out
        assert f"relay database  {len(lighting)} corrections ({len(lighting)} moved)" in refused
        assert "NOT activated" in refused and "of shipped default model" in refused
        assert "postgres@127.0.0.1" in refused  # which database was read
        assert ModelRegistry(registry).active_version() is None
        assert len(ModelRegistry(registry).versions()) == 1  # kept for inspection

        assert main(["train", "--force"]) == 0
        forced = capsys.readouterr().out
        assert "activated       forced by the operator" in forced
        assert ModelRegistry(registry).active_version() == ModelRegistry(registry).versions()[-1]


def test_corrections_from_the_database_and_a_file_are_combined(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = sqlite_url(tmp_path)
    examples = [Example("Deelstep ligt dwars op het voetpad aan de markt", "Wegen en Mobiliteit")]
    asyncio.run(_store_moves(url, examples, "Openbare Orde en Overlast"))
    corrections = tmp_path / "more.jsonl"
    corrections.write_text(
        '{"text": "Graffiti op de brug", "predicted": "Openbare Orde en Overlast", '
        '"final_helpdesk": "Openbare Orde en Overlast", "ticket_id": "X-1", '
        '"observed_at": "2026-11-30T08:00:00+00:00"}\n',
        encoding="utf-8",
    )
    configure(monkeypatch, url, tmp_path / "models")
    assert main(["train", "--corrections", str(corrections), "--registry", str(tmp_path / "other")]) == 0
    out = capsys.readouterr().out
    assert "relay database  1 corrections (1 moved)" in out
    assert "(2 corrections, 1 moved)" in out
    assert ModelRegistry(tmp_path / "other").versions() and not (tmp_path / "models").exists()


@pytest.mark.parametrize(
    ("database_url", "expected"),
    [
        ("postgresql+psycopg://postgres:s3cret-pw@127.0.0.1:1/cna", "cannot read corrections from"),
        ("not a database url", "not a database URL"),
    ],
)
def test_an_unreachable_or_malformed_database_stops_training(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    database_url: str,
    expected: str,
) -> None:
    configure(monkeypatch, database_url, tmp_path / "models")
    assert main(["train"]) == 2
    err = capsys.readouterr().err
    assert expected in err and "s3cret" not in err
    assert not (tmp_path / "models").exists()


def test_a_database_without_the_routing_table_asks_for_the_migration(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = sqlite_url(tmp_path)
    upgrade(url, "0004_reports")
    configure(monkeypatch, url, tmp_path / "models")
    assert main(["train"]) == 2
    err = capsys.readouterr().err
    assert "no such table: routing_corrections" in err and "python -m cna_relay db upgrade" in err


def test_invalid_relay_settings_are_named_without_their_values(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    configure(monkeypatch, sqlite_url(tmp_path), tmp_path / "models")
    monkeypatch.setenv("CNA_RELAY_ROUTING_READBACK_BATCH_SIZE", "-7")
    assert main(["train"]) == 2
    err = capsys.readouterr().err
    assert "routing_readback_batch_size" in err and "-7" not in err
