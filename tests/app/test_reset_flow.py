"""Forgotten password: never reveals whether an account exists; code + new password with checklist."""

from __future__ import annotations

from cna_app.contract.password import PasswordRule
from cna_app.services.errors import RelayProblem, RelayUnavailable
from cna_app.viewmodels.navigation import Route
from cna_app.viewmodels.shell import Shell
from cna_app.viewmodels.texts import UserText
from tests.app.fakes import GOOD_PASSWORD, FakeRelay, ManualClock, RecordingNavigator

NEW_PASSWORD = "Nieuw-Wachtwoord-77"


async def request_code(shell: Shell, email: str = "an@example.be") -> None:
    shell.reset.set_email(email)
    await shell.reset.submit_email()


async def test_known_and_unknown_addresses_move_on_alike(
    shell: Shell, fake_relay: FakeRelay, nav: RecordingNavigator
) -> None:
    fake_relay.add_account("an@example.be")
    await request_code(shell, "an@example.be")
    known = (nav.current, shell.reset.form.errors, shell.reset.form.banner)
    await request_code(shell, "nobody@example.be")
    assert (
        (nav.current, shell.reset.form.errors, shell.reset.form.banner)
        == known
        == (Route.RESET_CODE, {}, None)
    )


async def test_a_malformed_address_is_caught_before_asking(shell: Shell, fake_relay: FakeRelay) -> None:
    await request_code(shell, "an@")
    assert shell.reset.form.errors == {"email": UserText.of("error.email_format")}
    assert fake_relay.count("request_password_reset") == 0
    assert not shell.reset.allows(Route.RESET_CODE)


async def test_code_and_new_password_sign_in(
    shell: Shell, fake_relay: FakeRelay, nav: RecordingNavigator
) -> None:
    fake_relay.add_account("an@example.be")
    await request_code(shell)
    shell.reset.set_code("246 810")
    shell.reset.set_new_password(NEW_PASSWORD)
    assert shell.reset.can_confirm
    await shell.reset.confirm()
    assert shell.session.signed_in
    assert fake_relay.accounts["an@example.be"].password == NEW_PASSWORD
    assert nav.current == Route.REPORT
    assert shell.reset.new_password == "" and shell.reset.requested_email is None


async def test_the_new_password_has_the_live_checklist(shell: Shell) -> None:
    await request_code(shell, "an.peeters@example.be")
    shell.reset.set_code("246810")
    shell.reset.set_new_password("peeters")
    unmet = {item.rule for item in shell.reset.checklist if not item.met}
    assert {PasswordRule.NOT_EMAIL, PasswordRule.UPPERCASE, PasswordRule.DIGIT} <= unmet
    assert not shell.reset.can_confirm


async def test_a_wrong_code_shows_on_the_code_field(shell: Shell, fake_relay: FakeRelay) -> None:
    fake_relay.add_account("an@example.be")
    await request_code(shell)
    shell.reset.set_code("111111")
    shell.reset.set_new_password(NEW_PASSWORD)
    await shell.reset.confirm()
    assert shell.reset.form.errors == {"code": UserText.of("problem.invalid_code")}
    assert fake_relay.accounts["an@example.be"].password == GOOD_PASSWORD


async def test_a_relay_weak_password_marks_the_new_password(shell: Shell, fake_relay: FakeRelay) -> None:
    fake_relay.fail_next("confirm_password_reset", RelayProblem(status=422, code="weak_password"))
    await request_code(shell)
    shell.reset.set_code("246810")
    shell.reset.set_new_password(NEW_PASSWORD)
    await shell.reset.confirm()
    assert shell.reset.form.errors == {"new_password": UserText.of("problem.weak_password")}


async def test_resend_has_a_cool_down(shell: Shell, fake_relay: FakeRelay, clock: ManualClock) -> None:
    await request_code(shell)
    await shell.reset.resend()
    assert fake_relay.count("request_password_reset") == 1
    await clock.advance(60)
    await shell.reset.resend()
    assert fake_relay.count("request_password_reset") == 2
    assert shell.take_flash() == UserText.of("code.resent", email="an@example.be")


async def test_an_unreachable_relay_stays_on_the_email_step(
    shell: Shell, fake_relay: FakeRelay, nav: RecordingNavigator
) -> None:
    fake_relay.fail_next("request_password_reset", RelayUnavailable("down"))
    await request_code(shell)
    assert shell.reset.form.banner == UserText.of("error.unavailable")
    assert Route.RESET_CODE not in nav.routes
    assert shell.reset.email == "an@example.be"
