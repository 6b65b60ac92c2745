"""Sign-up: step gating, the live checklist, the profile rules, the code and its resend cool-down."""

from __future__ import annotations

import asyncio

import pytest

from cna_app.contract.password import PasswordRule
from cna_app.contract.wire import SignUpIn
from cna_app.services.errors import FieldProblem, RelayProblem, RelayUnavailable
from cna_app.services.wire_check import check_wire
from cna_app.viewmodels.navigation import Route
from cna_app.viewmodels.shell import Shell
from cna_app.viewmodels.texts import UserText
from tests.app.fakes import GOOD_PASSWORD, FakeRelay, ManualClock, RecordingNavigator, settle

EMAIL = "jan.peeters@example.be"


def unmet(shell: Shell) -> list[PasswordRule]:
    return [item.rule for item in shell.signup.checklist if not item.met]


async def to_profile_step(shell: Shell) -> None:
    shell.signup.set_email(EMAIL)
    shell.signup.submit_email()
    shell.signup.set_password(GOOD_PASSWORD)
    shell.signup.submit_password()


async def to_code_step(shell: Shell) -> None:
    await to_profile_step(shell)
    shell.signup.set_field("first_name", "Jan")
    shell.signup.set_field("last_name", "Peeters")
    await shell.signup.submit_profile()


async def test_steps_open_in_order(shell: Shell) -> None:
    flow = shell.signup
    assert flow.allows(Route.SIGNUP)
    assert not flow.allows(Route.SIGNUP_PASSWORD)
    flow.set_email(EMAIL)
    flow.submit_email()
    assert flow.allows(Route.SIGNUP_PASSWORD) and not flow.allows(Route.SIGNUP_PROFILE)
    flow.set_password(GOOD_PASSWORD)
    assert flow.allows(Route.SIGNUP_PROFILE) and not flow.allows(Route.SIGNUP_CODE)
    flow.set_password("weak")
    assert not flow.allows(Route.SIGNUP_PROFILE)  # weakening the password closes the next step again


async def test_the_checklist_names_every_missing_element_live(shell: Shell) -> None:
    shell.signup.set_email(EMAIL)
    shell.signup.submit_email()
    assert unmet(shell) == list(shell.password_policy.rules())  # nothing counts before typing
    shell.signup.set_password("a")
    assert PasswordRule.LOWERCASE not in unmet(shell)
    assert set(unmet(shell)) >= {PasswordRule.MIN_LENGTH, PasswordRule.UPPERCASE, PasswordRule.DIGIT}
    shell.signup.set_password("Peeters-2026-xyz")  # contains part of the e-mail address
    assert unmet(shell) == [PasswordRule.NOT_EMAIL]
    shell.signup.set_password("Password123!")
    assert PasswordRule.NOT_COMMON in unmet(shell) or unmet(shell) == []
    shell.signup.set_password(GOOD_PASSWORD)
    assert unmet(shell) == []


async def test_the_checklist_follows_the_relays_policy(make_shell, fake_relay: FakeRelay) -> None:
    fake_relay.config_view["password_policy"] |= {
        "min_length": 4,
        "require_symbol": False,
        "require_uppercase": False,
    }
    shell = make_shell()
    await shell.start()
    rules = [item.rule for item in shell.signup.checklist]
    assert PasswordRule.SYMBOL not in rules and PasswordRule.UPPERCASE not in rules
    assert shell.signup.checklist[0].text == UserText.of("password.rule.min_length", count=4)


async def test_continue_with_a_weak_password_says_so_and_stays(shell: Shell, nav: RecordingNavigator) -> None:
    shell.signup.set_email(EMAIL)
    shell.signup.submit_email()
    shell.signup.set_password("short")
    shell.signup.submit_password()
    assert shell.signup.form.errors["password"] == UserText.of("problem.weak_password")
    assert nav.current == Route.SIGNUP_PASSWORD


@pytest.mark.parametrize("first,last", [("", "Peeters"), ("Jan", "   "), ("\t", "\n")])
async def test_first_and_last_name_are_required(
    shell: Shell, fake_relay: FakeRelay, first: str, last: str
) -> None:
    await to_profile_step(shell)
    shell.signup.set_field("first_name", first)
    shell.signup.set_field("last_name", last)
    await shell.signup.submit_profile()
    assert set(shell.signup.form.errors) == {
        n for n, v in (("first_name", first), ("last_name", last)) if not v.strip()
    }
    assert fake_relay.count("sign_up") == 0


