"""The read-back stores where each CNA ticket ended, against the real simulator and databases."""

from __future__ import annotations

import logging

import httpx
import pytest

from cna_relay.routing.store import load_corrections
from invgate_sim.models import Helpdesk
from tests.relay.routing.helpers import (
    LAMP,
    ORDE,
    POTHOLE,
    TRIAGE,
    VERLICHTING,
    WEGEN,
    forward_reports,
    helpdesk_id,
    read_back,
    staff_cancel,
    staff_propose_solution,
    staff_reassign,
    stored,
    ticket_reads,
)
from tests.support.clock import FakeClock
from tests.support.relay_fixtures import RelayHarness

DAY = 24 * 3600


async def test_a_moved_ticket_is_a_correction_and_a_kept_one_a_confirmation(
    relay_any_db: RelayHarness, sim_http: httpx.AsyncClient
) -> None:
    relay = relay_any_db
    lamp, pothole = await forward_reports(relay, [LAMP, POTHOLE])
    await staff_reassign(sim_http, relay, pothole, helpdesk_id(relay, ORDE))

    summary = await read_back(relay)

    assert (summary.tickets_read, summary.corrections, summary.moved, summary.unnamed) == (2, 2, 1, 0)
    rows = await stored(relay)
    assert (rows[lamp].predicted_helpdesk, rows[lamp].final_helpdesk, rows[lamp].changed) == (
        VERLICHTING,
        VERLICHTING,
        False,
    )
    moved = rows[pothole]
    assert (moved.predicted_helpdesk, moved.routed_helpdesk) == (WEGEN, WEGEN)
    assert (moved.final_helpdesk, moved.changed, moved.text) == (ORDE, True, POTHOLE)
    assert moved.ticket_status_id == 1 and moved.settled_at is None
    assert moved.observed_at == relay.context.clock.now()
    corrections = {c.ticket_id: c for c in await load_corrections(relay.context.db)}
    assert corrections[str(pothole)].moved and not corrections[str(lamp)].moved
    assert corrections[str(pothole)].final_helpdesk == ORDE and corrections[str(pothole)].text == POTHOLE


async def test_the_latest_helpdesk_wins_and_moving_back_is_no_change(
    relay: RelayHarness, sim_http: httpx.AsyncClient, clock: FakeClock
) -> None:
    [pothole] = await forward_reports(relay, [POTHOLE])
    await staff_reassign(sim_http, relay, pothole, helpdesk_id(relay, ORDE))
    await read_back(relay)
    assert (await stored(relay))[pothole].changed
    clock.advance(3600)
    await staff_reassign(sim_http, relay, pothole, helpdesk_id(relay, WEGEN))
    await read_back(relay)
    row = (await stored(relay))[pothole]
    assert (row.final_helpdesk, row.changed, row.observed_at) == (WEGEN, False, clock.now())


async def test_closed_tickets_are_no_longer_read_but_solved_ones_are(
    relay: RelayHarness, sim_http: httpx.AsyncClient, clock: FakeClock
) -> None:
    cancelled, solved, open_ = await forward_reports(
        relay, [LAMP, POTHOLE, "Zwerfvuil langs de Zonnebekestraat"]
    )
    await staff_cancel(sim_http, relay, cancelled)
    await staff_propose_solution(sim_http, relay, solved)
    first = await read_back(relay)
    assert first.tickets_read == 3 and first.settled == 1
    rows = await stored(relay)
    assert rows[cancelled].settled_at is not None and rows[cancelled].ticket_status_id == 8
    assert rows[solved].settled_at is None and rows[solved].ticket_status_id == 5

    clock.advance(3600)
    await read_back(relay)
    assert sorted(ticket_reads(relay)[-1]) == sorted([str(solved), str(open_)])

    response = await sim_http.put("incident.solution.accept", params={"id": solved, "rating": 5})
    assert response.status_code == 200, response.text
    clock.advance(3600)
    await read_back(relay)
    assert (await stored(relay))[solved].settled_at == clock.now()
    clock.advance(3600)
    await read_back(relay)
    assert ticket_reads(relay)[-1] == [str(open_)]
    # A settled ticket keeps the helpdesk it was closed in: still a correction to learn from.
    assert {c.ticket_id for c in await load_corrections(relay.context.db)} == {
        str(cancelled),
        str(solved),
        str(open_),
    }


async def test_tickets_of_old_reports_are_no_longer_read(relay: RelayHarness, clock: FakeClock) -> None:
    await forward_reports(relay, [LAMP])
    assert (await read_back(relay)).tickets_read == 1
    clock.advance(59 * DAY)
    assert (await read_back(relay)).tickets_read == 1
    clock.advance(2 * DAY)
    calls = len(ticket_reads(relay))
    assert (await read_back(relay)).tickets_read == 0
    assert len(ticket_reads(relay)) == calls


