"""Control-tree tests: the real views and `create_main` on a headless Flet page (see harness.py),
with the real Flet adapters (secure storage, preferences, device locales) on a fake client."""

from __future__ import annotations

import json

import flet as ft
import pytest

from cna_app.services.errors import RelayUnavailable
from cna_app.viewmodels.navigation import Route
from cna_app.viewmodels.shell import Phase
from tests.app.fakes import GOOD_PASSWORD, FakeRelay, make_config
from tests.app.harness import AppHarness

EMAIL = "jan.peeters@example.be"


@pytest.fixture
def fake_relay() -> FakeRelay:
    # A municipality with a logo, so the app bar's image is part of every screen checked here.
    return FakeRelay(config=make_config(logo_url="http://127.0.0.1:9/logo.png"))


async def log_in(app: AppHarness, email: str = "an@example.be", password: str = GOOD_PASSWORD) -> None:
    await app.click("start-report")
    await app.type("login-email", email)
    await app.click("login-email-continue")
    await app.type("login-password", password)
    await app.click("login-password-continue")


def rule_labels(app: AppHarness, prefix: str) -> dict[str, str]:
    return {
        c.key.removeprefix(prefix + "-"): c.label
        for c in app.controls()
        if isinstance(c, ft.Semantics) and isinstance(c.key, str) and c.key.startswith(prefix + "-")
    }


async def test_the_start_screen_shows_the_municipality_and_the_report_button(app: AppHarness) -> None:
    assert app.top.route == "/"
    assert "Een probleem in Gemeente Zonnebeke?" in app.texts()
    assert app.find("start-report").content == "Maak een melding"
    assert "Gemeente Zonnebeke" in app.texts()  # the app bar
    assert not app.has("appbar-profile")


async def test_make_a_report_leads_to_log_in_with_create_account(app: AppHarness) -> None:
    await app.click("start-report")
    assert app.page.route == Route.LOGIN
    assert [v.route for v in app.page.views] == ["/", "/aanmelden"]
    assert app.find("login-create").content == "Aanmaken"
    assert app.find("login-email").label == "E-mailadres"


async def test_log_in_flow_ends_on_the_report_form(app: AppHarness, fake_relay: FakeRelay) -> None:
    fake_relay.add_account("an@example.be")
    await app.click("start-report")
    await app.type("login-email", "an@example.be")
    await app.click("login-email-continue")
    assert app.page.route == Route.LOGIN_PASSWORD
    assert "Aanmelden als an@example.be" in app.texts()
    assert app.find("login-password-continue").disabled  # nothing typed yet
    await app.type("login-password", GOOD_PASSWORD)
    await app.click("login-password-continue")
    assert app.page.route == Route.REPORT
    assert "Melding maken" in app.texts()
    assert app.find("report-description").label == "Beschrijving"
    assert app.find("report-send").disabled  # nothing described, no location yet
    assert app.has("appbar-profile")
    # The session went to the client's secure storage, not to memory.
    saved = json.loads(app.client.secure_storage["cna.session"])
    assert saved["refresh_token"].startswith("refresh-")
    assert not app.has("memory-session-notice")


async def test_wrong_credentials_show_under_the_password(app: AppHarness, fake_relay: FakeRelay) -> None:
    fake_relay.add_account("an@example.be")
    await log_in(app, password="nope")
    assert app.find("login-password").error == "Het e-mailadres of het wachtwoord klopt niet."
    assert app.page.route == Route.LOGIN_PASSWORD


async def test_a_malformed_email_shows_under_the_field(app: AppHarness) -> None:
    await app.click("start-report")
    await app.type("login-email", "an@")
    await app.submit("login-email")
    assert app.find("login-email").error.startswith("Vul een geldig e-mailadres in")
    assert app.page.route == Route.LOGIN