async def test_only_the_names_are_required_and_blanks_are_sent_as_none(
    shell: Shell, fake_relay: FakeRelay, nav: RecordingNavigator
) -> None:
    sent: list[SignUpIn] = []
    original = fake_relay.sign_up

    async def spy(body: SignUpIn):  # type: ignore[no-untyped-def]
        sent.append(body)
        return await original(body)

    fake_relay.sign_up = spy  # type: ignore[method-assign]
    await to_profile_step(shell)
    shell.signup.set_field("first_name", "  Jan ")
    shell.signup.set_field("last_name", "Peeters")
    shell.signup.set_field("phone", "   ")
    shell.signup.set_field("street", "Kerkstraat 1")
    await shell.signup.submit_profile()
    body = check_wire(sent[0], SignUpIn)  # the payload has the contract's shape
    assert body["first_name"] == "Jan"
    assert body["phone"] is None and body["street"] == "Kerkstraat 1"
    assert body["language"] == "nl"  # the app's language unless chosen
    assert nav.current == Route.SIGNUP_CODE


async def test_an_unknown_profile_field_is_refused(shell: Shell) -> None:
    with pytest.raises(KeyError):
        shell.signup.set_field("role", "staff")


async def test_the_chosen_email_language_is_sent(shell: Shell, fake_relay: FakeRelay) -> None:
    await to_profile_step(shell)
    shell.signup.set_field("first_name", "Jan")
    shell.signup.set_field("last_name", "Peeters")
    shell.signup.set_language("fr")
    await shell.signup.submit_profile()
    assert fake_relay.accounts[EMAIL].language == "fr"
    shell.signup.set_language("de")  # hostile value from the view: ignored
    assert shell.signup.language is None


async def test_a_relay_weak_password_goes_back_and_marks_the_rule(
    shell: Shell, fake_relay: FakeRelay, nav: RecordingNavigator
) -> None:
    """A relay stricter than the app (newer common-password list) still names the element."""
    problem = RelayProblem(
        status=422,
        code="weak_password",
        errors=(FieldProblem("password", "not_common", "Te bekend wachtwoord."),),
    )
    fake_relay.fail_next("sign_up", problem)
    await to_profile_step(shell)
    shell.signup.set_field("first_name", "Jan")
    shell.signup.set_field("last_name", "Peeters")
    await shell.signup.submit_profile()
    assert nav.current == Route.SIGNUP_PASSWORD
    assert shell.signup.form.errors["password"] == UserText.relay("Te bekend wachtwoord.")
    assert unmet(shell) == [PasswordRule.NOT_COMMON]
    assert not shell.signup.allows(Route.SIGNUP_PROFILE)


async def test_field_errors_from_the_relay_land_on_their_fields(
    shell: Shell, fake_relay: FakeRelay, nav: RecordingNavigator
) -> None:
    problem = RelayProblem(
        status=422,
        code="validation_error",
        errors=(FieldProblem("phone", "invalid", "Geen geldig nummer."), FieldProblem("unknown.x", "x", "?")),
    )
    fake_relay.fail_next("sign_up", problem)
    await to_code_step(shell)
    assert shell.signup.form.errors == {"phone": UserText.relay("Geen geldig nummer.")}
    assert shell.signup.form.banner is None
    assert nav.current == Route.SIGNUP_PROFILE


async def test_an_email_error_sends_the_user_back_to_the_first_step(
    shell: Shell, fake_relay: FakeRelay, nav: RecordingNavigator
) -> None:
    fake_relay.fail_next("sign_up", RelayProblem(status=422, code="invalid_email", detail="Nee."))
    await to_code_step(shell)
    assert shell.signup.form.errors == {"email": UserText.of("problem.invalid_email")}
    assert nav.current == Route.SIGNUP
    assert not shell.signup.allows(Route.SIGNUP_PASSWORD)


async def test_an_unreachable_relay_keeps_the_whole_form(shell: Shell, fake_relay: FakeRelay) -> None:
    fake_relay.fail_next("sign_up", RelayUnavailable("down"))
    await to_code_step(shell)
    assert shell.signup.form.banner == UserText.of("error.unavailable")
    assert shell.signup.profile["first_name"] == "Jan" and shell.signup.password == GOOD_PASSWORD


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("123456", "123456"),
        ("123 456", "123456"),
        ("Code: 12-34-56.", "123456"),
        ("1234567890", "123456"),
        ("abc", ""),
        ("１２３４５６", ""),
        ("١٢٣٤٥٦", ""),
        ("12\x0034", "1234"),
    ],
)
async def test_code_input_keeps_six_ascii_digits(shell: Shell, typed: str, kept: str) -> None:
    await to_code_step(shell)
    shell.signup.set_code(typed)
    assert shell.signup.code == kept
    assert shell.signup.can_submit_code == (len(kept) == 6)


