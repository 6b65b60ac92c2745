"""The report form's rules (`ReportFlow`) on a real shell with the fake relay: what "Melding
verzenden" needs, what sending does in each outcome, and what stays on the device."""

from __future__ import annotations

import pytest

from cna_app.services.drafts import DraftStore, FileDraftStore
from cna_app.services.errors import FieldProblem, RelayProblem, RelayUnavailable
from cna_app.services.geo import GeoPoint
from cna_app.services.photos import IncomingFile
from cna_app.viewmodels.navigation import Route
from cna_app.viewmodels.report_form import Outcome, clean_text
from cna_app.viewmodels.report_keeper import SAVE_DEBOUNCE_S
from cna_app.viewmodels.shell import Shell
from cna_app.viewmodels.texts import UserText
from tests.app.conftest import CITIZEN, sign_in
from tests.app.fakes import INSIDE, OUTSIDE, FakeRelay, ManualClock, RecordingNavigator, settle
from tests.support import images

DESCRIPTION = "Losliggende stoeptegel voor de bakker."


async def later(clock: ManualClock, seconds: float) -> None:
    """Let pending work start its timers, then move the clock."""
    await settle()
    await clock.advance(seconds)


async def fill_in(
    shell: Shell, *, description: str = DESCRIPTION, files: list[IncomingFile] | None = None
) -> None:
    report = shell.report
    report.set_description(description)
    if files:
        await report.add_files(files)
    assert report.location.place(GeoPoint(*INSIDE), "map")
    await settle()


async def test_sending_needs_a_description_and_a_location(citizen: Shell) -> None:
    report = citizen.report
    assert not report.can_submit
    assert report.missing == [
        UserText.of("report.missing.description"),
        UserText.of("report.missing.location"),
    ]
    report.set_description("   \n ")
    assert not report.can_submit  # blank is not a description
    report.set_description(DESCRIPTION)
    assert report.missing == [UserText.of("report.missing.location")]
    report.location.place(GeoPoint(*INSIDE), "map")
    assert report.can_submit and report.missing == []


async def test_a_description_over_the_relays_limit_is_refused_on_the_spot(
    citizen: Shell, fake_relay: FakeRelay
) -> None:
    maximum = fake_relay.config_view["report"]["description_max_length"]
    await fill_in(citizen, description="x" * (maximum + 1))
    assert citizen.report.description_error == UserText.of("field.too_long", count=maximum)
    assert not citizen.report.can_submit
    citizen.report.set_description("x" * maximum)
    assert citizen.report.description_error is None and citizen.report.can_submit


def test_control_characters_and_bidi_overrides_are_dropped_as_the_relay_would_refuse_them() -> None:
    assert clean_text(" Put\x00 in de\r\nweg\u202e.\t ") == "Put in de\nweg.\t".strip()
    assert clean_text("\u2066x\u2069\x07") == "x"


async def test_sending_is_off_while_a_photo_is_being_prepared(citizen: Shell) -> None:
    await fill_in(citizen)
    citizen.report.attachments.processing = 1  # as during `add_files`
    assert citizen.report.missing == [UserText.of("report.missing.processing")]
    assert not citizen.report.can_submit


async def test_a_delivered_report_shows_its_reference_and_starts_a_new_form(
    citizen: Shell, fake_relay: FakeRelay, drafts: DraftStore
) -> None:
    await fill_in(citizen, files=[IncomingFile("put.jpg", images.jpeg(800, 600))])
    report_id = citizen.report.draft().id
    await citizen.report.submit()
    assert citizen.report.outcome == Outcome("delivered", "CNA-2026-000001")
    stored = fake_relay.reports[report_id]
    assert stored.report["description"] == DESCRIPTION
    assert stored.report["location"]["source"] == "pin"
    assert [f.content_type for f in stored.files] == ["image/jpeg"]
    # A fresh form with a new UUID; nothing left on the device.
    assert citizen.report.blank and citizen.report.draft().id != report_id
    assert await drafts.load_all(fake_relay.accounts[CITIZEN].id) == []


async def test_the_confirmation_leads_to_my_reports(citizen: Shell, nav: RecordingNavigator) -> None:
    await fill_in(citizen)
    await citizen.report.submit()
    citizen.report.close_outcome(Route.REPORTS)
    assert citizen.report.outcome is None and nav.current == Route.REPORTS


