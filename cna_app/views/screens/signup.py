"""Sign-up, four steps (`/registreren`, `/wachtwoord`, `/gegevens`, `/code` under it)."""

from __future__ import annotations

import flet as ft

from cna_app.viewmodels.navigation import Route
from cna_app.viewmodels.signup import STEPS
from cna_app.views.parts import (
    CodeEntry,
    PasswordChecklist,
    language_choice,
    profile_fields,
    set_language_choice,
)
from cna_app.views.screens.base import Screen, set_value, show_form
from cna_app.views.widgets import Banner, body, busy_ring, button_row, heading, primary_button, text_field


class _SignUpStep(Screen):
    title_key = "signup.title"
    step: Route = Route.SIGNUP

    def header(self) -> list[ft.Control]:
        self.banner = Banner(
            f"signup-banner-{STEPS.index(self.step) + 1}", icon=ft.Icons.ERROR_OUTLINE, error=True
        )
        step = self.t("signup.step", step=STEPS.index(self.step) + 1, total=len(STEPS))
        return [heading(self.t("signup.title")), body(step, muted=True)]


class SignUpEmailScreen(_SignUpStep):
    step = Route.SIGNUP

    def build(self) -> list[ft.Control]:
        t, flow = self.t, self.shell.signup
        self.email = text_field(
            "signup-email",
            t("field.email"),
            keyboard=ft.KeyboardType.EMAIL,
            autofill=ft.AutofillHint.EMAIL,
            autofocus=True,
            on_change=lambda e: flow.set_email(e.control.value),
            on_submit=lambda: flow.submit_email(),
        )
        continue_ = primary_button(
            "signup-email-continue", t("common.continue"), on_click=lambda: flow.submit_email()
        )
        return [*self.header(), body(t("signup.email_intro")), self.email, self.banner.control, continue_]

    def refresh(self) -> None:
        flow = self.shell.signup
        set_value(self.email, flow.email)
        show_form(flow.form, self.t, {"email": self.email}, self.banner)


class SignUpPasswordScreen(_SignUpStep):
    step = Route.SIGNUP_PASSWORD

    def build(self) -> list[ft.Control]:
        t, flow = self.t, self.shell.signup
        self.password = text_field(
            "signup-password",
            t("field.password"),
            password=True,
            autofill=ft.AutofillHint.NEW_PASSWORD,
            autofocus=True,
            on_change=lambda e: flow.set_password(e.control.value),
            on_submit=lambda: flow.submit_password(),
        )
        self.checklist = PasswordChecklist(t, flow.checklist, key="signup-rules")
        continue_ = primary_button(
            "signup-password-continue", t("common.continue"), on_click=lambda: flow.submit_password()
        )
        return [
            *self.header(),
            body(t("signup.password_intro")),
            self.password,
            # Announced as the user types, so a screen reader hears which rule is still missing.
            ft.Semantics(live_region=True, content=self.checklist.control),
            self.banner.control,
            continue_,
        ]

    def refresh(self) -> None:
        flow = self.shell.signup
        set_value(self.password, flow.password)
        self.checklist.update(flow.checklist)
        show_form(flow.form, self.t, {"password": self.password}, self.banner)


class SignUpProfileScreen(_SignUpStep):
    step = Route.SIGNUP_PROFILE

    def build(self) -> list[ft.Control]:
        t, flow = self.t, self.shell.signup
        self.fields = profile_fields(t, key="signup", on_change=flow.set_field)
        self.language = language_choice(t, key="signup-language", on_change=flow.set_language)
        self.submit = primary_button("signup-create", t("signup.create"), on_click=self._submit)
        self.busy = busy_ring(t("common.busy"))
        return [
            *self.header(),
            body(t("signup.profile_intro")),
            *self.fields.values(),
            self.language,
            self.banner.control,
            button_row(self.submit, self.busy),
        ]

    async def _submit(self) -> None:
        await self.shell.signup.submit_profile()

    def refresh(self) -> None:
        flow = self.shell.signup
        for name, field in self.fields.items():
            set_value(field, flow.profile[name])
        set_language_choice(self.language, flow.language or self.shell.language)
        self.submit.disabled = flow.form.busy
        self.busy.visible = flow.form.busy
        show_form(flow.form, self.t, dict(self.fields), self.banner)


class SignUpCodeScreen(_SignUpStep):
    step = Route.SIGNUP_CODE

    def build(self) -> list[ft.Control]:
        t, flow = self.t, self.shell.signup
        self.intro = body("", key="signup-code-intro")
        self.entry = CodeEntry(
            t,
            key="signup",
            on_change=lambda e: flow.set_code(e.control.value),
            on_submit=self._submit,
            on_resend=self._resend,
        )
        self.submit = primary_button("signup-confirm", t("signup.confirm"), on_click=self._submit)
        self.busy = busy_ring(t("common.busy"))
        return [
            *self.header(),
            self.intro,
            self.entry.field,
            self.banner.control,
            button_row(self.submit, self.busy),
            self.entry.resend,
        ]

    async def _submit(self) -> None:
        await self.shell.signup.submit_code()

    async def _resend(self) -> None:
        await self.shell.signup.resend()

    def refresh(self) -> None:
        flow = self.shell.signup
        self.intro.value = flow.code_notice.render(self.t) if flow.code_notice else ""
        self.entry.update(flow.code, flow.cooldown, busy=flow.form.busy)
        self.submit.disabled = not flow.can_submit_code
        self.busy.visible = flow.form.busy
        show_form(flow.form, self.t, {"code": self.entry.field}, self.banner)
