"""Log-in: the e-mail step and the password step (routes `/aanmelden`, `/aanmelden/wachtwoord`)."""

from __future__ import annotations

import flet as ft

from cna_app.viewmodels.navigation import Route
from cna_app.views.screens.base import Screen, set_value, show_form
from cna_app.views.widgets import (
    Banner,
    body,
    busy_ring,
    button_row,
    heading,
    link_button,
    primary_button,
    secondary_button,
    text_field,
)


class LoginEmailScreen(Screen):
    title_key = "login.title"

    def build(self) -> list[ft.Control]:
        t, flow = self.t, self.shell.login
        self.notice = Banner("login-notice")
        self.banner = Banner("login-banner", icon=ft.Icons.ERROR_OUTLINE, error=True)
        self.email = text_field(
            "login-email",
            t("field.email"),
            keyboard=ft.KeyboardType.EMAIL,
            autofill=ft.AutofillHint.EMAIL,
            autofocus=True,
            on_change=lambda e: flow.set_email(e.control.value),
            on_submit=lambda: flow.submit_email(),
        )
        return [
            heading(t("login.title")),
            self.notice.control,
            body(t("login.email_intro")),
            self.email,
            self.banner.control,
            primary_button(
                "login-email-continue", t("common.continue"), on_click=lambda: flow.submit_email()
            ),
            ft.Divider(),
            body(t("login.no_account"), muted=True),
            button_row(
                secondary_button(
                    "login-create", t("login.create"), on_click=lambda: self.shell.switch_to_sign_up()
                )
            ),
        ]

    def refresh(self) -> None:
        flow = self.shell.login
        set_value(self.email, flow.email)
        self.notice.show(flow.notice.render(self.t) if flow.notice else None)
        show_form(flow.form, self.t, {"email": self.email}, self.banner)


class LoginPasswordScreen(Screen):
    title_key = "login.title"

    def build(self) -> list[ft.Control]:
        t, flow = self.t, self.shell.login
        self.notice = Banner("login-notice")
        self.banner = Banner("login-banner", icon=ft.Icons.ERROR_OUTLINE, error=True)
        self.signing_in_as = body("", key="login-as")
        self.password = text_field(
            "login-password",
            t("field.password"),
            password=True,
            autofill=ft.AutofillHint.PASSWORD,
            autofocus=True,
            on_change=lambda e: flow.set_password(e.control.value),
            on_submit=self._submit,
        )
        self.submit = primary_button("login-password-continue", t("common.continue"), on_click=self._submit)
        self.busy = busy_ring(t("common.busy"))
        return [
            heading(t("login.title")),
            self.notice.control,
            ft.Row(
                [
                    self.signing_in_as,
                    link_button("login-change-email", t("common.change"), on_click=self._change),
                ],
                wrap=True,
            ),
            body(t("login.password_intro")),
            self.password,
            self.banner.control,
            button_row(self.submit, self.busy),
            link_button("login-forgot", t("login.forgot"), on_click=lambda: self.shell.switch_to_reset()),
        ]

    async def _submit(self) -> None:
        await self.shell.login.submit_password()

    def _change(self) -> None:
        self.shell.nav.go(Route.LOGIN)

    def refresh(self) -> None:
        flow = self.shell.login
        self.signing_in_as.value = self.t("login.as", email=flow.email)
        set_value(self.password, flow.password)
        self.notice.show(flow.notice.render(self.t) if flow.notice else None)
        self.submit.disabled = not flow.can_submit_password
        self.busy.visible = flow.form.busy
        show_form(flow.form, self.t, {"password": self.password}, self.banner)
