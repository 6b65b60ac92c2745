"""Reports waiting on the device: kept with their UUID, sent again with back-off when the relay is
reachable, delivered exactly once, and honest about what could not be kept or sent."""

from __future__ import annotations

import asyncio
import itertools
import random

import pytest

from cna_app.services.drafts import (
    DraftStore,
    DraftStoreError,
    FileDraftStore,
    MemoryDraftStore,
    ReportDraft,
    new_report_id,
)
from cna_app.services.errors import FieldProblem, RelayProblem
from cna_app.services.photos import IncomingFile
from cna_app.viewmodels.report_outbox import ReportOutbox
from cna_app.viewmodels.shell import Shell
from cna_app.viewmodels.texts import UserText
from tests.app.conftest import sign_in
from tests.app.fakes import FakeRelay, ManualClock, settle
from tests.app.test_report_form import fill_in, later
from tests.support import images


async def queue_one(shell: Shell, fake_relay: FakeRelay) -> str:
    """Write a report and send it while the relay cannot be reached."""
    await fill_in(shell, files=[IncomingFile("put.jpg", images.jpeg(640, 480))])
    report_id = shell.report.draft().id
    fake_relay.offline = True
    await shell.report.submit()
    return report_id


async def test_a_queued_report_goes_out_once_the_relay_is_back_with_the_same_uuid(
    citizen: Shell, fake_relay: FakeRelay, clock: ManualClock
) -> None:
    report_id = await queue_one(citizen, fake_relay)
    [entry] = citizen.report.outbox.entries
    assert entry.draft.id == report_id and entry.note == UserText.of("outbox.offline")
    await later(clock, 3)  # first retry (2 s ± 20 %): still offline
    assert entry.draft.attempts == 2 and entry.note == UserText.of("outbox.offline")
    fake_relay.offline = False
    await later(clock, 6)
    assert citizen.report.outbox.entries == []
    assert list(fake_relay.reports) == [report_id]
    assert citizen.take_flash() == UserText.of("outbox.delivered", reference="CNA-2026-000001")
    assert citizen.report.deliveries == 1


async def test_a_reply_lost_after_filing_is_answered_with_the_first_receipt(
    citizen: Shell, fake_relay: FakeRelay, clock: ManualClock
) -> None:
    await fill_in(citizen)
    fake_relay.lose_replies = 1  # the relay files it, the answer never arrives
    await citizen.report.submit()
    assert citizen.report.outcome is not None and citizen.report.outcome.kind == "queued"
    await later(clock, 3)
    assert citizen.report.outbox.entries == []
    assert len(fake_relay.reports) == 1  # filed once, whatever the app saw
    assert fake_relay.count("submit_report") == 2


async def test_back_off_grows_then_stays_at_the_last_step(
    citizen: Shell, fake_relay: FakeRelay, clock: ManualClock
) -> None:
    await queue_one(citizen, fake_relay)
    citizen.report.outbox._jitter = 0.0  # exact steps for this test
    [entry] = citizen.report.outbox.entries
    tries: list[float] = []
    for _ in range(40):
        before = fake_relay.count("submit_report")
        await later(clock, 1)
        if fake_relay.count("submit_report") > before:
            tries.append(clock.now())
    gaps = [round(b - a) for a, b in itertools.pairwise(tries)]
    assert gaps[:2] == [4, 8] and set(gaps[2:]) == {8}  # the test schedule is 2, 4, 8
    assert entry.draft.attempts == len(tries) + 1


async def test_retry_now_skips_the_wait(citizen: Shell, fake_relay: FakeRelay) -> None:
    report_id = await queue_one(citizen, fake_relay)
    fake_relay.offline = False
    citizen.report.outbox.retry_now(report_id)
    await settle(60)
    assert list(fake_relay.reports) == [report_id]


async def test_any_answer_from_the_relay_wakes_the_waiting_reports(
    citizen: Shell, fake_relay: FakeRelay
) -> None:
    report_id = await queue_one(citizen, fake_relay)
    fake_relay.offline = False
    await citizen.my_reports.load()  # "Mijn meldingen" reached the relay
    await settle(60)
    assert list(fake_relay.reports) == [report_id]


async def test_the_relays_retry_after_is_respected(
    citizen: Shell, fake_relay: FakeRelay, clock: ManualClock
) -> None:
    await fill_in(citizen)
    fake_relay.fail_next("submit_report", RelayProblem(status=429, code="rate_limited", retry_after_s=30))
    await citizen.report.submit()
    await later(clock, 20)
    assert fake_relay.count("submit_report") == 1
    await later(clock, 20)
    assert fake_relay.count("submit_report") == 2 and citizen.report.outbox.entries == []


