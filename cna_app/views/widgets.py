"""Small building blocks the screens share, with the accessibility rules applied once:

- tap targets: button padding gives ≥ 48 px at the default text size and grows with text scaling
  (no fixed heights, so nothing clips when the user enlarges the system font);
- every field has a visible label (which is also its screen-reader name) and a `key` for tests;
- messages that appear after an action are live regions, so screen readers announce them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from cna_app.views.theme import FONT_FAMILY, HEADING_FAMILY

CONTENT_WIDTH = 480
# 15 px above and below a ~19 px line: 48 px tall at 100 % text size, taller when text scales.
BUTTON_PADDING = ft.Padding.symmetric(horizontal=20, vertical=15)
# Input caps only stop pasted novels; the real limits are the relay's (and the checklist shows
# the password's, so the password cap sits well above any policy).
MAX_FIELD_LENGTH = 200
MAX_EMAIL_LENGTH = 254
MAX_PASSWORD_INPUT = 1024
# Button labels do not inherit the theme's font family once a text style is given.
BUTTON_TEXT = ft.TextStyle(size=16, font_family=FONT_FAMILY)

Handler = Callable[..., Any]


def heading(text: str, *, level: int = 1) -> ft.Control:
    size = 26 if level == 1 else 20
    return ft.Semantics(
        header=True,
        heading_level=level,
        content=ft.Text(text, size=size, font_family=HEADING_FAMILY, color=ft.Colors.ON_SURFACE),
    )


def body(text: str, *, muted: bool = False, key: str | None = None) -> ft.Text:
    return ft.Text(
        text, key=key, size=16, color=ft.Colors.ON_SURFACE_VARIANT if muted else ft.Colors.ON_SURFACE
    )


def text_field(
    key: str,
    label: str,
    *,
    on_change: Handler,
    on_submit: Handler | None = None,
    password: bool = False,
    keyboard: ft.KeyboardType = ft.KeyboardType.TEXT,
    autofill: ft.AutofillHint | None = None,
    autofocus: bool = False,
    max_length: int | None = None,
) -> ft.TextField:
    if max_length is None:
        max_length = MAX_PASSWORD_INPUT if password else MAX_FIELD_LENGTH
        if keyboard == ft.KeyboardType.EMAIL:
            max_length = MAX_EMAIL_LENGTH
    return ft.TextField(
        key=key,
        label=label,
        password=password,
        can_reveal_password=password,
        keyboard_type=keyboard,
        autofill_hints=[autofill] if autofill else None,
        autofocus=autofocus,
        max_length=max_length,
        # The counter would read "0/200" aloud on every field.
        counter=ft.Text("", size=0),
        text_size=16,
        on_change=on_change,
        on_submit=on_submit,
    )


def primary_button(key: str, text: str, *, on_click: Handler) -> ft.FilledButton:
    return ft.FilledButton(
        content=text,
        key=key,
        on_click=on_click,
        style=ft.ButtonStyle(padding=BUTTON_PADDING, text_style=BUTTON_TEXT),
    )


def secondary_button(key: str, text: str, *, on_click: Handler) -> ft.OutlinedButton:
    return ft.OutlinedButton(
        content=text,
        key=key,
        on_click=on_click,
        style=ft.ButtonStyle(padding=BUTTON_PADDING, text_style=BUTTON_TEXT),
    )


def link_button(key: str, text: str, *, on_click: Handler) -> ft.TextButton:
    return ft.TextButton(
        content=text,
        key=key,
        on_click=on_click,
        style=ft.ButtonStyle(padding=BUTTON_PADDING, text_style=BUTTON_TEXT),
    )


def busy_ring(label: str) -> ft.ProgressRing:
    """The spinner next to a button while its request runs; `label` is what a screen reader says."""
    return ft.ProgressRing(width=24, height=24, stroke_width=3, visible=False, semantics_label=label)


class Banner:
    """A message above a form: hidden when empty, announced when it appears."""

    def __init__(self, key: str, *, icon: ft.IconData = ft.Icons.INFO_OUTLINE, error: bool = False) -> None:
        color = ft.Colors.ERROR if error else ft.Colors.PRIMARY
        self.text = ft.Text("", size=16, color=ft.Colors.ON_SURFACE, expand=True)
        self.control = ft.Semantics(
            live_region=True,
            container=True,
            visible=False,
            content=ft.Container(
                key=key,
                bgcolor=ft.Colors.SURFACE_CONTAINER,
                border=ft.Border.all(1, color),
                border_radius=8,
                padding=12,
                content=ft.Row([ft.Icon(icon, color=color), self.text], spacing=12),
            ),
        )

    def show(self, message: str | None) -> None:
        self.text.value = message or ""
        self.control.visible = bool(message)


def form_column(controls: list[ft.Control]) -> ft.Control:
    """The screen's content: one column in reading (and focus) order, at most 480 px wide."""
    return ft.Container(
        width=CONTENT_WIDTH,
        padding=ft.Padding.symmetric(horizontal=16, vertical=24),
        content=ft.Column(controls, spacing=16, horizontal_alignment=ft.CrossAxisAlignment.STRETCH),
    )


def button_row(*controls: ft.Control) -> ft.Row:
    return ft.Row(
        list(controls), wrap=True, spacing=12, run_spacing=8, vertical_alignment=ft.CrossAxisAlignment.CENTER
    )


class LiveText:
    """A line that appears after an action and is announced (a live region). The wrapper is what
    hides, never the text inside it: Flutter refuses a `Semantics` whose content is invisible."""

    def __init__(self, key: str, *, error: bool = False, muted: bool = False, size: int = 15) -> None:
        color = ft.Colors.ERROR if error else ft.Colors.ON_SURFACE_VARIANT if muted else ft.Colors.ON_SURFACE
        self.text = ft.Text("", key=key, size=size, color=color)
        self.control = ft.Semantics(live_region=True, visible=False, content=self.text)

    def show(self, message: str | None) -> None:
        self.text.value = message or ""
        self.control.visible = bool(message)
