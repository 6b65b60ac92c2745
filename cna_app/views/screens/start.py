"""Start: who this app belongs to and the one thing to do here, "Maak een melding"."""

from __future__ import annotations

import flet as ft

from cna_app.viewmodels.navigation import Route
from cna_app.views.screens.base import Screen
from cna_app.views.widgets import body, button_row, heading, primary_button, secondary_button


class StartScreen(Screen):
    def build(self) -> list[ft.Control]:
        t, shell = self.t, self.shell
        municipality = shell.config.municipality_name if shell.config else ""
        controls: list[ft.Control] = [
            heading(t("start.title", municipality=municipality)),
            body(t("start.intro")),
            primary_button("start-report", t("start.report"), on_click=lambda: shell.start_report()),
        ]
        if shell.session.signed_in:
            controls.append(
                button_row(
                    secondary_button(
                        "start-reports", t("start.my_reports"), on_click=lambda: shell.nav.go(Route.REPORTS)
                    ),
                    secondary_button(
                        "start-profile", t("start.profile"), on_click=lambda: shell.nav.go(Route.PROFILE)
                    ),
                )
            )
        return controls
