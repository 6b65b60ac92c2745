"""Settings of one simulated InvGate instance.

Where the reference (`shared/reference/invgate-api.md`, section 10) marks a behaviour as unknown, it is a
field here with the documented or most conservative default, so tests can pin either variant.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

Clock = Callable[[], float]

# Per-minute limits of the Pro plan (reference section 1, LIMITS). "*" is the whole-API budget.
# `POST user` is limited too, but its number was cut off in our copy, so it is not enforced by default.
PRO_PLAN_RATE_LIMITS: Mapping[str, int] = {
    "*": 1000,
    "POST incident": 100,
    "PUT incident": 100,
    "GET incident": 150,
    "GET incidents": 75,
}

DAY = 24 * 3600


@dataclass(frozen=True)
class OAuthClient:
    """Client credentials created in InvGate admin; `scopes=None` grants whatever is requested."""

    secret: str = field(repr=False)
    scopes: frozenset[str] | None = None


@dataclass(frozen=True)
class SimConfig:
    """Everything a simulator instance needs; build one per app (tests) or from the environment (CLI)."""

    api_user: str = "cna-api"
    api_key: str = field(default="cna-dev-key", repr=False)
    # Public address of the instance: ticket links in internal mails and attachment URLs use it.
    base_url: str = "http://127.0.0.1:8081"
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_timeout: float = 5.0
    mail_from: str = "Servicedesk Gemeente <servicedesk@gemeente.example>"
    instance_name: str = "Gemeente — Servicedesk"
    seed_path: Path | None = None
    rate_limits: Mapping[str, int] | None = field(default_factory=lambda: dict(PRO_PLAN_RATE_LIMITS))
    # Unknown whether InvGate sends Retry-After on 429; clients must cope with both.
    retry_after_header: bool = True
    oauth_clients: Mapping[str, OAuthClient] = field(default_factory=dict)
    oauth_token_ttl: int = 3600
    # One client saw bad client credentials answered with HTTP 200 and an `error` field.
    oauth_error_status: int = 200
    admin_enabled: bool = False
    # Event → send? Merged over `mail.rules.DEFAULT_RULES`; unknown events are refused.
    notifications: Mapping[str, bool] = field(default_factory=dict)
    html_encode_text: bool = True
    clock: Clock = time.time
    duplicate_email: Literal["refuse", "allow"] = "refuse"
    # The body of `user.by` when nothing matches is unknown; this JSON value is returned.
    user_by_not_found: object = False
    created_user_type: int = 1
    comment_default_customer_visible: bool = False
    description_required: bool = True
    solve_permission: bool = True
    request_id_as_string: bool = False
    pretty_id_format: str = "#{id}"
    solution_expiry_seconds: float | None = 7 * DAY
    waiting_customer_timeout_seconds: float | None = 7 * DAY

    def with_changes(self, **changes: object) -> SimConfig:
        return replace(self, **changes)  # type: ignore[arg-type]


_ENV_PREFIX = "INVGATE_SIM_"
_TRUE = {"1", "true", "yes", "on"}


def config_from_env(
    overrides: Mapping[str, object] | None = None, *, environ: Mapping[str, str] | None = None
) -> SimConfig:
    """Read `INVGATE_SIM_*` variables; explicit overrides (CLI flags) win over the environment."""
    env = os.environ if environ is None else environ

    def get(name: str) -> str | None:
        return env.get(_ENV_PREFIX + name)

    values: dict[str, object] = {}
    for name, key in (("API_USER", "api_user"), ("API_KEY", "api_key"), ("BASE_URL", "base_url")):
        if (raw := get(name)) is not None:
            values[key] = raw
    if (raw := get("SMTP_HOST")) is not None:
        values["smtp_host"] = raw or None
    if (raw := get("SMTP_PORT")) is not None:
        values["smtp_port"] = int(raw)
    if (raw := get("MAIL_FROM")) is not None:
        values["mail_from"] = raw
    if (raw := get("SEED")) is not None:
        values["seed_path"] = Path(raw)
    if (raw := get("ADMIN")) is not None:
        values["admin_enabled"] = raw.strip().lower() in _TRUE
    if (raw := get("RATE_LIMITS")) is not None and raw.strip().lower() in {"0", "off", "false", "none"}:
        values["rate_limits"] = None
    values.update({key: value for key, value in (overrides or {}).items() if value is not None})
    return SimConfig(**values)  # type: ignore[arg-type]
