"""Forgotten password: the e-mail step and the code + new password step."""

from __future__ import annotations

import flet as ft

from cna_app.views.parts import CodeEntry, PasswordChecklist
from cna_app.views.screens.base import Screen, set_value, show_form
from cna_app.views.widgets import Banner, body, busy_ring, button_row, heading, primary_button, text_field


class ResetEmailScreen(Screen):
    title_key = "reset.title"

    def build(self) -> list[ft.Control]:
        t, flow = self.t, self.shell.reset
        self.banner = Banner("reset-banner", icon=ft.Icons.ERROR_OUTLINE, error=True)
        self.email = text_field(
            "reset-email",
            t("field.email"),
            keyboard=ft.KeyboardType.EMAIL,
            autofill=ft.AutofillHint.EMAIL,
            autofocus=True,
            on_change=lambda e: flow.set_email(e.control.value),
            on_submit=self._submit,
        )
        self.submit = primary_button("reset-send", t("reset.send"), on_click=self._submit)
        self.busy = busy_ring(t("common.busy"))
        return [
            heading(t("reset.title")),
            body(t("reset.email_intro")),
            self.email,
            self.banner.control,
            button_row(self.submit, self.busy),
        ]

    async def _submit(self) -> None:
        await self.shell.reset.submit_email()

    def refresh(self) -> None:
        flow = self.shell.reset
        set_value(self.email, flow.email)
        self.submit.disabled = flow.form.busy
        self.busy.visible = flow.form.busy
        show_form(flow.form, self.t, {"email": self.email}, self.banner)


class ResetCodeScreen(Screen):
    title_key = "reset.title"

    def build(self) -> list[ft.Control]:
        t, flow = self.t, self.shell.reset
        self.banner = Banner("reset-code-banner", icon=ft.Icons.ERROR_OUTLINE, error=True)
        self.intro = body("", key="reset-code-intro")
        self.entry = CodeEntry(
            t,
            key="reset",
            on_change=lambda e: flow.set_code(e.control.value),
            on_submit=self._submit,
            on_resend=self._resend,
        )
        self.password = text_field(
            "reset-new-password",
            t("field.new_password"),
            password=True,
            autofill=ft.AutofillHint.NEW_PASSWORD,
            on_change=lambda e: flow.set_new_password(e.control.value),
            on_submit=self._submit,
        )
        self.checklist = PasswordChecklist(t, flow.checklist, key="reset-rules")
        self.submit = primary_button("reset-confirm", t("reset.confirm"), on_click=self._submit)
        self.busy = busy_ring(t("common.busy"))
        return [
            heading(t("reset.title")),
            self.intro,
            self.entry.field,
            self.entry.resend,
            self.password,
            ft.Semantics(live_region=True, content=self.checklist.control),
            self.banner.control,
            button_row(self.submit, self.busy),
        ]

    async def _submit(self) -> None:
        await self.shell.reset.confirm()

    async def _resend(self) -> None:
        await self.shell.reset.resend()

    def refresh(self) -> None:
        flow = self.shell.reset
        self.intro.value = self.t("reset.code_intro", email=flow.requested_email or "")
        self.entry.update(flow.code, flow.cooldown, busy=flow.form.busy)
        set_value(self.password, flow.new_password)
        self.checklist.update(flow.checklist)
        self.submit.disabled = not flow.can_confirm
        self.busy.visible = flow.form.busy
        fields = {"code": self.entry.field, "new_password": self.password}
        show_form(flow.form, self.t, fields, self.banner)