async def test_a_refusal_while_waiting_stops_and_says_why(
    citizen: Shell, fake_relay: FakeRelay, clock: ManualClock
) -> None:
    await queue_one(citizen, fake_relay)
    fake_relay.offline = False
    errors = (FieldProblem("location", "outside_municipality", "Deze locatie ligt buiten Zonnebeke."),)
    fake_relay.fail_next(
        "submit_report", RelayProblem(status=422, code="outside_municipality", errors=errors)
    )
    await later(clock, 3)
    [entry] = citizen.report.outbox.entries
    assert entry.refused and entry.draft.failure == "Deze locatie ligt buiten Zonnebeke."
    await later(clock, 60)
    assert fake_relay.count("submit_report") == 2  # not tried again by itself
    await citizen.report.outbox.remove(entry.draft.id)
    assert citizen.report.outbox.entries == []


async def test_an_expired_session_pauses_until_the_same_citizen_logs_in(
    citizen: Shell, fake_relay: FakeRelay, clock: ManualClock
) -> None:
    report_id = await queue_one(citizen, fake_relay)
    fake_relay.offline = False
    fake_relay.revoke_all_sessions()
    await later(clock, 3)
    [entry] = citizen.report.outbox.entries
    assert citizen.report.outbox.paused and entry.note == UserText.of("outbox.session")
    await later(clock, 30)
    assert fake_relay.reports == {}
    await sign_in(citizen, fake_relay)
    await settle(60)
    assert list(fake_relay.reports) == [report_id]


async def test_waiting_reports_survive_a_restart_and_go_out_then(
    make_shell, fake_relay: FakeRelay, tmp_path, clock: ManualClock
) -> None:
    store = FileDraftStore(tmp_path / "drafts")
    first = make_shell(store=store)
    await first.start()
    await sign_in(first, fake_relay)
    report_id = await queue_one(first, fake_relay)
    await asyncio.sleep(0.05)  # the file store writes in a thread
    first.close()
    assert [p.name for p in (tmp_path / "drafts").rglob("*.json")] == [f"{report_id}.json"]

    fake_relay.offline = False
    second = make_shell(store=store)
    await second.start()
    [entry] = second.report.outbox.entries
    assert entry.draft.id == report_id and entry.draft.attachments[0].content_type == "image/jpeg"
    await later(clock, 1)
    for _ in range(50):  # the delivered draft is removed by a worker thread
        if not list((tmp_path / "drafts").rglob("*.json")):
            break
        await asyncio.sleep(0.01)
    assert list(fake_relay.reports) == [report_id]
    assert list((tmp_path / "drafts").rglob("*.json")) == []
    second.close()


class RefusingStore(MemoryDraftStore):
    durable = True

    async def save(self, draft: ReportDraft) -> None:
        raise DraftStoreError("quota exceeded")


async def test_a_report_the_device_cannot_keep_waits_in_memory_and_says_so(
    make_shell, fake_relay: FakeRelay
) -> None:
    shell = make_shell(store=RefusingStore())
    await shell.start()
    await sign_in(shell, fake_relay)
    await queue_one(shell, fake_relay)
    assert shell.report.outcome is not None and shell.report.outcome.stored is False
    assert shell.report.outbox.entries[0].stored is False
    shell.close()


@pytest.mark.parametrize("store", [MemoryDraftStore(), None])
async def test_drafts_of_one_account_never_reach_another(
    store: DraftStore | None, fake_relay: FakeRelay, tmp_path
) -> None:
    drafts = store or FileDraftStore(tmp_path)
    mine = ReportDraft(new_report_id(), "acc-1", "2026-12-03T10:00:00+00:00", "x", state="waiting")
    await drafts.save(mine)
    assert await drafts.load_all("acc-2") == []
    assert await drafts.load_all("acc-1") == [mine]


async def test_jitter_spreads_retries_but_stays_within_a_fifth(citizen: Shell) -> None:
    outbox = ReportOutbox(citizen, MemoryDraftStore(), on_delivered=lambda d, r: None, rng=random.Random(7))
    delays = [outbox._delay(1, None) for _ in range(200)]
    assert min(delays) >= 2 * 0.8 and max(delays) <= 2 * 1.2 and len(set(delays)) > 100


async def test_nothing_is_sent_twice_when_retry_now_meets_the_timer(
    citizen: Shell, fake_relay: FakeRelay, clock: ManualClock
) -> None:
    report_id = await queue_one(citizen, fake_relay)
    fake_relay.offline = False
    gate = fake_relay.hold("submit_report")
    citizen.report.outbox.retry_now(report_id)
    await settle()
    citizen.report.outbox.retry_now(report_id)  # pressed again while the first is on its way
    await later(clock, 10)
    gate.set()
    await settle(60)
    assert len(fake_relay.reports) == 1
    assert fake_relay.count("submit_report") == 2  # the form's attempt and one retry
