"""At start the relay reads InvGate's catalogues and names routing helpdesks InvGate lacks;
reports the model sends to such a desk go to triage, and so do their corrections."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from cna_relay.routing.store import load_corrections
from invgate_sim import SimConfig, create_app
from invgate_sim.mailsink import MailSink
from tests.relay.routing.conftest import routing_settings
from tests.relay.routing.helpers import LAMP, TRIAGE, forward_reports, helpdesk_of, read_back, stored
from tests.support.databases import sqlite_url
from tests.support.relay_fixtures import running_relay

GROEN = "Groen en Natuur"
FALLEN_TREE = "Er ligt een omgewaaide boom over het wandelpad in het park, takken overal."
SEED = Path(__file__).resolve().parents[3] / "invgate_sim" / "seed_data" / "default_seed.json"


def seed_without(tmp_path: Path, helpdesk: str) -> Path:
    seed = json.loads(SEED.read_text(encoding="utf-8"))
    seed["helpdesks"] = [desk for desk in seed["helpdesks"] if desk["name"] != helpdesk]
    seed["categories"] = [category for category in seed["categories"] if category["name"] != helpdesk]
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(seed), encoding="utf-8")
    return path


async def test_a_helpdesk_missing_in_invgate_is_logged_at_start_and_its_reports_go_to_triage(
    sim_config: SimConfig, mail_sink: MailSink, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    sim_app = create_app(sim_config.with_changes(seed_path=seed_without(tmp_path, GROEN)))
    with caplog.at_level(logging.WARNING):
        async with running_relay(
            sim_app=sim_app,
            sim_config=sim_config,
            mail_sink=mail_sink,
            database_url=sqlite_url(tmp_path),
            **routing_settings(tmp_path / "models"),
        ) as relay:
            [at_start] = [
                r.getMessage() for r in caplog.records if "InvGate has no helpdesk" in r.getMessage()
            ]
            assert repr(GROEN) in at_start and repr(TRIAGE) in at_start
            assert relay.context.classify(FALLEN_TREE)[0] == GROEN

            tree, lamp = await forward_reports(relay, [FALLEN_TREE, LAMP])
            assert helpdesk_of(relay, tree) == TRIAGE and helpdesk_of(relay, lamp) == "Openbare Verlichting"
            await read_back(relay)
            row = (await stored(relay))[tree]
            assert (row.predicted_helpdesk, row.routed_helpdesk, row.final_helpdesk) == (
                GROEN,
                TRIAGE,
                TRIAGE,
            )
            assert not row.changed  # staff did nothing; the model was right, InvGate lacked the desk
            [correction] = [c for c in await load_corrections(relay.context.db) if c.ticket_id == str(tree)]
            assert correction.moved  # for training: the label is triage, not what the model said


async def test_the_relay_starts_while_invgate_is_down_and_reads_the_catalogues_later(
    sim_config: SimConfig, mail_sink: MailSink, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    sim_app = create_app(sim_config)
    sim_app.state.sim.faults.outage(3600)
    with caplog.at_level(logging.WARNING):
        async with running_relay(
            sim_app=sim_app,
            sim_config=sim_config,
            mail_sink=mail_sink,
            database_url=sqlite_url(tmp_path),
            **routing_settings(tmp_path / "models"),
        ) as relay:
            assert any("could not be read at start-up" in r.getMessage() for r in caplog.records)
            relay.sim.faults.clear()
            [lamp] = await forward_reports(relay, [LAMP])
            assert helpdesk_of(relay, lamp) == "Openbare Verlichting"


async def test_start_reads_the_catalogues_once_when_every_helpdesk_exists(
    sim_config: SimConfig, mail_sink: MailSink, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    sim_app = create_app(sim_config)
    with caplog.at_level(logging.WARNING):
        async with running_relay(
            sim_app=sim_app,
            sim_config=sim_config,
            mail_sink=mail_sink,
            database_url=sqlite_url(tmp_path),
            **routing_settings(tmp_path / "models"),
        ) as relay:
            assert len(relay.sim.requests_to("helpdesks")) == 1
            assert len(relay.sim.requests_to("categories")) == 1
            assert relay.context.directory.helpdesk_name(10) == TRIAGE
    assert not [r for r in caplog.records if r.name.startswith("cna_relay.routing")]