async def test_sign_up_with_live_checklist_profile_and_code(app: AppHarness, fake_relay: FakeRelay) -> None:
    await app.click("start-report")
    await app.click("login-create")
    assert app.page.route == Route.SIGNUP
    assert "Stap 1 van 4" in app.texts()
    await app.type("signup-email", EMAIL)
    await app.click("signup-email-continue")
    assert app.page.route == Route.SIGNUP_PASSWORD

    await app.type("signup-password", "abc")
    labels = rule_labels(app, "signup-rules")
    assert labels["lowercase"] == "In orde: een kleine letter bevatten"
    assert labels["digit"] == "Ontbreekt nog: een cijfer bevatten"
    assert labels["min_length"] == "Ontbreekt nog: minstens 10 tekens lang zijn"
    assert "✗ een cijfer bevatten" in app.texts()
    await app.type("signup-password", "Peeters-Abc-2026")
    assert rule_labels(app, "signup-rules")["not_email"] == "Ontbreekt nog: je e-mailadres niet bevatten"
    await app.type("signup-password", GOOD_PASSWORD)
    assert all(label.startswith("In orde") for label in rule_labels(app, "signup-rules").values())
    assert "✓ een cijfer bevatten" in app.texts()
    await app.click("signup-password-continue")

    assert app.page.route == Route.SIGNUP_PROFILE
    assert app.find("signup-phone").label == "Telefoonnummer (optioneel)"
    await app.click("signup-create")
    assert app.find("signup-first_name").error == "Vul dit in."
    await app.type("signup-first_name", "Jan")
    await app.type("signup-last_name", "Peeters")
    await app.choose("signup-language", "fr")
    await app.click("signup-create")

    assert app.page.route == Route.SIGNUP_CODE
    assert f"We stuurden een code van 6 cijfers naar {EMAIL}. Vul die code hier in." in app.texts()
    resend = app.find("signup-resend")
    assert resend.disabled and resend.content == "Een nieuwe code kan over 60 s"
    await app.clock.advance(60)
    assert not app.find("signup-resend").disabled
    assert app.find("signup-confirm").disabled
    await app.type("signup-code", "123 456")
    assert app.find("signup-code").value == "123456"
    await app.click("signup-confirm")
    assert app.page.route == Route.REPORT
    assert fake_relay.accounts[EMAIL].language == "fr"
    assert app.app_shell.language == "fr"  # the account's language becomes the app's


async def test_switching_language_translates_everything(app: AppHarness) -> None:
    await app.click("start-report")
    await app.type("login-email", "an@")
    await app.click("login-email-continue")
    assert app.find("language-menu").tooltip == "Taal: Nederlands"
    await app.click("language-fr")
    assert app.find("login-email-continue").content == "Continuer"
    assert app.find("login-email").label == "Adresse e-mail"
    assert app.find("login-email").error.startswith("Saisissez une adresse e-mail valide")  # errors too
    assert app.find("language-menu").tooltip == "Langue : Français"
    assert app.page.locale_configuration.current_locale == ft.Locale("fr", "BE")
    assert app.page.title == "Signalements Gemeente Zonnebeke"
    assert app.client.preferences["cna.language"] == "fr"
    await app.click("language-en")
    assert app.find("login-create").content == "Create one"


async def test_the_device_locale_picks_the_first_language() -> None:
    app = AppHarness(FakeRelay(), locales=(("de", "DE"), ("fr", "BE")))
    await app.start()
    await app.until_ready()
    try:
        assert app.find("start-report").content == "Faire un signalement"
        assert app.page.locale_configuration.current_locale == ft.Locale("fr", "BE")
    finally:
        await app.stop()


async def test_unknown_routes_show_a_friendly_page(app: AppHarness) -> None:
    await app.client.browse_to("/bestaat/niet")
    await app.settle()
    assert "Deze pagina bestaat niet" in app.texts()
    await app.click("go-home")
    assert app.page.route == "/"


async def test_a_deep_link_to_the_profile_asks_to_log_in_first(
    app: AppHarness, fake_relay: FakeRelay
) -> None:
    fake_relay.add_account("an@example.be")
    await app.client.browse_to("/profiel")
    await app.settle()
    assert app.top.route == Route.LOGIN  # shown in place, the address bar keeps /profiel
    await app.type("login-email", "an@example.be")
    await app.click("login-email-continue")
    await app.type("login-password", GOOD_PASSWORD)
    await app.click("login-password-continue")
    assert app.page.route == Route.PROFILE
    assert "an@example.be" in app.texts()


async def test_the_back_arrow_walks_back_through_the_steps(app: AppHarness) -> None:
    await app.click("start-report")
    await app.type("login-email", "an@example.be")
    await app.click("login-email-continue")
    await app.back()
    assert app.page.route == Route.LOGIN
    assert app.find("login-email").value == "an@example.be"  # nothing typed is lost
    await app.client.browse_to("/")  # the browser's back button
    await app.settle()
    assert [v.route for v in app.page.views] == ["/"]


