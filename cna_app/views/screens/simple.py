"""Screens without a form: start-up, relay unreachable, not found."""

from __future__ import annotations

import flet as ft

from cna_app.viewmodels.navigation import Route
from cna_app.views.screens.base import Screen
from cna_app.views.widgets import body, heading, primary_button


class StartingScreen(Screen):
    def build(self) -> list[ft.Control]:
        return [
            ft.Row(
                [ft.ProgressRing(semantics_label=self.t("common.busy")), body(self.t("common.busy"))],
                spacing=16,
            )
        ]


class UnreachableScreen(Screen):
    """The relay does not answer: say so calmly, count down to the next try, offer to try now."""

    def build(self) -> list[ft.Control]:
        t = self.t
        self.status = ft.Text("", key="connection-status", size=16, color=ft.Colors.ON_SURFACE_VARIANT)
        self.retry = primary_button("connection-retry", t("common.retry"), on_click=self.shell.retry_now)
        return [
            ft.Icon(ft.Icons.CLOUD_OFF, size=48, color=ft.Colors.ON_SURFACE_VARIANT, semantics_label=""),
            heading(t("connection.title")),
            body(t("connection.body")),
            ft.Semantics(live_region=True, content=self.status),
            self.retry,
        ]

    def refresh(self) -> None:
        shell = self.shell
        if shell.retrying or shell.next_retry_in is None:
            self.status.value = self.t("connection.trying")
        else:
            self.status.value = self.t("connection.next_try", seconds=shell.next_retry_in)
        self.retry.disabled = shell.retrying


class NotFoundScreen(Screen):
    title_key = "not_found.title"

    def build(self) -> list[ft.Control]:
        t = self.t
        return [
            heading(t("not_found.title")),
            body(t("not_found.body")),
            primary_button("go-home", t("common.home"), on_click=lambda: self.shell.nav.go(Route.START)),
        ]
