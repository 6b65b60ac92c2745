"""`Navigator` on a Flet page: a new route goes through the browser history (so back works);
going to the route already shown re-renders it in place, because Flet drops a route change to
the current route."""

from __future__ import annotations

from collections.abc import Callable

import flet as ft


class PageNavigator:
    def __init__(self, page: ft.Page, *, render: Callable[[str], None]) -> None:
        self._page = page
        self._render = render

    def go(self, route: str) -> None:
        if route == self._page.route.split("?", 1)[0]:
            self._render(route)
            return
        self._page.navigate(route)