async def test_the_right_code_signs_in_and_forgets_the_password(
    shell: Shell, fake_relay: FakeRelay, nav: RecordingNavigator
) -> None:
    await to_code_step(shell)
    shell.signup.set_code("123456")
    await shell.signup.submit_code()
    assert shell.session.signed_in and shell.session.account is not None
    assert shell.session.account["email_verified"]
    assert nav.current == Route.REPORT
    assert shell.signup.password == "" and shell.signup.email == ""


async def test_a_wrong_code_shows_on_the_code_field(shell: Shell, nav: RecordingNavigator) -> None:
    await to_code_step(shell)
    shell.signup.set_code("000000")
    await shell.signup.submit_code()
    assert shell.signup.form.errors == {"code": UserText.of("problem.invalid_code")}
    assert nav.current == Route.SIGNUP_CODE
    shell.signup.set_code("00000")
    assert "code" not in shell.signup.form.errors


async def test_an_expired_code_says_to_ask_a_new_one(shell: Shell, fake_relay: FakeRelay) -> None:
    fake_relay.fail_next("verify", RelayProblem(status=400, code="code_expired"))
    await to_code_step(shell)
    shell.signup.set_code("123456")
    await shell.signup.submit_code()
    assert shell.signup.form.errors == {"code": UserText.of("problem.code_expired")}


async def test_resend_waits_for_the_cool_down(
    shell: Shell, fake_relay: FakeRelay, clock: ManualClock
) -> None:
    await to_code_step(shell)
    cooldown = shell.signup.cooldown
    assert cooldown.remaining == 60 and not cooldown.ready
    await shell.signup.resend()
    assert fake_relay.count("resend_verification") == 0
    await clock.advance(59)
    assert cooldown.remaining == 1
    await clock.advance(1)
    assert cooldown.ready
    await shell.signup.resend()
    assert fake_relay.count("resend_verification") == 1
    assert shell.take_flash() == UserText.of("code.resent", email=EMAIL)
    assert cooldown.remaining == 60  # the relay's resend_after starts a new cool-down


async def test_the_countdown_announces_each_second(shell: Shell, clock: ManualClock) -> None:
    await to_code_step(shell)
    await settle()  # the countdown task starts
    seen: list[int] = []
    shell.changes.subscribe(lambda rebuild: seen.append(shell.signup.cooldown.remaining))
    await clock.advance(3)
    assert seen[-3:] == [59, 58, 57]


async def test_a_rate_limited_resend_waits_as_long_as_the_relay_says(
    shell: Shell, fake_relay: FakeRelay, clock: ManualClock
) -> None:
    await to_code_step(shell)
    await clock.advance(60)
    fake_relay.fail_next(
        "resend_verification", RelayProblem(status=429, code="rate_limited", retry_after_s=120)
    )
    await shell.signup.resend()
    assert shell.signup.form.banner == UserText.of("problem.rate_limited", seconds=120)
    assert shell.signup.cooldown.remaining == 120


async def test_the_resent_code_replaces_the_old_one(shell: Shell, clock: ManualClock) -> None:
    await to_code_step(shell)
    await clock.advance(60)
    await shell.signup.resend()
    shell.signup.set_code("654321")
    await shell.signup.submit_code()
    assert shell.session.signed_in


async def test_pressing_twice_sends_once(shell: Shell, fake_relay: FakeRelay) -> None:
    await to_profile_step(shell)
    shell.signup.set_field("first_name", "Jan")
    shell.signup.set_field("last_name", "Peeters")
    gate = fake_relay.hold("sign_up")
    first = asyncio.create_task(shell.signup.submit_profile())
    await settle()
    await shell.signup.submit_profile()  # second press while the first is busy
    gate.set()
    await first
    assert fake_relay.count("sign_up") == 1


async def test_entering_verification_again_keeps_the_typed_code(shell: Shell) -> None:
    shell.signup.enter_verification("an@example.be")
    shell.signup.set_code("123")
    shell.signup.enter_verification("an@example.be")  # a re-render, a language switch
    assert shell.signup.code == "123"
    shell.signup.enter_verification("other@example.be")
    assert shell.signup.code == "" and shell.signup.pending_email == "other@example.be"
