"""Log-in: e-mail → "Doorgaan" → password → "Doorgaan", and every way it can go wrong."""

from __future__ import annotations

import pytest

from cna_app.services.errors import FieldProblem, RelayProblem, RelayUnavailable
from cna_app.viewmodels.navigation import Route
from cna_app.viewmodels.shell import Shell
from cna_app.viewmodels.texts import UserText
from tests.app.fakes import GOOD_PASSWORD, FakeRelay, RecordingNavigator


@pytest.mark.parametrize(
    "email",
    [
        "",
        "   ",
        "an",
        "an@",
        "@example.be",
        "an@example",
        "an@@example.be",
        "an @example.be",
        "an@example..be",
        "an@example.b",
        "a\x00n@example.be",
        "x" * 250 + "@example.be",
        "an@exam ple.be",
    ],
)
async def test_a_malformed_address_stays_on_the_email_step(
    shell: Shell, nav: RecordingNavigator, email: str
) -> None:
    shell.login.set_email(email)
    shell.login.submit_email()
    assert shell.login.form.errors["email"] == UserText.of("error.email_format")
    assert not shell.login.email_accepted
    assert Route.LOGIN_PASSWORD not in nav.routes


async def test_a_valid_address_moves_to_the_password_step(shell: Shell, nav: RecordingNavigator) -> None:
    shell.login.set_email("  an@example.be\n")  # pasted with surrounding white space
    shell.login.submit_email()
    assert shell.login.email == "an@example.be"
    assert shell.login.email_accepted
    assert nav.current == Route.LOGIN_PASSWORD


async def test_changing_the_address_requires_continue_again(shell: Shell) -> None:
    shell.login.set_email("an@example.be")
    shell.login.submit_email()
    shell.login.set_email("other@example.be")
    assert not shell.login.email_accepted
    assert not shell.login.can_submit_password


async def test_correct_credentials_sign_in_and_go_to_the_report(
    shell: Shell, fake_relay: FakeRelay, nav: RecordingNavigator
) -> None:
    fake_relay.add_account("an@example.be")
    shell.login.set_email("an@example.be")
    shell.login.submit_email()
    shell.login.set_password(GOOD_PASSWORD)
    await shell.login.submit_password()
    assert shell.session.signed_in
    assert nav.current == Route.REPORT
    assert shell.login.password == ""  # secrets do not linger in memory after use


async def test_wrong_credentials_show_next_to_the_password(
    shell: Shell, fake_relay: FakeRelay, nav: RecordingNavigator
) -> None:
    fake_relay.add_account("an@example.be")
    shell.login.set_email("an@example.be")
    shell.login.submit_email()
    shell.login.set_password("wrong")
    await shell.login.submit_password()
    assert shell.login.form.errors == {"password": UserText.of("problem.invalid_credentials")}
    assert shell.login.form.banner is None
    assert not shell.session.signed_in
    assert nav.current == Route.LOGIN_PASSWORD
    shell.login.set_password("wrong2")
    assert "password" not in shell.login.form.errors  # typing clears the error


async def test_an_unknown_address_reads_like_a_wrong_password(shell: Shell) -> None:
    shell.login.set_email("nobody@example.be")
    shell.login.submit_email()
    shell.login.set_password("whatever")
    await shell.login.submit_password()
    assert shell.login.form.errors == {"password": UserText.of("problem.invalid_credentials")}


async def test_an_address_refused_by_the_relay_goes_back_to_the_email_step(
    shell: Shell, fake_relay: FakeRelay, nav: RecordingNavigator
) -> None:
    problem = RelayProblem(
        status=422, code="validation_error", errors=(FieldProblem("email", "invalid", "Ongeldig adres."),)
    )
    fake_relay.fail_next("login", problem)
    shell.login.set_email("an@example.be")
    shell.login.submit_email()
    shell.login.set_password("x")
    await shell.login.submit_password()
    assert shell.login.form.errors == {"email": UserText.relay("Ongeldig adres.")}
    assert nav.current == Route.LOGIN
    assert not shell.login.email_accepted


async def test_rate_limiting_is_a_banner_with_the_wait(shell: Shell, fake_relay: FakeRelay) -> None:
    fake_relay.fail_next("login", RelayProblem(status=429, code="rate_limited", retry_after_s=30))
    shell.login.set_email("an@example.be")
    shell.login.submit_email()
    shell.login.set_password("x")
    await shell.login.submit_password()
    assert shell.login.form.banner == UserText.of("problem.rate_limited", seconds=30)
    assert shell.login.form.errors == {}


async def test_an_unreachable_relay_keeps_what_was_typed(shell: Shell, fake_relay: FakeRelay) -> None:
    fake_relay.fail_next("login", RelayUnavailable("down"))
    shell.login.set_email("an@example.be")
    shell.login.submit_email()
    shell.login.set_password("my password")
    await shell.login.submit_password()
    assert shell.login.form.banner == UserText.of("error.unavailable")
    assert shell.login.password == "my password"
    assert not shell.login.form.busy


async def test_an_unknown_problem_shows_the_relays_own_words(shell: Shell, fake_relay: FakeRelay) -> None:
    fake_relay.fail_next(
        "login", RelayProblem(status=500, code="internal_error", detail="Er ging iets mis bij ons.")
    )
    shell.login.set_email("an@example.be")
    shell.login.submit_email()
    shell.login.set_password("x")
    await shell.login.submit_password()
    assert shell.login.form.banner == UserText.relay("Er ging iets mis bij ons.")


async def test_the_password_step_cannot_be_submitted_without_an_accepted_email(
    shell: Shell, fake_relay: FakeRelay
) -> None:
    shell.login.set_password("x")
    await shell.login.submit_password()
    assert fake_relay.count("login") == 0


async def test_an_unverified_account_goes_to_the_code_step(
    shell: Shell, fake_relay: FakeRelay, nav: RecordingNavigator
) -> None:
    fake_relay.add_account("new@example.be", verified=False)
    shell.login.set_email("new@example.be")
    shell.login.submit_email()
    shell.login.set_password(GOOD_PASSWORD)
    await shell.login.submit_password()
    assert nav.current == Route.SIGNUP_CODE
    assert shell.signup.pending_email == "new@example.be"
    assert shell.signup.code_notice == UserText.of("signup.code_intro_unverified", email="new@example.be")


async def test_create_account_carries_the_typed_address(shell: Shell, nav: RecordingNavigator) -> None:
    shell.login.set_email("an@example.be ")
    shell.switch_to_sign_up()
    assert shell.signup.email == "an@example.be"
    assert nav.current == Route.SIGNUP


async def test_forgot_password_carries_the_typed_address(shell: Shell, nav: RecordingNavigator) -> None:
    shell.login.set_email("an@example.be")
    shell.switch_to_reset()
    assert shell.reset.email == "an@example.be"
    assert nav.current == Route.RESET