async def test_a_refusal_keeps_everything_and_shows_the_reason_at_the_field(
    citizen: Shell, fake_relay: FakeRelay
) -> None:
    await fill_in(citizen)
    before = citizen.report.draft()
    errors = (FieldProblem("description", "control_characters", "Deze tekst bevat ongeldige tekens."),)
    fake_relay.fail_next(
        "submit_report", RelayProblem(status=422, code="validation_error", detail="Kijk na.", errors=errors)
    )
    await citizen.report.submit()
    assert citizen.report.outcome is None
    assert citizen.report.draft() == before  # same UUID, text, location
    assert citizen.report.description_error == UserText.relay("Deze tekst bevat ongeldige tekens.")
    assert citizen.report.form.banner == UserText.of("report.check_form")


async def test_the_relay_refusing_the_location_shows_it_at_the_location(
    citizen: Shell, fake_relay: FakeRelay
) -> None:
    await fill_in(citizen)
    errors = (FieldProblem("location", "outside_municipality", "Deze locatie ligt buiten Zonnebeke."),)
    fake_relay.fail_next(
        "submit_report",
        RelayProblem(status=422, code="outside_municipality", detail="Buiten Zonnebeke.", errors=errors),
    )
    await citizen.report.submit()
    assert citizen.report.form.errors["location"] == UserText.relay("Deze locatie ligt buiten Zonnebeke.")


async def test_a_file_the_relay_refuses_is_named_under_the_attachments(
    citizen: Shell, fake_relay: FakeRelay
) -> None:
    await fill_in(citizen, files=[IncomingFile("plan.pdf", images.pdf())])
    errors = (FieldProblem("attachments.0", "active_content", "Deze PDF bevat scripts."),)
    fake_relay.fail_next(
        "submit_report",
        RelayProblem(status=415, code="unsupported_attachment", detail="Niet.", errors=errors),
    )
    await citizen.report.submit()
    assert citizen.report.form.errors["attachments"] == UserText.relay("Deze PDF bevat scripts.")
    assert len(citizen.report.attachments.items) == 1  # kept: the citizen decides what to remove


async def test_an_id_conflict_gives_the_report_a_new_uuid(citizen: Shell, fake_relay: FakeRelay) -> None:
    await fill_in(citizen)
    first = citizen.report.draft().id
    fake_relay.fail_next(
        "submit_report", RelayProblem(status=409, code="report_id_conflict", detail="Start opnieuw.")
    )
    await citizen.report.submit()
    assert citizen.report.draft().id != first
    assert citizen.report.form.banner == UserText.relay("Start opnieuw.")
    await citizen.report.submit()
    assert citizen.report.outcome is not None and citizen.report.outcome.kind == "delivered"


async def test_an_expired_session_keeps_the_report_for_after_logging_in_again(
    citizen: Shell, fake_relay: FakeRelay, nav: RecordingNavigator
) -> None:
    await fill_in(citizen)
    draft = citizen.report.draft()
    fake_relay.revoke_all_sessions()
    await citizen.report.submit()
    assert nav.current == Route.LOGIN_PASSWORD
    assert citizen.return_to == Route.REPORT
    await sign_in(citizen, fake_relay)
    assert nav.current == Route.REPORT
    assert citizen.report.draft() == draft
    await citizen.report.submit()
    assert citizen.report.outcome is not None and citizen.report.outcome.kind == "delivered"
    assert list(fake_relay.reports) == [draft.id]


async def test_the_form_is_kept_on_the_device_while_typing(
    citizen: Shell, fake_relay: FakeRelay, drafts: DraftStore, clock: ManualClock
) -> None:
    account = fake_relay.accounts[CITIZEN].id
    citizen.report.set_description("Eerste woorden")
    assert await drafts.load_all(account) == []  # not per keystroke
    await later(clock, SAVE_DEBOUNCE_S)
    [saved] = await drafts.load_all(account)
    assert saved.description == "Eerste woorden" and saved.state == "composing"
    citizen.report.set_description("")
    await later(clock, SAVE_DEBOUNCE_S)
    assert await drafts.load_all(account) == []  # an empty form leaves nothing behind


async def test_an_unfinished_report_comes_back_after_a_restart(
    make_shell, fake_relay: FakeRelay, tmp_path, clock: ManualClock
) -> None:
    store = FileDraftStore(tmp_path / "drafts")
    first = make_shell(store=store)
    await first.start()
    await sign_in(first, fake_relay)
    await fill_in(first, files=[IncomingFile("put.jpg", images.jpeg(640, 480))])
    await later(clock, 2)  # the pin's address lookup
    first.report.set_description(DESCRIPTION + " Nog iets.")
    await first.report.flush()  # the app closes before the debounced save
    before = first.report.draft()
    first.close()

    second = make_shell(store=store)
    await second.start()  # the session is restored from the token store
    assert second.report.draft() == before
    assert second.report.attachments.items[0].preview  # the thumbnail came back too
    second.close()


