"""The app bar every screen shares: the municipality's logo and name, the language switch and,
when signed in, the way to the profile."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import flet as ft

from cna_app.contract.wire import Language
from cna_app.i18n import Translator
from cna_app.viewmodels.navigation import Route
from cna_app.viewmodels.shell import Shell


def app_bar(shell: Shell) -> ft.AppBar:
    t = shell.translator
    actions: list[ft.Control] = [language_menu(shell)]
    if shell.session.signed_in:
        actions.append(profile_button(shell, t))
    return ft.AppBar(
        title=_title(shell, t),
        actions=actions,
        bgcolor=ft.Colors.PRIMARY,
        color=ft.Colors.ON_PRIMARY,
        actions_padding=ft.Padding.only(right=8),
    )


def profile_button(shell: Shell, t: Translator) -> ft.Control:
    """An icon button named for screen readers: on the web a tooltip names a wrapper node, not
    the button, so the button itself would be announced without a name."""

    def open_profile() -> None:
        shell.nav.go(Route.PROFILE)

    label = t("a11y.profile")
    return ft.Semantics(
        label=label,
        button=True,
        exclude_semantics=True,
        on_tap=open_profile,
        content=ft.IconButton(
            ft.Icons.ACCOUNT_CIRCLE,
            key="appbar-profile",
            tooltip=label,
            icon_color=ft.Colors.ON_PRIMARY,
            style=ft.ButtonStyle(padding=12),
            on_click=open_profile,
        ),
    )


def _title(shell: Shell, t: Translator) -> ft.Control:
    config = shell.config
    name = config.municipality_name if config else ""
    parts: list[ft.Control] = []
    if config and config.logo_url:
        parts.append(
            ft.Image(
                src=config.logo_url,
                height=32,
                semantics_label=t("a11y.logo", municipality=name),
                # A logo that fails to load simply leaves the name.
                error_content=ft.Container(width=0),
            )
        )
    parts.append(ft.Text(name, max_lines=1, overflow=ft.TextOverflow.ELLIPSIS, expand=True))
    return ft.Row(parts, spacing=12, tight=True)


def language_menu(shell: Shell) -> ft.PopupMenuButton:
    t = shell.translator
    current = t.self_name(shell.language)
    return ft.PopupMenuButton(
        key="language-menu",
        tooltip=t("a11y.language", language=current),
        # The padding sits on the content: PopupMenuButton ignores its own with custom content.
        content=ft.Container(
            padding=ft.Padding.symmetric(horizontal=12, vertical=12),
            content=ft.Row(
                [
                    ft.Icon(ft.Icons.LANGUAGE, color=ft.Colors.ON_PRIMARY),
                    ft.Text(shell.language.upper(), color=ft.Colors.ON_PRIMARY),
                ],
                spacing=6,
                tight=True,
            ),
        ),
        items=[
            ft.PopupMenuItem(
                key=f"language-{language}",
                content=ft.Text(t.self_name(language)),
                height=48,
                on_click=_choose(shell, language),
            )
            for language in shell.languages
        ],
    )


def _choose(shell: Shell, language: Language) -> Callable[[], Awaitable[None]]:
    async def choose() -> None:
        await shell.set_language(language)

    return choose