async def test_an_unreachable_relay_shows_the_calm_retry_screen() -> None:
    relay = FakeRelay()
    relay.fail_next("get_config", RelayUnavailable("down"))
    app = AppHarness(relay)
    await app.start()
    try:
        assert app.app_shell.phase is Phase.UNREACHABLE
        assert "We kunnen de server niet bereiken" in app.texts()
        assert app.find("connection-status").value == "Volgende poging over 2 s"
        await app.click("connection-retry")
        await app.until_ready()
        assert app.find("start-report").content == "Maak een melding"
    finally:
        await app.stop()


async def test_profile_shows_the_account_and_deletes_only_after_confirmation(
    app: AppHarness, fake_relay: FakeRelay
) -> None:
    fake_relay.add_account("an@example.be", phone="0470 12 34 56")
    await log_in(app)
    await app.click("appbar-profile")
    assert app.page.route == Route.PROFILE
    assert "0470 12 34 56" in app.texts() and "Niet ingevuld" in app.texts()
    await app.click("profile-delete")
    dialog = app.page._dialogs.controls[-1]
    assert isinstance(dialog, ft.AlertDialog) and dialog.open
    assert "Account verwijderen?" in app.texts()
    await app.click("delete-cancel")
    assert not app.page._dialogs.controls or not app.page._dialogs.controls[-1].open
    await app.click("profile-delete")
    await app.type("delete-password", "wrong")
    await app.click("delete-confirm")
    assert app.find("delete-password").error == "Het e-mailadres of het wachtwoord klopt niet."
    await app.type("delete-password", GOOD_PASSWORD)
    await app.click("delete-confirm")
    assert "an@example.be" not in fake_relay.accounts
    assert app.page.route == "/"
    assert "Je account is verwijderd." in app.texts()  # the snackbar
    assert "cna.session" not in app.client.secure_storage


async def test_an_expired_session_returns_to_the_edit_form_with_the_draft(
    app: AppHarness, fake_relay: FakeRelay
) -> None:
    fake_relay.add_account("an@example.be")
    await log_in(app)
    await app.click("appbar-profile")
    await app.click("profile-edit")
    await app.type("profile-street", "Nieuwe straat 9")
    fake_relay.revoke_all_sessions()
    fake_relay.expire_access_tokens()
    await app.click("profile-save")
    assert app.page.route == Route.LOGIN_PASSWORD
    assert any(text.startswith("Je sessie is verlopen") for text in app.texts())
    await app.type("login-password", GOOD_PASSWORD)
    await app.click("login-password-continue")
    assert app.page.route == Route.PROFILE_EDIT
    assert app.find("profile-street").value == "Nieuwe straat 9"


async def test_without_secure_storage_the_session_is_kept_in_memory_and_said_so(
    fake_relay: FakeRelay,
) -> None:
    fake_relay.add_account("an@example.be")
    app = AppHarness(fake_relay, secure_storage=False)
    await app.start()
    await app.until_ready()
    try:
        await log_in(app)
        assert app.page.route == Route.REPORT  # still logged in
        notice = app.find("memory-session-notice")
        assert notice.visible
        assert any("niet bewaard op dit toestel" in text for text in app.texts())
    finally:
        await app.stop()


async def test_log_out_returns_to_the_start(app: AppHarness, fake_relay: FakeRelay) -> None:
    fake_relay.add_account("an@example.be")
    await log_in(app)
    await app.click("appbar-profile")
    await app.click("profile-logout")
    assert app.page.route == "/"
    assert "Je bent afgemeld." in app.texts()
    assert not app.has("appbar-profile")


# ---- accessibility of every screen ------------------------------------------------------------


ALL_ROUTES = [r.value for r in Route] + ["/nope"]


Screens = list[tuple[str, list[ft.BaseControl]]]


async def visit_everything(app: AppHarness, fake_relay: FakeRelay) -> Screens:
    """Every route signed out (with every step opened) and signed in, plus the delete dialog."""
    shell = app.app_shell
    shell.login.set_email("an@example.be")
    shell.login.submit_email()
    shell.signup.set_email(EMAIL)
    shell.signup.submit_email()
    shell.signup.set_password(GOOD_PASSWORD)
    shell.signup.enter_verification(EMAIL)
    shell.reset.requested_email = "an@example.be"
    seen: Screens = []

    async def visit(label: str) -> None:
        for route in ALL_ROUTES:
            await app.client.browse_to(route)
            await app.settle()
            seen.append((f"{label} {route} -> {app.top.route}", list(app.controls())))

    await visit("signed out")
    fake_relay.add_account("an@example.be")
    await app.client.browse_to("/")
    await app.settle()
    await log_in(app)
    await visit("signed in")
    await app.client.browse_to(Route.PROFILE)
    await app.settle()
    await app.click("profile-delete")
    seen.append(("delete dialog", list(app.controls())))
    return seen


