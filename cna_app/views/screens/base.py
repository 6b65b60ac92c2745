"""What every screen has: access to the shell and translator, and the build/refresh contract."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import flet as ft

from cna_app.i18n import Translator
from cna_app.viewmodels.forms import FormState
from cna_app.viewmodels.shell import Shell
from cna_app.views.widgets import Banner

if TYPE_CHECKING:
    from cna_app.adapters.files import FileIntake


@dataclass(frozen=True, slots=True)
class ViewContext:
    """The screen's window on the app: the shell, and dialogs (which belong to the page)."""

    shell: Shell
    show_dialog: Callable[[ft.DialogControl], None]
    close_dialog: Callable[[], object]
    # The report form's file chooser and paste target, and the page's task runner (map moves).
    files: FileIntake | None = None
    run_task: Callable[..., object] | None = None

    @property
    def t(self) -> Translator:
        return self.shell.translator


class Screen:
    """Builds its controls once (`build`), then `refresh` copies view-model state into them."""

    title_key = "app.title"

    def __init__(self, ctx: ViewContext) -> None:
        self.ctx = ctx
        self.t = ctx.t
        self.shell = ctx.shell

    def build(self) -> list[ft.Control]:
        raise NotImplementedError

    def refresh(self) -> None:
        """Copy state into controls; the router calls `page.update()` afterwards."""

    def on_show(self) -> Callable[[], Awaitable[None]] | None:
        """Work to start when the screen appears (loading data), run as a page task."""
        return None


def show_form(form: FormState, t: Translator, fields: dict[str, ft.TextField], banner: Banner) -> None:
    """Field errors next to their fields, the rest in the banner."""
    for name, field in fields.items():
        message = form.errors.get(name)
        field.error = message.render(t) if message else None
    banner.show(form.banner.render(t) if form.banner else None)


def set_value(field: ft.TextField, value: str) -> None:
    # Only write back what the view model changed (cleaned codes): an identical write would
    # still be a patch, and on some clients it moves the cursor.
    if (field.value or "") != value:
        field.value = value