async def test_logging_out_drops_the_unfinished_report_from_the_device(
    citizen: Shell, fake_relay: FakeRelay, drafts: DraftStore, clock: ManualClock
) -> None:
    await fill_in(citizen)
    await later(clock, 3)
    account = fake_relay.accounts[CITIZEN].id
    assert len(await drafts.load_all(account)) == 1
    await citizen.profile.logout()
    await settle()
    assert citizen.report.blank
    assert await drafts.load_all(account) == []


async def test_another_citizen_on_the_same_device_starts_with_an_empty_form(
    citizen: Shell, fake_relay: FakeRelay, clock: ManualClock
) -> None:
    await fill_in(citizen)
    fake_relay.offline = True
    await citizen.report.submit()  # one report waits on the device as well
    fake_relay.offline = False
    await fill_in(citizen, description="Tweede melding")
    await later(clock, 3)
    await sign_in(citizen, fake_relay, email="bert@example.be")
    assert citizen.report.blank
    assert citizen.report.outbox.entries == []


async def test_the_photo_location_is_offered_and_used_as_a_gps_position(citizen: Shell) -> None:
    report = citizen.report
    await report.add_files([IncomingFile("voetpad.jpg", images.jpeg(640, 480))])
    offer = report.attachments.offer
    assert offer is not None and offer.name == "voetpad.jpg"
    expected = (50 + 52 / 60 + 21.4 / 3600, 2 + 59 / 60 + 14.1 / 3600)
    assert (offer.point.lat, offer.point.lon) == pytest.approx(expected)
    report.use_photo_location()
    chosen = report.location.chosen
    assert chosen is not None and chosen.origin == "photo" and chosen.to_wire()["source"] == "gps"
    assert report.attachments.offer is None


async def test_a_photo_location_outside_is_not_offered(citizen: Shell, fake_relay: FakeRelay) -> None:
    fake_relay.config_view["boundary"] = {
        "type": "Polygon",
        "coordinates": [[[2.80, 50.80], [2.90, 50.80], [2.90, 50.86], [2.80, 50.86], [2.80, 50.80]]],
    }
    await citizen.report.add_files([IncomingFile("elders.jpg", images.jpeg(320, 240))])
    assert citizen.report.attachments.offer is None
    assert citizen.report.attachments.notes[0].key == "attachment.position_outside"
    assert not citizen.report.location.place(GeoPoint(*INSIDE), "map")  # the new outline applies


async def test_outside_pins_are_refused_before_anything_is_sent(
    citizen: Shell, fake_relay: FakeRelay
) -> None:
    await fill_in(citizen)
    assert not citizen.report.location.place(GeoPoint(*OUTSIDE), "map")
    assert citizen.report.location.refusal == UserText.of(
        "location.outside", municipality="Gemeente Zonnebeke"
    )
    chosen = citizen.report.location.chosen
    assert chosen is not None and chosen.point == GeoPoint(*INSIDE)  # the earlier choice stays
    assert fake_relay.count("submit_report") == 0


async def test_sending_twice_at_once_sends_once(citizen: Shell, fake_relay: FakeRelay) -> None:
    await fill_in(citizen)
    gate = fake_relay.hold("submit_report")
    first = citizen.report.submit()
    second = citizen.report.submit()
    import asyncio

    task = asyncio.ensure_future(first)
    await settle()
    await second  # the form is busy: nothing happens
    gate.set()
    await task
    assert fake_relay.count("submit_report") == 1


async def test_upload_progress_is_reported_in_bytes(citizen: Shell, fake_relay: FakeRelay) -> None:
    await fill_in(citizen, files=[IncomingFile("put.jpg", images.jpeg(640, 480))])
    seen: list[tuple[int, int] | None] = []
    citizen.changes.subscribe(lambda rebuild: seen.append(citizen.report.progress))
    await citizen.report.submit()
    sizes = [p for p in seen if p is not None]
    assert sizes[0][0] == 0 and sizes[-1][0] == sizes[-1][1] > 0
    assert citizen.report.progress is None  # cleared afterwards


@pytest.mark.parametrize("error", [RelayUnavailable("down"), RelayProblem(status=503, code="internal_error")])
async def test_passing_failures_move_the_report_to_the_outbox(citizen: Shell, error: Exception) -> None:
    await fill_in(citizen)
    draft = citizen.report.draft()
    citizen.relay.fail_next("submit_report", error)  # type: ignore[attr-defined]
    await citizen.report.submit()
    assert citizen.report.outcome == Outcome("queued", stored=False)  # the memory store cannot keep it
    [entry] = citizen.report.outbox.entries
    assert entry.draft.id == draft.id and entry.draft.state == "waiting"
    assert citizen.report.blank
