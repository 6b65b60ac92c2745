"""Profile: view, edit (a draft that survives an expired session), log out, delete with confirmation."""

from __future__ import annotations

import pytest

from cna_app.services.errors import FieldProblem, RelayProblem, RelayUnavailable
from cna_app.services.tokens import TokenStore
from cna_app.viewmodels.navigation import Route
from cna_app.viewmodels.shell import Shell
from cna_app.viewmodels.texts import UserText
from tests.app.fakes import GOOD_PASSWORD, FakeRelay, RecordingNavigator


async def sign_in(shell: Shell, fake_relay: FakeRelay, email: str = "an@example.be") -> None:
    if email.lower() not in fake_relay.accounts:
        fake_relay.add_account(email, phone="0470 12 34 56")
    await shell.signed_in(await fake_relay.login({"email": email, "password": GOOD_PASSWORD}))


async def test_editing_starts_from_the_account(shell: Shell, fake_relay: FakeRelay) -> None:
    await sign_in(shell, fake_relay)
    shell.profile.start_edit()
    assert shell.profile.draft is not None
    assert shell.profile.draft["first_name"] == "An"
    assert shell.profile.draft["street"] == ""  # None becomes an empty field
    assert shell.profile.draft_language == "nl"


async def test_saving_sends_only_what_changed(
    shell: Shell, fake_relay: FakeRelay, nav: RecordingNavigator
) -> None:
    await sign_in(shell, fake_relay)
    sent: list[dict[str, object]] = []
    original = fake_relay.update_me

    async def spy(token, body):  # type: ignore[no-untyped-def]
        sent.append(dict(body))
        return await original(token, body)

    fake_relay.update_me = spy  # type: ignore[method-assign]
    shell.profile.start_edit()
    shell.profile.set_field("street", " Kerkstraat 1 ")
    shell.profile.set_field("phone", "")
    await shell.profile.save()
    assert sent == [{"street": "Kerkstraat 1", "phone": None}]
    assert shell.session.account is not None and shell.session.account["street"] == "Kerkstraat 1"
    assert shell.profile.draft is None
    assert nav.current == Route.PROFILE
    assert shell.take_flash() == UserText.of("profile.saved")


async def test_saving_nothing_changed_makes_no_call(shell: Shell, fake_relay: FakeRelay) -> None:
    await sign_in(shell, fake_relay)
    shell.profile.start_edit()
    await shell.profile.save()
    assert fake_relay.count("update_me") == 0


async def test_names_stay_required_when_editing(shell: Shell, fake_relay: FakeRelay) -> None:
    await sign_in(shell, fake_relay)
    shell.profile.start_edit()
    shell.profile.set_field("last_name", "  ")
    await shell.profile.save()
    assert shell.profile.form.errors == {"last_name": UserText.of("field.required")}
    assert fake_relay.count("update_me") == 0


async def test_changing_the_email_language_switches_the_app(shell: Shell, fake_relay: FakeRelay) -> None:
    await sign_in(shell, fake_relay)
    shell.profile.start_edit()
    shell.profile.set_language("en")
    await shell.profile.save()
    assert fake_relay.accounts["an@example.be"].language == "en"
    assert shell.language == "en"


async def test_relay_field_errors_show_on_the_edit_form(shell: Shell, fake_relay: FakeRelay) -> None:
    await sign_in(shell, fake_relay)
    fake_relay.fail_next(
        "update_me",
        RelayProblem(
            status=422, code="validation_error", errors=(FieldProblem("postcode", "x", "4 cijfers."),)
        ),
    )
    shell.profile.start_edit()
    shell.profile.set_field("postcode", "ABCDE")
    await shell.profile.save()
    assert shell.profile.form.errors == {"postcode": UserText.relay("4 cijfers.")}
    assert shell.profile.draft is not None and shell.profile.draft["postcode"] == "ABCDE"


async def test_an_expired_session_while_saving_comes_back_with_the_draft(
    shell: Shell, fake_relay: FakeRelay, nav: RecordingNavigator
) -> None:
    await sign_in(shell, fake_relay)
    shell.profile.start_edit()
    shell.profile.set_field("street", "Nieuwe straat 9")
    fake_relay.expire_access_tokens()
    fake_relay.revoke_all_sessions()
    await shell.profile.save()
    # Off to log in again, address prefilled, with a word of explanation.
    assert nav.current == Route.LOGIN_PASSWORD
    assert shell.login.email == "an@example.be" and shell.login.email_accepted
    assert shell.login.notice == UserText.of("login.session_expired")
    assert shell.return_to == Route.PROFILE_EDIT
    shell.login.set_password(GOOD_PASSWORD)
    await shell.login.submit_password()
    # Back where the user was, with the unsaved edit intact.
    assert nav.current == Route.PROFILE_EDIT
    assert shell.profile.draft is not None and shell.profile.draft["street"] == "Nieuwe straat 9"
    assert shell.login.notice is None
    await shell.profile.save()
    assert fake_relay.accounts["an@example.be"].street == "Nieuwe straat 9"


