"""Profile (`/profiel`): the account's details, log out here or everywhere, delete with a
confirmation dialog; and the edit form (`/profiel/bewerken`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import flet as ft

from cna_app.contract.wire import AccountView
from cna_app.viewmodels.navigation import Route
from cna_app.views.parts import language_choice, profile_fields, set_language_choice
from cna_app.views.screens.base import Screen, set_value, show_form
from cna_app.views.widgets import (
    BUTTON_PADDING,
    BUTTON_TEXT,
    Banner,
    LiveText,
    body,
    busy_ring,
    button_row,
    heading,
    link_button,
    primary_button,
    secondary_button,
    text_field,
)

DETAILS = ("email", "phone", "street", "postcode", "municipality")


class ProfileScreen(Screen):
    title_key = "profile.title"

    def build(self) -> list[ft.Control]:
        t, flow = self.t, self.shell.profile
        self.banner = Banner("profile-banner", icon=ft.Icons.ERROR_OUTLINE, error=True)
        self.unverified = ft.Column(
            [
                body(t("profile.unverified")),
                secondary_button("profile-verify", t("profile.verify_now"), on_click=self._verify),
            ],
            visible=False,
        )
        self.details = ft.Column(spacing=12, key="profile-details")
        self.busy = busy_ring(t("common.busy"))
        self.dialog = DeleteDialog(self)
        self.offline_note = LiveText("profile-offline", muted=True)
        self.edit = primary_button(
            "profile-edit", t("profile.edit"), on_click=lambda: self.shell.nav.go(Route.PROFILE_EDIT)
        )
        self.logout_all = secondary_button(
            "profile-logout-all", t("profile.logout_all"), on_click=self._logout_all
        )
        self.delete = danger_link("profile-delete", t("profile.delete"), on_click=flow.ask_delete)
        return [
            heading(t("profile.title")),
            self.unverified,
            self.details,
            self.banner.control,
            self.offline_note.control,
            self.edit,
            ft.Divider(),
            button_row(
                secondary_button("profile-logout", t("profile.logout"), on_click=self._logout),
                self.logout_all,
                self.busy,
            ),
            self.delete,
        ]

    def on_show(self) -> Callable[[], Awaitable[None]] | None:
        return self.shell.profile.load if self.shell.profile.account is None else None

    async def _logout(self) -> None:
        await self.shell.profile.logout()

    async def _logout_all(self) -> None:
        await self.shell.profile.logout_everywhere()

    def _verify(self) -> None:
        account = self.shell.profile.account
        if account is not None:
            self.shell.signup.enter_verification(account["email"])
            self.shell.nav.go(Route.SIGNUP_CODE)

    def refresh(self) -> None:
        flow, t = self.shell.profile, self.t
        account = flow.account
        self.unverified.visible = account is not None and not account["email_verified"]
        self.details.controls = self._details(account)
        self.busy.visible = flow.form.busy
        show_form(flow.form, t, {}, self.banner)
        # Without a connection only logging out here works (the device forgets the session).
        offline = flow.needs_connection
        self.offline_note.show(t("offline.profile") if offline else None)
        self.unverified.disabled = self.edit.disabled = offline
        self.logout_all.disabled = self.delete.disabled = offline
        self.dialog.refresh()

    def _details(self, account: AccountView | None) -> list[ft.Control]:
        t = self.t
        if account is None:
            return [body(t("profile.loading"), muted=True)]
        rows = [_detail(t("profile.name"), f"{account['first_name']} {account['last_name']}")]
        for name in DETAILS:
            value = account[name]  # type: ignore[literal-required]
            rows.append(_detail(t(f"field.{name}"), value or t("common.not_set")))
        rows.append(_detail(t("field.language"), t.self_name(account["language"])))
        return rows


def danger_link(key: str, text: str, *, on_click: Callable[[], None]) -> ft.TextButton:
    """A link for an irreversible action, in the error colour so it does not read as routine."""
    button = link_button(key, text, on_click=on_click)
    assert button.style is not None
    button.style.color = ft.Colors.ERROR
    return button


def _detail(label: str, value: str) -> ft.Control:
    # Not `selectable`: in Flet 1.0.5's web client selectable text drops out of the semantics
    # tree, and a screen reader would read nothing here.
    return ft.Semantics(
        container=True,
        content=ft.Column([body(label, muted=True), ft.Text(value, size=16)], spacing=2),
    )


class DeleteDialog:
    """The "delete your account?" confirmation, asking for the password; state lives in the flow.

    A fresh dialog is built each time it opens: Flet keeps a closed dialog on its stack until the
    client reports the end of the closing animation, so reusing one could collide with itself.
    """

    def __init__(self, screen: ProfileScreen) -> None:
        self._screen = screen
        self._dialog: ft.AlertDialog | None = None
        self.banner = Banner("delete-banner", icon=ft.Icons.ERROR_OUTLINE, error=True)
        self.password: ft.TextField | None = None
        self.confirm: ft.FilledButton | None = None

    def _build(self) -> ft.AlertDialog:
        t, flow = self._screen.t, self._screen.shell.profile
        self.banner = Banner("delete-banner", icon=ft.Icons.ERROR_OUTLINE, error=True)
        self.password = text_field(
            "delete-password",
            t("field.password"),
            password=True,
            autofill=ft.AutofillHint.PASSWORD,
            autofocus=True,
            on_change=lambda e: flow.set_delete_password(e.control.value),
            on_submit=self._confirm,
        )
        self.confirm = ft.FilledButton(
            content=t("profile.delete_confirm"),
            key="delete-confirm",
            on_click=self._confirm,
            style=ft.ButtonStyle(
                bgcolor=ft.Colors.ERROR,
                color=ft.Colors.ON_ERROR,
                padding=BUTTON_PADDING,
                text_style=BUTTON_TEXT,
            ),
        )
        return ft.AlertDialog(
            modal=True,
            title=ft.Text(t("profile.delete_title")),
            content=ft.Column(
                [body(t("profile.delete_body")), self.password, self.banner.control], tight=True
            ),
            actions=[
                link_button("delete-cancel", t("common.cancel"), on_click=flow.cancel_delete),
                self.confirm,
            ],
            on_dismiss=lambda: flow.cancel_delete() if flow.delete_open else None,
        )

    async def _confirm(self) -> None:
        await self._screen.shell.profile.confirm_delete()

    def refresh(self) -> None:
        flow = self._screen.shell.profile
        if flow.delete_open and self._dialog is None:
            self._dialog = self._build()
            self._screen.ctx.show_dialog(self._dialog)
        elif not flow.delete_open and self._dialog is not None:
            self._dialog = None
            self._screen.ctx.close_dialog()
        if self._dialog is not None and self.password is not None and self.confirm is not None:
            set_value(self.password, flow.delete_password)
            self.confirm.disabled = flow.delete_form.busy
            show_form(flow.delete_form, self._screen.t, {"password": self.password}, self.banner)


class ProfileEditScreen(Screen):
    title_key = "profile.edit_title"

    def build(self) -> list[ft.Control]:
        t, flow = self.t, self.shell.profile
        self.banner = Banner("profile-edit-banner", icon=ft.Icons.ERROR_OUTLINE, error=True)
        self.fields = profile_fields(t, key="profile", on_change=flow.set_field)
        self.language = language_choice(t, key="profile-language", on_change=flow.set_language)
        self.save = primary_button("profile-save", t("common.save"), on_click=self._save)
        self.busy = busy_ring(t("common.busy"))
        return [
            heading(t("profile.edit_title")),
            *self.fields.values(),
            self.language,
            self.banner.control,
            button_row(
                self.save,
                secondary_button("profile-cancel", t("common.cancel"), on_click=flow.cancel_edit),
                self.busy,
            ),
        ]

    async def _save(self) -> None:
        await self.shell.profile.save()

    def refresh(self) -> None:
        flow = self.shell.profile
        if flow.draft is not None:
            for name, field in self.fields.items():
                set_value(field, flow.draft[name])
        set_language_choice(self.language, flow.draft_language)
        self.save.disabled = flow.form.busy
        self.busy.visible = flow.form.busy
        show_form(flow.form, self.t, dict(self.fields), self.banner)
