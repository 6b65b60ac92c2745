"""One place where view models announce "something changed"; the view layer listens once."""

from __future__ import annotations

from collections.abc import Callable

Listener = Callable[[bool], None]


class Changes:
    """Listeners get `rebuild=True` when the whole screen must be rebuilt (language, phase),
    `False` when refreshing the controls in place is enough (typing, errors, busy)."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def notify(self, *, rebuild: bool = False) -> None:
        for listener in list(self._listeners):
            listener(rebuild)