async def test_another_account_logging_in_does_not_inherit_the_draft(
    shell: Shell, fake_relay: FakeRelay, nav: RecordingNavigator
) -> None:
    await sign_in(shell, fake_relay)
    shell.profile.start_edit()
    shell.profile.set_field("street", "Privé 1")
    fake_relay.revoke_all_sessions()
    fake_relay.expire_access_tokens()
    await shell.profile.save()
    await sign_in(shell, fake_relay, "other@example.be")
    assert shell.profile.draft is None
    assert nav.current == Route.REPORT  # not the previous user's return route


async def test_logout_forgets_the_session_here_and_on_the_relay(
    shell: Shell, fake_relay: FakeRelay, nav: RecordingNavigator, tokens: TokenStore
) -> None:
    await sign_in(shell, fake_relay)
    await shell.profile.logout()
    assert not shell.session.signed_in and await tokens.load() is None
    assert fake_relay.sessions == []
    assert nav.current == Route.START
    assert shell.take_flash() == UserText.of("profile.logged_out")


async def test_logout_while_offline_still_logs_out_here(shell: Shell, fake_relay: FakeRelay) -> None:
    await sign_in(shell, fake_relay)
    fake_relay.fail_next("logout", RelayUnavailable("down"))
    await shell.profile.logout()
    assert not shell.session.signed_in
    assert not shell.profile.form.busy


async def test_logout_everywhere_ends_every_session(shell: Shell, fake_relay: FakeRelay) -> None:
    await sign_in(shell, fake_relay)
    await fake_relay.login({"email": "an@example.be", "password": GOOD_PASSWORD})  # another device
    await shell.profile.logout_everywhere()
    assert fake_relay.sessions == []
    assert not shell.session.signed_in


async def test_logout_everywhere_needs_the_relay(shell: Shell, fake_relay: FakeRelay) -> None:
    await sign_in(shell, fake_relay)
    fake_relay.fail_next("logout_all", RelayUnavailable("down"))
    await shell.profile.logout_everywhere()
    assert shell.session.signed_in  # not pretending the other devices are logged out
    assert shell.profile.form.banner == UserText.of("error.unavailable")


async def test_delete_asks_for_confirmation_first(shell: Shell, fake_relay: FakeRelay) -> None:
    await sign_in(shell, fake_relay)
    await shell.profile.confirm_delete()  # without the dialog: nothing happens
    assert fake_relay.count("delete_account") == 0
    shell.profile.ask_delete()
    assert shell.profile.delete_open
    shell.profile.cancel_delete()
    assert not shell.profile.delete_open
    assert "an@example.be" in fake_relay.accounts


async def test_delete_needs_the_password(shell: Shell, fake_relay: FakeRelay) -> None:
    await sign_in(shell, fake_relay)
    shell.profile.ask_delete()
    await shell.profile.confirm_delete()
    assert shell.profile.delete_form.errors == {"password": UserText.of("field.required")}
    shell.profile.set_delete_password("wrong")
    await shell.profile.confirm_delete()
    assert shell.profile.delete_form.errors == {"password": UserText.of("problem.invalid_credentials")}
    assert shell.session.signed_in and shell.profile.delete_open


async def test_confirmed_delete_removes_the_account_and_signs_out(
    shell: Shell, fake_relay: FakeRelay, nav: RecordingNavigator
) -> None:
    await sign_in(shell, fake_relay)
    shell.profile.ask_delete()
    shell.profile.set_delete_password(GOOD_PASSWORD)
    await shell.profile.confirm_delete()
    assert "an@example.be" not in fake_relay.accounts
    assert not shell.session.signed_in and not shell.profile.delete_open
    assert nav.current == Route.START
    assert shell.take_flash() == UserText.of("profile.deleted")


async def test_the_profile_loads_when_the_session_was_restored_offline(
    shell: Shell, fake_relay: FakeRelay
) -> None:
    await sign_in(shell, fake_relay)
    shell.session.account = None
    await shell.profile.load()
    assert shell.session.account is not None and shell.session.account["email"] == "an@example.be"


@pytest.mark.parametrize("name", ["email", "role", "id"])
async def test_only_profile_fields_can_be_edited(shell: Shell, fake_relay: FakeRelay, name: str) -> None:
    await sign_in(shell, fake_relay)
    shell.profile.start_edit()
    with pytest.raises(KeyError):
        shell.profile.set_field(name, "x")
