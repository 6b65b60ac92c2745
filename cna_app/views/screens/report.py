"""`/melding`: the report form, in the seed's order: description, attachments, location, send.

Everything the citizen enters lives in `ReportFlow` (`shell.report`); this screen only shows it
and forwards taps. Files can be chosen, pasted into the description or address field, or (on
the web) dropped onto the page while one of those fields has the focus (`assets/cna-drop.js`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import flet as ft

from cna_app.i18n import Translator
from cna_app.viewmodels.navigation import Route
from cna_app.viewmodels.report_form import ReportFlow
from cna_app.views.report_attachments import AttachmentsPanel, kilobytes
from cna_app.views.report_location import LocationPanel
from cna_app.views.screens.base import Screen, set_value
from cna_app.views.widgets import Banner, LiveText, body, heading, link_button, primary_button

DESCRIPTION_LINES = 4


class ReportScreen(Screen):
    title_key = "report.title"

    def build(self) -> list[ft.Control]:
        t, flow, files = self.t, self.shell.report, self.ctx.files
        if files is not None:
            files.connect(flow.add_files, lambda: flow.attachments.room, self.shell.changes.notify)
        paste = files.pasted if files is not None else None
        self.storage = Banner("report-storage-notice")
        self.banner = Banner("report-banner", icon=ft.Icons.ERROR_OUTLINE, error=True)
        self.description = _description_field(t, flow, paste)
        self.count = ft.Text("", key="report-description-count", size=14, color=ft.Colors.ON_SURFACE_VARIANT)
        self.attachments = AttachmentsPanel(t, flow, files)
        self.location = LocationPanel(self.ctx, flow.location, paste=paste)
        self.progress_bar = ft.ProgressBar(value=0, visible=False)
        self.progress_text = ft.Text("", key="report-progress", size=15, visible=False)
        self.missing = LiveText("report-missing", muted=True)
        self.send = primary_button("report-send", t("report.send"), on_click=self._send)
        self.send.icon = ft.Icons.SEND
        self.dialog = OutcomeDialog(self)
        return [
            heading(t("report.title")),
            body(t("report.intro")),
            self.storage.control,
            self.description,
            self.count,
            *self.attachments.controls,
            *self.location.controls,
            self.banner.control,
            ft.Semantics(
                live_region=True, content=ft.Column([self.progress_bar, self.progress_text], spacing=4)
            ),
            self.missing.control,
            self.send,
        ]

    def on_show(self) -> Callable[[], Awaitable[None]] | None:
        return self.shell.report.resume

    async def _send(self) -> None:
        await self.shell.report.submit()

    def refresh(self) -> None:
        t, flow = self.t, self.shell.report
        set_value(self.description, flow.description)
        maximum = flow.rules().description_max
        self.count.value = t("report.description_count", count=flow.description_length, max=maximum)
        error = flow.description_error
        self.description.error = error.render(t) if error else None
        self.description.disabled = flow.sending
        self.storage.show(flow.storage_note.render(t) if flow.storage_note else None)
        self.banner.show(flow.form.banner.render(t) if flow.form.banner else None)
        self.attachments.refresh()
        self._show_field_errors()
        self.location.refresh()
        self._show_progress()
        missing = flow.missing
        self.missing.show(
            t("report.missing", items=", ".join(item.render(t) for item in missing)) if missing else None
        )
        self.send.disabled = not flow.can_submit
        self.dialog.refresh()

    def _show_field_errors(self) -> None:
        t, form = self.t, self.shell.report.form
        for name, text in (("attachments", self.attachments.notes), ("location", None)):
            message = form.errors.get(name)
            if message is None:
                continue
            if text is not None:
                text.controls.append(ft.Text(message.render(t), color=ft.Colors.ERROR, size=15))
            else:
                self.location.refusal.show(message.render(t))

    def _show_progress(self) -> None:
        flow = self.shell.report
        sending = flow.sending
        self.progress_bar.visible = self.progress_text.visible = sending
        if not sending:
            return
        sent, total = flow.progress or (0, 0)
        self.progress_bar.value = sent / total if total else None
        language = self.t.language
        self.progress_text.value = (
            self.t(
                "report.sending_progress", sent=kilobytes(sent, language), total=kilobytes(total, language)
            )
            if total
            else self.t("report.sending")
        )


def _description_field(t: Translator, flow: ReportFlow, paste: Callable[..., object] | None) -> ft.TextField:
    return ft.TextField(
        key="report-description",
        label=t("report.description"),
        helper=t("report.description_help"),
        multiline=True,
        min_lines=DESCRIPTION_LINES,
        max_lines=12,
        max_length=flow.rules().description_max,
        counter=ft.Text("", size=0),  # our own counter below says it in words
        text_size=16,
        on_change=lambda e: flow.set_description(e.control.value),
        on_paste_files=paste,
    )


class OutcomeDialog:
    """The pop-up after "Melding verzenden": the reference and what happens next, or that the
    report waits on the device. Built fresh each time (see `profile.DeleteDialog` for why)."""

    def __init__(self, screen: ReportScreen) -> None:
        self._screen = screen
        self._dialog: ft.AlertDialog | None = None

    def refresh(self) -> None:
        outcome = self._screen.shell.report.outcome
        if outcome is not None and self._dialog is None:
            self._dialog = self._build()
            self._screen.ctx.show_dialog(self._dialog)
        elif outcome is None and self._dialog is not None:
            self._dialog = None
            self._screen.ctx.close_dialog()

    def _build(self) -> ft.AlertDialog:
        t, flow = self._screen.t, self._screen.shell.report
        outcome = flow.outcome
        assert outcome is not None
        if outcome.kind == "delivered":
            title = t("report.done.title")
            lines = [t("report.done.reference", reference=outcome.reference or ""), t("report.done.next")]
        else:
            title = t("report.queued.title")
            lines = [t("report.queued.body" if outcome.stored else "report.queued.memory_only")]
        return ft.AlertDialog(
            modal=True,
            key="report-outcome",
            title=ft.Text(title),
            content=ft.Column([body(line) for line in lines], tight=True, spacing=12),
            actions=[
                link_button(
                    "report-outcome-reports",
                    t("report.done.my_reports"),
                    on_click=lambda: self._close(Route.REPORTS),
                ),
                primary_button(
                    "report-outcome-close", t("report.done.close"), on_click=lambda: self._close(Route.START)
                ),
            ],
            on_dismiss=lambda: flow.close_outcome() if flow.outcome is not None else None,
        )

    def _close(self, route: Route) -> None:
        # Closed before navigating: the next screen builds its own dialog object and would not
        # know this one is still open.
        if self._dialog is not None:
            self._dialog = None
            self._screen.ctx.close_dialog()
        self._screen.shell.report.close_outcome(route)
