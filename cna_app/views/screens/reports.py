"""`/meldingen` ("Mijn meldingen"): reports still waiting on this device, then the citizen's reports
on the relay with reference, date, address, thumbnail and delivery state."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import flet as ft

from cna_app.contract.wire import ReportView
from cna_app.i18n import Translator
from cna_app.services.geo import GeoPoint, format_point
from cna_app.viewmodels.navigation import Route
from cna_app.viewmodels.report_outbox import OutboxEntry
from cna_app.views.report_attachments import kilobytes
from cna_app.views.screens.base import Screen
from cna_app.views.widgets import (
    Banner,
    LiveText,
    body,
    busy_ring,
    button_row,
    heading,
    link_button,
    primary_button,
    secondary_button,
)

THUMB_PX = 72
EXCERPT_CHARS = 90
# The municipality's clock: in web mode Python runs on a server whose zone may be anything.
TIME_ZONE = "Europe/Brussels"


class ReportsScreen(Screen):
    title_key = "reports.title"

    def build(self) -> list[ft.Control]:
        t = self.t
        self.banner = Banner("reports-banner", icon=ft.Icons.ERROR_OUTLINE, error=True)
        self.pending_title = heading(t("reports.pending.title"), level=2)
        self.pending = ft.Column(spacing=12, key="reports-pending")
        self.busy = busy_ring(t("common.busy"))
        self.offline_note = LiveText("reports-offline", muted=True, size=16)
        self.sent = ft.Column(spacing=12, key="reports-list")
        self.more = secondary_button("reports-more", t("reports.more"), on_click=self._more)
        return [
            heading(t("reports.title")),
            self.banner.control,
            self.pending_title,
            self.pending,
            heading(t("reports.sent.title"), level=2),
            self.offline_note.control,
            self.busy,
            self.sent,
            self.more,
            primary_button(
                "reports-new", t("start.report"), on_click=lambda: self.shell.nav.go(Route.REPORT)
            ),
        ]

    def on_show(self) -> Callable[[], Awaitable[None]] | None:
        async def load() -> None:
            await self.shell.report.resume()
            await self.shell.my_reports.load()

        return load

    async def _more(self) -> None:
        await self.shell.my_reports.load_more()

    def refresh(self) -> None:
        t, flow, outbox = self.t, self.shell.my_reports, self.shell.report.outbox
        if flow.stale and not flow.form.busy and self.ctx.run_task is not None:
            self.ctx.run_task(flow.load)  # a waiting report just went out: show it
        self.banner.show(flow.form.banner.render(t) if flow.form.banner else None)
        self.pending_title.visible = bool(outbox.entries)
        self.pending.controls = [self._pending(i, entry) for i, entry in enumerate(outbox.entries)]
        self.busy.visible = flow.form.busy
        self.offline_note.show(t("offline.reports") if flow.needs_connection else None)
        if flow.loaded and not flow.items:
            self.sent.controls = [body(t("reports.empty"), muted=True)]
        else:
            self.sent.controls = [self._sent(i, item) for i, item in enumerate(flow.items)]
        self.more.visible = flow.next_cursor is not None
        self.more.disabled = flow.form.busy

    # ---- reports on the device ------------------------------------------------------------

    def _pending(self, index: int, entry: OutboxEntry) -> ft.Control:
        t, draft = self.t, entry.draft
        location = draft.location
        where = (
            (location.get("address") or format_point(GeoPoint(location["lat"], location["lon"])))
            if location
            else ""
        )
        preview = next((a.preview for a in draft.attachments if a.preview), None)
        lines: list[ft.Control] = [
            ft.Text(_excerpt(draft.description), size=16, weight=ft.FontWeight.BOLD),
            body(t("reports.written", when=format_when(draft.created_at, t)), muted=True),
            body(where, muted=True),
            ft.Semantics(
                live_region=True,
                content=ft.Text(self._pending_state(entry), key=f"reports-pending-state-{index}", size=15),
            ),
        ]
        if entry.note is not None:
            color = ft.Colors.ERROR if entry.refused else ft.Colors.ON_SURFACE_VARIANT
            lines.append(ft.Text(entry.note.render(t), size=15, color=color))
        if not entry.stored:
            lines.append(ft.Text(t("reports.pending.memory_only"), size=15, color=ft.Colors.ERROR))
        lines.append(self._pending_actions(index, entry))
        return _card(f"reports-pending-{index}", _thumb(preview, ft.Icons.SCHEDULE_SEND), lines)

    def _pending_actions(self, index: int, entry: OutboxEntry) -> ft.Control:
        t, report_id = self.t, entry.draft.id
        actions: list[ft.Control] = [
            secondary_button(
                f"reports-pending-retry-{index}", t("reports.pending.retry"), on_click=_retry(self, report_id)
            )
        ]
        if entry.refused:  # one still waiting is never thrown away by a stray tap
            actions.append(
                link_button(
                    f"reports-pending-remove-{index}",
                    t("reports.pending.remove"),
                    on_click=_remove(self, report_id),
                )
            )
        for action in actions:
            action.disabled = entry.sending
        return button_row(*actions)

    def _pending_state(self, entry: OutboxEntry) -> str:
        t = self.t
        if entry.sending and entry.progress and entry.progress[1]:
            sent, total = entry.progress
            return t(
                "reports.pending.sending_progress",
                sent=kilobytes(sent, t.language),
                total=kilobytes(total, t.language),
            )
        if entry.sending:
            return t("reports.pending.sending")
        return t("reports.pending.refused" if entry.refused else "reports.pending.waiting")

    # ---- reports on the relay -------------------------------------------------------------

    def _sent(self, index: int, item: ReportView) -> ft.Control:
        t = self.t
        location = item["location"]
        where = location["address"] or format_point(GeoPoint(location["lat"], location["lon"]))
        state = t(f"reports.delivery.{item['delivery']}")
        if item["delivery"] == "forwarded" and item["ticket_pretty_id"]:
            state = t("reports.delivery.forwarded_ticket", ticket=item["ticket_pretty_id"])
        lines: list[ft.Control] = [
            ft.Text(item["reference"], size=16, weight=ft.FontWeight.BOLD, key=f"reports-reference-{index}"),
            body(format_when(item["created_at"], t), muted=True),
            body(where),
            ft.Text(state, size=15, key=f"reports-state-{index}"),
        ]
        thumbnail = self.shell.my_reports.thumbnails.get(item["id"]) or None
        return _card(f"reports-item-{index}", _thumb(thumbnail, ft.Icons.DESCRIPTION), lines)


def _card(key: str, picture: ft.Control, lines: list[ft.Control]) -> ft.Control:
    return ft.Semantics(
        container=True,
        content=ft.Container(
            key=key,
            border=ft.Border.all(1, ft.Colors.OUTLINE),
            border_radius=8,
            padding=12,
            content=ft.Row(
                [picture, ft.Column(lines, spacing=4, expand=True)],
                spacing=12,
                vertical_alignment=ft.CrossAxisAlignment.START,
            ),
        ),
    )


def _thumb(data: bytes | None, icon: ft.IconData) -> ft.Control:
    if data:
        # Decorative: the card says what it is; an image node would also swallow the card's text.
        return ft.Image(
            src=data,
            width=THUMB_PX,
            height=THUMB_PX,
            fit=ft.BoxFit.COVER,
            border_radius=6,
            exclude_from_semantics=True,
        )
    return ft.Container(
        ft.Icon(icon, size=36), width=THUMB_PX, height=THUMB_PX, alignment=ft.Alignment.CENTER
    )


def _excerpt(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= EXCERPT_CHARS else line[: EXCERPT_CHARS - 1].rstrip() + "…"


def format_when(iso: str, t: Translator) -> str:
    """A relay timestamp in the municipality's time, in the language's usual form."""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso[:32]
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(_zone()).strftime(t("reports.date_format"))


def _zone() -> tzinfo:
    try:
        return ZoneInfo(TIME_ZONE)
    except ZoneInfoNotFoundError:  # a phone build without tz data: UTC is wrong by an hour or two
        return UTC


def _retry(screen: ReportsScreen, report_id: str) -> Callable[[], None]:
    return lambda: screen.shell.report.outbox.retry_now(report_id)


def _remove(screen: ReportsScreen, report_id: str) -> Callable[[], Awaitable[None]]:
    async def remove() -> None:
        await screen.shell.report.outbox.remove(report_id)

    return remove
