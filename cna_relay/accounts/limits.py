"""Abuse limits of the account endpoints, per address (or account) and per client IP.

Per-IP limits are generous: a town hall's Wi-Fi or a mobile carrier's NAT puts many citizens
behind one address. Per-address limits are what stops guessing. The subject of an address limit
is the normalised e-mail whether or not an account exists, so a 429 reveals nothing either.
"""

from __future__ import annotations

from cna_relay.context import RelayContext
from cna_relay.problems import RateLimited
from cna_relay.ratelimit import Limit

_QUARTER = 15 * 60
_HOUR = 60 * 60

LOGIN_PER_ADDRESS = Limit("login:address", 10, _QUARTER)
LOGIN_PER_IP = Limit("login:ip", 100, _QUARTER)
SIGNUP_PER_ADDRESS = Limit("signup:address", 5, _HOUR)
SIGNUP_PER_IP = Limit("signup:ip", 30, _HOUR)
CODE_PER_ADDRESS = Limit("code:address", 10, _QUARTER)
CODE_PER_IP = Limit("code:ip", 60, _QUARTER)
RESEND_PER_ADDRESS = Limit("resend:address", 5, _HOUR)
RESEND_PER_IP = Limit("resend:ip", 30, _HOUR)
RESET_PER_ADDRESS = Limit("reset:address", 5, _HOUR)
RESET_PER_IP = Limit("reset:ip", 30, _HOUR)
# Re-entering the current password (change, delete) with a stolen access token.
PASSWORD_PER_ACCOUNT = Limit("password:account", 10, _QUARTER)


def resend_cooldown(context: RelayContext) -> Limit:
    """One code mail per address per cool-down window (fixed window: at worst two close together)."""
    return Limit("resend:cooldown", 1, context.settings.resend_cooldown_s)


async def enforce(context: RelayContext, *checks: tuple[Limit, str]) -> None:
    """Count one attempt against each limit; 429 `rate_limited` with `Retry-After` on the first
    that is exceeded."""
    for limit, subject in checks:
        wait = await context.limiter.hit(limit, subject)
        if wait is not None:
            raise RateLimited(wait)
