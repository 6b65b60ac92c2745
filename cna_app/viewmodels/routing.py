"""Which screen a route shows, given the state: the guards of the app's navigation.

Guards redirect *in place*: the view for the guarded target is shown under the requested URL,
so the browser history never gets an entry that bounces the back button forward again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cna_app.viewmodels.navigation import Route, parse_route

if TYPE_CHECKING:
    from cna_app.viewmodels.shell import Shell

SIGNED_IN_ONLY = frozenset({Route.PROFILE, Route.PROFILE_EDIT, Route.REPORT, Route.REPORTS})
VERIFIED_ONLY = frozenset({Route.REPORT, Route.REPORTS})
SIGNED_OUT_ONLY = frozenset(
    {
        Route.LOGIN,
        Route.LOGIN_PASSWORD,
        Route.SIGNUP,
        Route.SIGNUP_PASSWORD,
        Route.SIGNUP_PROFILE,
        Route.RESET,
        Route.RESET_CODE,
    }
)
# Screens that only work by talking to the relay; in offline mode they say so instead.
NEEDS_RELAY = frozenset(
    {
        Route.LOGIN,
        Route.LOGIN_PASSWORD,
        Route.SIGNUP,
        Route.SIGNUP_PASSWORD,
        Route.SIGNUP_PROFILE,
        Route.SIGNUP_CODE,
        Route.RESET,
        Route.RESET_CODE,
        Route.PROFILE_EDIT,
    }
)
_MAX_REDIRECTS = 5


def screen_for(shell: Shell, raw_route: str) -> Route | None:
    """The route whose screen to show for `raw_route`, or None for "page not found"."""
    route = parse_route(raw_route)
    for _ in range(_MAX_REDIRECTS):
        if route is None:
            return None
        target = _guard(shell, route)
        if target is route:
            return route
        route = target
    return route


def _guard(shell: Shell, route: Route) -> Route:
    session = shell.session
    if route in SIGNED_IN_ONLY and not session.signed_in:
        shell.return_to = route
        return Route.LOGIN_PASSWORD if shell.login.email_accepted else Route.LOGIN
    account = session.account
    verified = account is not None and account["email_verified"]
    if route in VERIFIED_ONLY and account is not None and not verified:
        shell.signup.enter_verification(account["email"])
        return Route.SIGNUP_CODE
    if session.signed_in and (route in SIGNED_OUT_ONLY or (route is Route.SIGNUP_CODE and verified)):
        return Route.REPORT
    return _step_guard(shell, route)


def _step_guard(shell: Shell, route: Route) -> Route:
    if route is Route.LOGIN_PASSWORD and not shell.login.email_accepted:
        return Route.LOGIN
    if route in (Route.SIGNUP_PASSWORD, Route.SIGNUP_PROFILE, Route.SIGNUP_CODE) and not shell.signup.allows(
        route
    ):
        return Route.SIGNUP_PASSWORD if shell.signup.allows(Route.SIGNUP_PASSWORD) else Route.SIGNUP
    if route is Route.RESET_CODE and not shell.reset.allows(route):
        return Route.RESET
    if route is Route.PROFILE_EDIT:
        shell.profile.start_edit()
        if shell.profile.draft is None:
            return Route.PROFILE
    return route


def needs_connection(shell: Shell, route: Route) -> bool:
    """Whether `route`'s screen must say "this needs a connection" instead of showing itself."""
    if not shell.offline:
        return False
    if route in NEEDS_RELAY:
        return True
    # Offline, the report screens run on the device's copy of the account; without one the app
    # cannot tell whose drafts and waiting reports these would be.
    return route in VERIFIED_ONLY and shell.session.account is None
