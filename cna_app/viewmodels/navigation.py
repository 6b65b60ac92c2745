"""Routes of the app and the `Navigator` port view models use to move between them.

Routes are Dutch, like the product (`/aanmelden`); they are identifiers, not text, and stay the
same in every language so links in e-mails keep working.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final, Protocol


class Route(StrEnum):
    START = "/"
    LOGIN = "/aanmelden"
    LOGIN_PASSWORD = "/aanmelden/wachtwoord"  # noqa: S105 - a route, not a password
    SIGNUP = "/registreren"
    SIGNUP_PASSWORD = "/registreren/wachtwoord"  # noqa: S105 - a route, not a password
    SIGNUP_PROFILE = "/registreren/gegevens"
    SIGNUP_CODE = "/registreren/code"
    RESET = "/wachtwoord-vergeten"
    RESET_CODE = "/wachtwoord-vergeten/code"
    PROFILE = "/profiel"
    PROFILE_EDIT = "/profiel/bewerken"
    REPORT = "/melding"
    REPORTS = "/meldingen"


# The screen below each one, so the back arrow and the view stack follow the flow.
PARENT: Final[dict[Route, Route]] = {
    Route.LOGIN: Route.START,
    Route.LOGIN_PASSWORD: Route.LOGIN,
    Route.SIGNUP: Route.LOGIN,
    Route.SIGNUP_PASSWORD: Route.SIGNUP,
    Route.SIGNUP_PROFILE: Route.SIGNUP_PASSWORD,
    Route.SIGNUP_CODE: Route.START,
    Route.RESET: Route.LOGIN,
    Route.RESET_CODE: Route.RESET,
    Route.PROFILE: Route.START,
    Route.PROFILE_EDIT: Route.PROFILE,
    Route.REPORT: Route.START,
    Route.REPORTS: Route.START,
}
_MAX_ROUTE = 200


class Navigator(Protocol):
    """Moves the app to another route (the browser's address bar follows)."""

    def go(self, route: str) -> None: ...


def parse_route(raw: str) -> Route | None:
    """The app route `raw` names, ignoring the query, a trailing slash and letter case."""
    path = raw.split("?", 1)[0].split("#", 1)[0]
    if len(path) > _MAX_ROUTE:
        return None
    path = path.rstrip("/").lower() or "/"
    try:
        return Route(path)
    except ValueError:
        return None


def stack_for(route: Route) -> list[Route]:
    """The routes from the start screen up to `route`, for the view stack."""
    chain = [route]
    while chain[-1] in PARENT:
        chain.append(PARENT[chain[-1]])
    return list(reversed(chain))
