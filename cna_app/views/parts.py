"""Composite controls shared by several screens: the password checklist, the code entry with its
resend button, the profile fields and the language choice."""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from cna_app.contract.wire import Language
from cna_app.i18n import LANGUAGES, Translator
from cna_app.viewmodels.cooldown import Cooldown
from cna_app.viewmodels.password import ChecklistItem
from cna_app.views.screens.base import set_value
from cna_app.views.widgets import Handler, body, link_button, text_field

# Room for a pasted "Code: 123 456"; the view model keeps the six digits.
CODE_INPUT_LENGTH = 40


class PasswordChecklist:
    """One row per rule of the relay's policy, each naming the rule and whether it is met."""

    def __init__(self, t: Translator, items: list[ChecklistItem], *, key: str) -> None:
        self._t = t
        self._rows = [self._row(item, f"{key}-{item.rule.value}") for item in items]
        self.control = ft.Column(
            [body(t("password.rules_heading")), *(row for row, _, _ in self._rows)], spacing=6, key=key
        )
        self.update(items)

    @staticmethod
    def _row(item: ChecklistItem, key: str) -> tuple[ft.Semantics, ft.Icon, ft.Text]:
        icon = ft.Icon(ft.Icons.RADIO_BUTTON_UNCHECKED, size=20)
        text = ft.Text("", size=15, expand=True)
        row = ft.Semantics(
            key=key, exclude_semantics=True, content=ft.Row([icon, text], spacing=8, tight=True)
        )
        return row, icon, text

    def update(self, items: list[ChecklistItem]) -> None:
        for (row, icon, text), item in zip(self._rows, items, strict=True):
            rule = item.text.render(self._t)
            mark = "✓" if item.met else "✗"
            icon.icon = ft.Icons.CHECK_CIRCLE if item.met else ft.Icons.RADIO_BUTTON_UNCHECKED
            icon.color = ft.Colors.TERTIARY if item.met else ft.Colors.ON_SURFACE_VARIANT
            text.value = f"{mark} {rule}"
            text.color = ft.Colors.TERTIARY if item.met else ft.Colors.ON_SURFACE
            row.label = self._t("password.rule.met" if item.met else "password.rule.unmet", rule=rule)


class CodeEntry:
    """The 6-digit code field and "send a new code" with its countdown."""

    def __init__(
        self, t: Translator, *, key: str, on_change: Handler, on_submit: Handler, on_resend: Handler
    ) -> None:
        self._t = t
        self.field = text_field(
            f"{key}-code",
            t("field.code"),
            keyboard=ft.KeyboardType.NUMBER,
            autofill=ft.AutofillHint.ONE_TIME_CODE,
            autofocus=True,
            max_length=CODE_INPUT_LENGTH,
            on_change=on_change,
            on_submit=on_submit,
        )
        self.resend = link_button(f"{key}-resend", t("code.resend"), on_click=on_resend)

    def update(self, code: str, cooldown: Cooldown, *, busy: bool) -> None:
        set_value(self.field, code)
        self.resend.disabled = busy or not cooldown.ready
        self.resend.content = (
            self._t("code.resend")
            if cooldown.ready
            else self._t("code.resend_wait", seconds=cooldown.remaining)
        )


PROFILE_HINTS: dict[str, tuple[ft.AutofillHint, ft.KeyboardType]] = {
    "first_name": (ft.AutofillHint.GIVEN_NAME, ft.KeyboardType.NAME),
    "last_name": (ft.AutofillHint.FAMILY_NAME, ft.KeyboardType.NAME),
    "phone": (ft.AutofillHint.TELEPHONE_NUMBER, ft.KeyboardType.PHONE),
    "street": (ft.AutofillHint.STREET_ADDRESS_LINE1, ft.KeyboardType.STREET_ADDRESS),
    "postcode": (ft.AutofillHint.POSTAL_CODE, ft.KeyboardType.NUMBER),
    "municipality": (ft.AutofillHint.ADDRESS_CITY, ft.KeyboardType.TEXT),
}
REQUIRED = ("first_name", "last_name")


def profile_fields(
    t: Translator, *, key: str, on_change: Callable[[str, str], None], autofocus: bool = True
) -> dict[str, ft.TextField]:
    """First and last name (required), then the optional fields, labelled as optional."""
    fields: dict[str, ft.TextField] = {}
    for index, (name, (hint, keyboard)) in enumerate(PROFILE_HINTS.items()):
        label = t(f"field.{name}")
        fields[name] = text_field(
            f"{key}-{name}",
            label if name in REQUIRED else t("common.optional", label=label),
            keyboard=keyboard,
            autofill=hint,
            autofocus=autofocus and index == 0,
            on_change=lambda e, name=name: on_change(name, e.control.value),
        )
    return fields


def language_choice(t: Translator, *, key: str, on_change: Callable[[str], None]) -> ft.Column:
    """A radio group of the three languages, each named in its own language."""
    group = ft.RadioGroup(
        key=key,
        content=ft.Column(
            [ft.Radio(value=lang, label=t.self_name(lang), key=f"{key}-{lang}") for lang in LANGUAGES],
            spacing=0,
        ),
        on_change=lambda e: on_change(e.control.value),
    )
    return ft.Column([body(t("field.language")), group], spacing=4)


def set_language_choice(column: ft.Column, language: Language | None) -> None:
    group = column.controls[1]
    assert isinstance(group, ft.RadioGroup)
    group.value = language
