"""`Router`: from the page's route and the shell's state to `page.views`.

The route is the single source of truth: deep links and the browser's back and forward buttons
arrive as route changes; the view stack follows `stack_for(route)` so the app bar's back arrow
walks back through the flow. View-model changes refresh the screens in place; a language or
phase change rebuilds them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

import flet as ft

from cna_app.i18n import FLUTTER_LOCALES, LANGUAGES
from cna_app.palette import DEFAULT_BRAND
from cna_app.viewmodels.navigation import Route, stack_for
from cna_app.viewmodels.routing import needs_connection, screen_for
from cna_app.viewmodels.shell import Phase, Shell
from cna_app.views.chrome import app_bar
from cna_app.views.screens.base import Screen, ViewContext
from cna_app.views.screens.login import LoginEmailScreen, LoginPasswordScreen
from cna_app.views.screens.offline import NeedsConnectionScreen, OfflineBanner
from cna_app.views.screens.profile import ProfileEditScreen, ProfileScreen
from cna_app.views.screens.report import ReportScreen
from cna_app.views.screens.reports import ReportsScreen
from cna_app.views.screens.reset import ResetCodeScreen, ResetEmailScreen
from cna_app.views.screens.signup import (
    SignUpCodeScreen,
    SignUpEmailScreen,
    SignUpPasswordScreen,
    SignUpProfileScreen,
)
from cna_app.views.screens.simple import NotFoundScreen, StartingScreen, UnreachableScreen
from cna_app.views.screens.start import StartScreen
from cna_app.views.theme import apply_theme
from cna_app.views.widgets import Banner, form_column

SCREENS: dict[Route, type[Screen]] = {
    Route.START: StartScreen,
    Route.LOGIN: LoginEmailScreen,
    Route.LOGIN_PASSWORD: LoginPasswordScreen,
    Route.SIGNUP: SignUpEmailScreen,
    Route.SIGNUP_PASSWORD: SignUpPasswordScreen,
    Route.SIGNUP_PROFILE: SignUpProfileScreen,
    Route.SIGNUP_CODE: SignUpCodeScreen,
    Route.RESET: ResetEmailScreen,
    Route.RESET_CODE: ResetCodeScreen,
    Route.PROFILE: ProfileScreen,
    Route.PROFILE_EDIT: ProfileEditScreen,
    Route.REPORT: ReportScreen,
    Route.REPORTS: ReportsScreen,
}
logger = logging.getLogger(__name__)
Plan = list[tuple[str, type[Screen]]]

if TYPE_CHECKING:
    from cna_app.adapters.files import FileIntake


class Router:
    def __init__(self, page: ft.Page, shell: Shell, *, files: FileIntake | None = None) -> None:
        self.page = page
        self.shell = shell
        self.files = files
        self.route = page.route or "/"
        self.screens: list[Screen] = []
        self._banners: list[OfflineBanner] = []
        self._planned_offline = shell.offline
        self._rendering = False
        self._themed_for: str | None = None
        self._unsubscribe: Callable[[], None] = shell.changes.subscribe(self._on_change)
        page.on_route_change = self._on_route_change
        page.on_view_pop = self._on_view_pop

    def close(self) -> None:
        self._unsubscribe()

    # ---- rendering -----------------------------------------------------------------------

    def render(self, route: str | None = None) -> None:
        """Rebuild the view stack for `route` (default: the current one)."""
        self.route = route or self.route
        self._rendering = True
        try:
            self._apply_look()
            ctx = ViewContext(
                self.shell,
                show_dialog=self.page.show_dialog,
                close_dialog=self.page.pop_dialog,
                files=self.files,
                run_task=self.page.run_task,
            )
            self.screens, self._banners = [], []
            self._planned_offline = self.shell.offline
            self.page.views.clear()
            for view_route, screen_type in self._plan(self.route):
                screen = screen_type(ctx)
                self.screens.append(screen)
                self.page.views.append(self._view(view_route, screen))
            self._refresh_screens()
        finally:
            self._rendering = False
        self.page.update()
        self._start_screen_work()

    def _plan(self, raw_route: str) -> Plan:
        phase = self.shell.phase
        if phase is Phase.STARTING:
            return [(raw_route, StartingScreen)]
        if phase is Phase.UNREACHABLE:
            return [(raw_route, UnreachableScreen)]
        target = screen_for(self.shell, raw_route)
        if target is None:
            return [(Route.START.value, StartScreen), (raw_route, NotFoundScreen)]
        return [
            (route.value, NeedsConnectionScreen if needs_connection(self.shell, route) else SCREENS[route])
            for route in stack_for(target)
        ]

    def _view(self, route: str, screen: Screen) -> ft.View:
        content = screen.build()
        if self.shell.session.signed_in and not self.shell.session.durable:
            notice = Banner("memory-session-notice")
            notice.show(self.shell.translator("notice.memory_session"))
            content = [notice.control, *content]
        if self.shell.phase is Phase.READY:
            offline = OfflineBanner(self.shell.translator)
            self._banners.append(offline)
            content = [offline.control, *content]
        return ft.View(
            route=route,
            appbar=app_bar(self.shell),
            controls=[form_column(content)],
            scroll=ft.ScrollMode.AUTO,
            horizontal_alignment=ft.CrossAxisAlignment.CENTER,
            padding=0,
        )

    def _apply_look(self) -> None:
        shell = self.shell
        brand = shell.config.brand_color if shell.config else DEFAULT_BRAND
        if brand != self._themed_for:
            apply_theme(self.page, brand)
            self._themed_for = brand
        t = shell.translator
        self.page.title = t("app.title", municipality=shell.config.municipality_name if shell.config else "")
        self.page.locale_configuration = ft.LocaleConfiguration(
            supported_locales=[ft.Locale(*FLUTTER_LOCALES[lang]) for lang in LANGUAGES],
            current_locale=ft.Locale(*FLUTTER_LOCALES[shell.language]),
        )

    def _refresh_screens(self) -> None:
        for banner in self._banners:
            banner.show(self.shell.offline)
        for screen in self.screens:
            screen.refresh()
        message = self.shell.take_flash()
        if message is not None:
            self.page.show_dialog(ft.SnackBar(ft.Text(message.render(self.shell.translator)), key="flash"))

    def _start_screen_work(self) -> None:
        if not self.screens:
            return
        work = self.screens[-1].on_show()
        if work is not None:
            self.page.run_task(work)

    def _plan_changed(self) -> bool:
        """Back online: screens that stood in for "needs a connection" give way to the real ones;
        every other screen stays as it is (only the banner goes)."""
        if self._planned_offline == self.shell.offline:
            return False
        self._planned_offline = self.shell.offline
        return [kind for _, kind in self._plan(self.route)] != [type(s) for s in self.screens]

    # ---- events --------------------------------------------------------------------------

    def _on_change(self, rebuild: bool) -> None:
        if self._rendering:
            return
        if rebuild or self._plan_changed():
            self.render()
            return
        self._refresh_screens()
        self.page.update()

    def _on_route_change(self, e: ft.RouteChangeEvent) -> None:
        self.render(e.route)

    def _on_view_pop(self, e: ft.ViewPopEvent) -> None:
        if len(self.page.views) > 1:
            self.shell.nav.go(self.page.views[-2].route)
