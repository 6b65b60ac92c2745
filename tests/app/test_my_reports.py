""" "Mijn meldingen" (`MyReportsFlow`): the citizen's reports a page at a time, with thumbnails
fetched with the bearer token, reloaded only when something changed, gone when the citizen is."""

from __future__ import annotations

from cna_app.services.errors import RelayUnavailable
from cna_app.services.photos import IncomingFile
from cna_app.viewmodels.my_reports import PAGE_SIZE
from cna_app.viewmodels.navigation import Route
from cna_app.viewmodels.shell import Shell
from cna_app.viewmodels.texts import UserText
from tests.app.conftest import sign_in
from tests.app.fakes import FakeRelay, RecordingNavigator, settle
from tests.app.test_report_form import fill_in
from tests.support import images


async def send_reports(shell: Shell, count: int, *, photo: bool = False) -> None:
    for number in range(count):
        files = [IncomingFile("put.jpg", images.jpeg(320, 240, gps=False))] if photo else None
        await fill_in(shell, description=f"Melding {number}", files=files)
        await shell.report.submit()
        shell.report.outcome = None


async def test_reports_come_newest_first_a_page_at_a_time(citizen: Shell, fake_relay: FakeRelay) -> None:
    await send_reports(citizen, PAGE_SIZE + 2)
    flow = citizen.my_reports
    await flow.load()
    assert len(flow.items) == PAGE_SIZE and flow.items[0]["description"] == f"Melding {PAGE_SIZE + 1}"
    await flow.load_more()
    assert len(flow.items) == PAGE_SIZE + 2 and flow.next_cursor is None
    assert flow.items[-1]["description"] == "Melding 0"
    await flow.load_more()  # nothing more: no call
    assert fake_relay.count("list_reports") == 2


async def test_thumbnails_are_fetched_for_reports_with_photos_only(
    citizen: Shell, fake_relay: FakeRelay
) -> None:
    await send_reports(citizen, 1, photo=True)
    await send_reports(citizen, 1)
    await citizen.my_reports.load()
    await settle(40)
    with_photo, without = citizen.my_reports.items[1], citizen.my_reports.items[0]
    assert citizen.my_reports.thumbnails[with_photo["id"]][:3] == b"\xff\xd8\xff"
    assert without["id"] not in citizen.my_reports.thumbnails
    assert fake_relay.count("report_thumbnail") == 1


async def test_the_list_is_reloaded_only_after_a_new_report(citizen: Shell, fake_relay: FakeRelay) -> None:
    await citizen.my_reports.load()
    await citizen.my_reports.load()
    assert fake_relay.count("list_reports") == 1
    await send_reports(citizen, 1)
    await citizen.my_reports.load()
    assert fake_relay.count("list_reports") == 2 and len(citizen.my_reports.items) == 1


async def test_an_unreachable_relay_is_said_in_a_banner(citizen: Shell, fake_relay: FakeRelay) -> None:
    fake_relay.fail_next("list_reports", RelayUnavailable("down"))
    await citizen.my_reports.load()
    assert citizen.my_reports.form.banner == UserText.of("error.unavailable")
    assert not citizen.my_reports.loaded
    await citizen.my_reports.load()  # "try again" by coming back
    assert citizen.my_reports.loaded and citizen.my_reports.form.banner is None


async def test_an_expired_session_leads_to_log_in_and_back(
    citizen: Shell, fake_relay: FakeRelay, nav: RecordingNavigator
) -> None:
    fake_relay.revoke_all_sessions()
    await citizen.my_reports.load()
    assert nav.current == Route.LOGIN_PASSWORD and citizen.return_to == Route.REPORTS


async def test_another_citizen_never_sees_the_previous_list(citizen: Shell, fake_relay: FakeRelay) -> None:
    await send_reports(citizen, 1)
    await citizen.my_reports.load()
    assert len(citizen.my_reports.items) == 1
    await sign_in(citizen, fake_relay, email="bert@example.be")
    assert citizen.my_reports.items == [] and not citizen.my_reports.loaded
    await citizen.my_reports.load()
    assert citizen.my_reports.items == []


async def test_a_report_delivered_later_makes_the_list_stale(citizen: Shell, fake_relay: FakeRelay) -> None:
    fake_relay.fail_next("list_reports", RelayUnavailable("down"))
    await citizen.my_reports.load()
    assert not citizen.my_reports.stale
    await send_reports(citizen, 1)  # e.g. the outbox delivered one meanwhile
    assert citizen.my_reports.stale
    await citizen.my_reports.load()
    assert not citizen.my_reports.stale and len(citizen.my_reports.items) == 1
