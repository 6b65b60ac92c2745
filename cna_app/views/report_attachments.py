"""The report form's attachments section: thumbnails with remove buttons, "Bestanden selecteren",
what is being prepared or received, why a file was refused, and the photo-location offer."""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from cna_app.adapters.files import FileIntake
from cna_app.i18n import Translator
from cna_app.services.geo import format_point
from cna_app.services.photos import PreparedAttachment
from cna_app.viewmodels.report_form import ReportFlow
from cna_app.views.widgets import (
    BUTTON_PADDING,
    BUTTON_TEXT,
    body,
    button_row,
    heading,
    link_button,
    primary_button,
)

TILE_PX = 104


class AttachmentsPanel:
    def __init__(self, t: Translator, flow: ReportFlow, files: FileIntake | None) -> None:
        self._t, self._flow, self._files = t, flow, files
        limits = flow.rules().limits
        self.tiles = ft.Row(wrap=True, spacing=12, run_spacing=12, key="report-attachments")
        self.busy_text = ft.Text("", size=15)
        self.busy = ft.Row(
            [ft.ProgressRing(width=20, height=20, stroke_width=3), self.busy_text], visible=False
        )
        self.notes = ft.Column(spacing=4, key="report-attachment-notes")
        self.pick = ft.OutlinedButton(
            content=t("report.attachments.pick"),
            key="report-pick",
            icon=ft.Icons.ATTACH_FILE,
            action=files.action() if files is not None else None,
            style=ft.ButtonStyle(padding=BUTTON_PADDING, text_style=BUTTON_TEXT),
        )
        self.offer_text, self.offer = _offer_card(t, flow)
        self.controls: list[ft.Control] = [
            heading(t("report.attachments.title"), level=2),
            body(t("report.attachments.help", max=limits.max_attachments, max_mb=limits.max_mb), muted=True),
            self.tiles,
            self.busy,
            ft.Semantics(live_region=True, content=self.notes),
            self.pick,
            self.offer,
        ]
        self._shown: list[PreparedAttachment] = []

    def refresh(self) -> None:
        t, attachments = self._t, self._flow.attachments
        if [id(a) for a in attachments.items] != [id(a) for a in self._shown]:
            self._shown = list(attachments.items)
            self.tiles.controls = [self._tile(i, item) for i, item in enumerate(self._shown)]
        receiving = self._files.receiving if self._files is not None else None
        self.busy.visible = bool(attachments.processing or receiving)
        self.busy_text.value = (
            t("report.attachments.receiving", name=receiving)
            if receiving
            else t("report.attachments.processing", count=attachments.processing)
        )
        self.notes.controls = [
            ft.Text(note.render(t), color=ft.Colors.ERROR, size=15) for note in attachments.notes
        ]
        self.pick.disabled = attachments.full or self._flow.sending
        offer = attachments.offer
        self.offer.visible = offer is not None
        if offer is not None:
            self.offer_text.value = t(
                "report.photo_offer.text", name=offer.name, point=format_point(offer.point)
            )

    def _tile(self, index: int, item: PreparedAttachment) -> ft.Control:
        t = self._t
        remove = _remove_button(
            t("report.attachments.remove", name=item.name),
            f"report-attachment-remove-{index}",
            _remover(self._flow, index),
        )
        return ft.Container(
            key=f"report-attachment-{index}",
            width=TILE_PX + 24,
            content=ft.Column(
                [
                    ft.Container(
                        _picture(item), width=TILE_PX, height=TILE_PX, alignment=ft.Alignment.CENTER
                    ),
                    ft.Text(item.name, size=13, max_lines=2, overflow=ft.TextOverflow.ELLIPSIS),
                    ft.Text(
                        t("report.attachments.size", size=kilobytes(len(item.data), t.language)), size=13
                    ),
                    remove,
                ],
                spacing=2,
                horizontal_alignment=ft.CrossAxisAlignment.CENTER,
            ),
        )


def _offer_card(t: Translator, flow: ReportFlow) -> tuple[ft.Text, ft.Container]:
    """ "Locatie uit de foto gebruiken?" with yes and no; hidden until a photo has a position."""
    text = body("")
    card = ft.Container(
        key="report-photo-offer",
        visible=False,
        bgcolor=ft.Colors.SURFACE_CONTAINER,
        border=ft.Border.all(1, ft.Colors.PRIMARY),
        border_radius=8,
        padding=12,
        content=ft.Column(
            [
                ft.Semantics(live_region=True, content=text),
                button_row(
                    primary_button(
                        "report-photo-location-use",
                        t("report.photo_offer.use"),
                        on_click=flow.use_photo_location,
                    ),
                    link_button(
                        "report-photo-location-dismiss",
                        t("report.photo_offer.dismiss"),
                        on_click=flow.dismiss_photo_location,
                    ),
                ),
            ],
            spacing=8,
        ),
    )
    return text, card


def _picture(item: PreparedAttachment) -> ft.Control:
    if item.preview:
        return ft.Image(
            src=item.preview,
            width=TILE_PX,
            height=TILE_PX,
            fit=ft.BoxFit.COVER,
            border_radius=6,
            exclude_from_semantics=True,  # the file name under it says what it is
        )
    icon = ft.Icons.PICTURE_AS_PDF if item.content_type == "application/pdf" else ft.Icons.IMAGE
    return ft.Icon(icon, size=48)


def _remove_button(label: str, key: str, on_click: Callable[[], None]) -> ft.Control:
    """An icon button named once for screen readers (a tooltip alone names a wrapper on the web)."""
    return ft.Semantics(
        label=label,
        button=True,
        exclude_semantics=True,
        on_tap=on_click,
        content=ft.IconButton(
            ft.Icons.CLOSE, key=key, tooltip=label, style=ft.ButtonStyle(padding=12), on_click=on_click
        ),
    )


def _remover(flow: ReportFlow, index: int) -> Callable[[], None]:
    return lambda: flow.remove_attachment(index)


def kilobytes(size: int, language: str = "nl") -> str:
    """A size as people read it: "820 kB", "3,4 MB" (a decimal comma in Dutch and French)."""
    if size < 1_000_000:
        return f"{max(1, round(size / 1000))} kB"
    text = f"{size / 1_000_000:.1f} MB"
    return text if language == "en" else text.replace(".", ",")