async def test_least_recently_read_tickets_go_first_in_batches(relay: RelayHarness, clock: FakeClock) -> None:
    tickets = {
        str(t) for t in await forward_reports(relay, [f"Zwerfvuil aan de glasbak, nr {n}" for n in range(5)])
    }
    summary = await read_back(relay, batch_size=2, max_batches=2)
    assert summary.tickets_read == 4
    first, second = ticket_reads(relay)
    assert len(first) == len(second) == 2
    [left_out] = tickets - set(first) - set(second)
    clock.advance(60)
    await read_back(relay, batch_size=2, max_batches=1)
    [third] = ticket_reads(relay)[2:]
    assert left_out in third  # never read before, so first in line
    clock.advance(60)
    await read_back(relay, batch_size=2, max_batches=1)
    [fourth] = ticket_reads(relay)[3:]
    assert set(fourth) <= set(first) | set(second)  # then those read longest ago
    assert not set(fourth) & set(third)


async def test_a_ticket_gone_from_invgate_is_settled_without_a_correction(
    relay: RelayHarness, caplog: pytest.LogCaptureFixture
) -> None:
    gone, kept = await forward_reports(relay, [LAMP, POTHOLE])
    del relay.sim.tickets[gone]
    with caplog.at_level(logging.WARNING, logger="cna_relay.routing"):
        summary = await read_back(relay)
    assert summary.settled == 1 and summary.corrections == 1
    rows = await stored(relay)
    assert rows[gone].settled_at is not None and rows[gone].final_helpdesk is None
    assert rows[kept].final_helpdesk == WEGEN
    assert f"no longer has ticket {gone}" in caplog.text


async def test_an_unknown_helpdesk_id_is_logged_and_stores_no_correction(
    relay: RelayHarness, caplog: pytest.LogCaptureFixture
) -> None:
    orphan, kept = await forward_reports(relay, [LAMP, POTHOLE])
    # A helpdesk deleted in InvGate after the ticket was moved there: nobody can name its id.
    relay.sim.tickets[orphan].assigned_group_id = 999
    catalogue_reads = len(relay.sim.requests_to("helpdesks"))
    with caplog.at_level(logging.ERROR, logger="cna_relay.routing"):
        summary = await read_back(relay)
    assert (summary.tickets_read, summary.corrections, summary.unnamed) == (2, 1, 1)
    assert len(relay.sim.requests_to("helpdesks")) == catalogue_reads + 1  # looked once more
    rows = await stored(relay)
    assert rows[orphan].final_helpdesk is None and rows[orphan].settled_at is None
    assert rows[kept].final_helpdesk == WEGEN
    assert [str(c.ticket_id) for c in await load_corrections(relay.context.db)] == [str(kept)]
    [line] = [r.getMessage() for r in caplog.records if "999" in r.getMessage()]
    assert f"ticket {orphan}" in line and "no routing correction" in line


async def test_a_level_is_named_after_its_helpdesk(relay: RelayHarness, sim_http: httpx.AsyncClient) -> None:
    [lamp] = await forward_reports(relay, [LAMP])
    [level] = [desk for desk in relay.sim.helpdesks.values() if desk.parent_id == helpdesk_id(relay, WEGEN)]
    await staff_reassign(sim_http, relay, lamp, level.id)
    await read_back(relay)
    row = (await stored(relay))[lamp]
    assert (row.final_helpdesk, row.changed) == (WEGEN, True)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ICT en Telefonie", "ICT en Telefonie"),
        ("openbare  orde & overlast", ORDE),  # InvGate's spelling of a desk the model knows
        ("Dienst " + "ö" * 140 + " <b>&amp;", "Dienst " + "ö" * 93),  # cut to the column
    ],
)
async def test_a_helpdesk_created_later_is_found_and_stored_by_name(
    relay_any_db: RelayHarness, sim_http: httpx.AsyncClient, name: str, expected: str
) -> None:
    relay = relay_any_db
    [lamp] = await forward_reports(relay, [LAMP])
    relay.sim.helpdesks[77] = Helpdesk(id=77, name=name, members=[101])
    await staff_reassign(sim_http, relay, lamp, 77)
    summary = await read_back(relay)
    assert summary.corrections == 1
    row = (await stored(relay))[lamp]
    assert (row.final_helpdesk, row.changed) == (expected, True)


async def test_hostile_report_text_is_kept_verbatim(relay_any_db: RelayHarness) -> None:
    relay = relay_any_db
    text = "Lamp kapot <script>alert('x')</script> 💡 ‏שלום \"quotes\" ; DROP TABLE reports; --" + "x" * 3000
    [ticket] = await forward_reports(relay, [text])
    await read_back(relay)
    [correction] = await load_corrections(relay.context.db)
    assert correction.text == text and correction.ticket_id == str(ticket)


async def test_a_report_routed_to_triage_is_read_back_like_any_other(relay: RelayHarness) -> None:
    [ticket] = await forward_reports(relay, ["Wanneer is het containerpark open op zaterdag?"])
    await read_back(relay)
    row = (await stored(relay))[ticket]
    assert (row.predicted_helpdesk, row.routed_helpdesk, row.final_helpdesk, row.changed) == (
        TRIAGE,
        TRIAGE,
        TRIAGE,
        False,
    )