async def test_every_screen_meets_the_accessibility_rules(app: AppHarness, fake_relay: FakeRelay) -> None:
    """One visit of every screen (signed out and in, every step open, the delete dialog), then
    each rule below over all of them."""
    screens = await visit_everything(app, fake_relay)
    shown = {where.rsplit("-> ", 1)[-1] for where, _ in screens}
    assert shown >= {r.value for r in Route}  # every screen was really rendered
    for rule in RULES:
        rule(screens)


def check_every_field_has_a_visible_label(screens: Screens) -> None:
    for where, controls in screens:
        for control in controls:
            if isinstance(control, ft.TextField):
                assert control.label, (where, control.key)


def check_every_button_has_a_name_and_a_48px_target(screens: Screens) -> None:
    buttons = 0
    for where, controls in screens:
        for control in controls:
            if isinstance(control, ft.Semantics) and control.button:
                assert control.label and control.exclude_semantics, where  # one named button node
            if isinstance(control, ft.IconButton):
                assert control.tooltip, (where, control.key)
                assert control.style is not None and control.style.padding == 12, (
                    where,
                    control.key,
                )  # 24 + 2×12
            elif isinstance(control, ft.FilledButton | ft.OutlinedButton | ft.TextButton):
                buttons += 1
                assert isinstance(control.content, str) and control.content.strip(), (where, control.key)
                padding = control.style.padding if control.style else None
                assert isinstance(padding, ft.Padding) and padding.top >= 15 and padding.bottom >= 15, (
                    where,
                    control.key,
                )
    assert buttons > 40


def check_images_are_described(screens: Screens) -> None:
    images = 0
    for where, controls in screens:
        for control in controls:
            if isinstance(control, ft.Image):
                images += 1
                assert control.semantics_label == "Logo van Gemeente Zonnebeke", where
    assert images > 10


def check_input_caps_leave_room_for_the_relays_limits(screens: Screens) -> None:
    for where, controls in screens:
        for control in controls:
            if isinstance(control, ft.TextField):
                if control.password:
                    assert control.max_length is not None and control.max_length > 256, where
                elif control.keyboard_type == ft.KeyboardType.EMAIL:
                    assert control.max_length == 254, where


def check_no_text_is_selectable(screens: Screens) -> None:
    """Selectable text vanishes from the web client's semantics tree (checked in Chromium)."""
    for where, controls in screens:
        for control in controls:
            if isinstance(control, ft.Text):
                assert not control.selectable, (where, control.value)


def check_no_text_has_a_fixed_height_that_would_clip_scaled_text(
    screens: Screens,
) -> None:
    for where, controls in screens:
        for control in controls:
            if isinstance(
                control, ft.Text | ft.TextField | ft.FilledButton | ft.OutlinedButton | ft.TextButton
            ):
                assert control.height is None, (where, getattr(control, "key", None))


def check_fields_come_in_reading_order(screens: Screens) -> None:
    """Focus follows the order of the controls; the sign-up profile must read first name first."""
    for where, controls in screens:
        keys = [c.key for c in controls if isinstance(c, ft.TextField)]
        if where.endswith("-> /registreren/gegevens"):
            assert keys[:2] == ["signup-first_name", "signup-last_name"]
        if where.endswith("-> /profiel/bewerken"):
            assert keys[:2] == ["profile-first_name", "profile-last_name"]
        autofocus = [c.key for c in controls if isinstance(c, ft.TextField) and c.autofocus]
        assert len(autofocus) <= 2, (where, autofocus)  # one per view at most (plus a dialog)


RULES = [
    check_every_field_has_a_visible_label,
    check_every_button_has_a_name_and_a_48px_target,
    check_images_are_described,
    check_no_text_is_selectable,
    check_input_caps_leave_room_for_the_relays_limits,
    check_no_text_has_a_fixed_height_that_would_clip_scaled_text,
    check_fields_come_in_reading_order,
]


async def test_switching_language_mid_form_keeps_what_was_typed(app: AppHarness) -> None:
    await app.click("start-report")
    await app.click("login-create")
    await app.type("signup-email", EMAIL)
    await app.click("signup-email-continue")
    await app.type("signup-password", "abc")
    await app.click("language-en")
    assert app.find("signup-password").value == "abc"
    assert rule_labels(app, "signup-rules")["digit"] == "Still missing: contain a digit"
