"""Issue 5's acceptance: staff corrections in InvGate change what the relay predicts.

A citizen's reports are routed by the shipped model; staff move their tickets to another
helpdesk in the simulator (`incident.reassign`, as an agent would); the read-back stores the
corrections; `python -m cna_relay.routing train` (a real subprocess, configured through the
`CNA_RELAY_*` environment like the relay) retrains on seed + corrections and activates the new
model because it is not worse on the frozen test split; the running relay then routes similar,
unseen reports to the corrected helpdesk, which the shipped model did not.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import httpx

from cna_relay.routing import ModelRegistry
from tests.relay.routing.helpers import (
    ORDE,
    forward_reports,
    helpdesk_id,
    helpdesk_of,
    read_back,
    staff_reassign,
)
from tests.support.relay_fixtures import RelayHarness

ROOT = Path(__file__).resolve().parents[3]
# The municipality decided that shared e-scooters left on the pavement are an enforcement matter.
# The shipped model sends the first four elsewhere (staff move them) and the last two to
# Openbare Orde en Overlast already (staff keep them: confirmations).
SCOOTER_REPORTS = [
    "Een deelstep ligt plat op het voetpad in de Molenstraat, mensen struikelen erover",
    "Deelsteps worden achtergelaten voor mijn oprit, elke ochtend twee of drie",
    "Elektrische step van een deelbedrijf ligt midden op het fietspad aan de brug",
    "Weer deelsteppen dwars over de stoep aan de bakker, geen doorgang met de kinderwagen",
    "Drie deelsteps blokkeren de ingang van de school in de Stationsstraat",
    "Een verhuurde elektrische step staat al dagen tegen de gevel van het gemeentehuis",
]
SIMILAR_UNSEEN = [
    "Er ligt weer een deelstep midden op het voetpad aan de Kerkstraat",
    "deelsteppen overal op de stoep aan het station",
]


async def run_train(database_url: str, registry_dir: Path) -> tuple[int, str, str]:
    env = {
        "PYTHONPATH": str(ROOT),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "CNA_RELAY_DATABASE_URL": database_url,
        "CNA_RELAY_ROUTING_REGISTRY_DIR": str(registry_dir),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "cna_relay.routing",
        "train",
        env=env,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def test_staff_corrections_retrain_the_model_and_the_running_relay_uses_it(
    relay: RelayHarness, sim_http: httpx.AsyncClient, registry_dir: Path
) -> None:
    shipped = [relay.context.classify(text)[0] for text in SIMILAR_UNSEEN]
    assert ORDE not in shipped

    tickets = await forward_reports(relay, SCOOTER_REPORTS)
    routed = [helpdesk_of(relay, ticket) for ticket in tickets]
    assert ORDE not in routed[:4] and routed[4:] == [ORDE, ORDE]
    for ticket in tickets[:4]:
        await staff_reassign(sim_http, relay, ticket, helpdesk_id(relay, ORDE))
    summary = await read_back(relay)
    assert (summary.corrections, summary.moved) == (6, 4)

    code, out, err = await run_train(relay.context.settings.database_url, registry_dir)
    assert code == 0, err
    assert "relay database  6 corrections (4 moved)" in out
    active = ModelRegistry(registry_dir).active_version()
    assert active is not None and f"trained         {active}" in out
    assert "\nactivated " in out

    answers = [relay.context.classify(text) for text in SIMILAR_UNSEEN]
    assert [helpdesk for helpdesk, _ in answers] == [ORDE, ORDE]
    assert relay.context._classifier is not None and relay.context._classifier.version == active
    # Unrelated reports keep their desk.
    assert relay.context.classify("De straatlamp aan de kerk brandt niet meer")[0] == "Openbare Verlichting"

    [new] = await forward_reports(relay, SIMILAR_UNSEEN[:1], email="bert.claeys@example.be")
    assert helpdesk_of(relay, new) == ORDE
