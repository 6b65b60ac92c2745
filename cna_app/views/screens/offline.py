"""Offline mode in the view: the calm banner on every screen, and the screen that stands in for
one that needs the relay (log-in, sign-up, password reset, profile edits)."""

from __future__ import annotations

import flet as ft

from cna_app.i18n import Translator
from cna_app.viewmodels.navigation import Route
from cna_app.views.screens.base import Screen
from cna_app.views.widgets import LiveText, body, heading, primary_button, secondary_button


class OfflineBanner:
    """ "Geen verbinding — je melding wordt verzonden zodra er weer verbinding is": shown while
    the app runs offline, hidden (not removed) once the relay answers, so the screen under it
    is not rebuilt and keeps the focus, the map's position and what is being typed."""

    def __init__(self, t: Translator) -> None:
        text = ft.Text(t("offline.banner"), size=16, color=ft.Colors.ON_SURFACE, expand=True)
        self.control = ft.Semantics(
            live_region=True,
            container=True,
            visible=False,
            content=ft.Container(
                key="offline-banner",
                bgcolor=ft.Colors.SURFACE_CONTAINER,
                border=ft.Border.all(1, ft.Colors.OUTLINE),
                border_radius=8,
                padding=12,
                content=ft.Row(
                    [ft.Icon(ft.Icons.CLOUD_OFF, color=ft.Colors.ON_SURFACE_VARIANT), text], spacing=12
                ),
            ),
        )

    def show(self, offline: bool) -> None:
        self.control.visible = offline


class NeedsConnectionScreen(Screen):
    """In place of a screen that cannot work without the relay; the real one returns by itself
    when the relay answers (the router rebuilds then)."""

    title_key = "offline.needs.title"

    def build(self) -> list[ft.Control]:
        t = self.t
        self.status = LiveText("offline-status", muted=True, size=16)
        self.retry = primary_button("offline-retry", t("common.retry"), on_click=self.shell.retry_now)
        return [
            ft.Icon(ft.Icons.CLOUD_OFF, size=48, color=ft.Colors.ON_SURFACE_VARIANT, semantics_label=""),
            heading(t("offline.needs.title")),
            body(t("offline.needs.body")),
            self.status.control,
            self.retry,
            secondary_button(
                "offline-home", t("common.home"), on_click=lambda: self.shell.nav.go(Route.START)
            ),
        ]

    def refresh(self) -> None:
        self.status.show(self.t("connection.trying") if self.shell.retrying else None)
        self.retry.disabled = self.shell.retrying
