"""The `Simulator`: one InvGate instance's state plus the test hooks (faults, request log, mails)."""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass, field
from typing import Any

from invgate_sim import workflow
from invgate_sim.config import SimConfig
from invgate_sim.faults import FaultInjector
from invgate_sim.mail.notifier import MailRecord, Notifier
from invgate_sim.mail.rules import MailEvent, merge_rules, parse_event
from invgate_sim.models import Approval, Attachment, Comment, Helpdesk, Ticket, User
from invgate_sim.ratelimit import RateLimiter
from invgate_sim.store import Store, load_store


@dataclass
class LoggedRequest:
    """One call as the API saw it. `params` holds arrays as lists; `files` the uploaded file names."""

    method: str
    endpoint: str
    params: dict[str, str | list[str]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    status: int = 0
    at: float = 0.0
    query_keys: list[str] = field(default_factory=list)
    body_kind: str = "none"
    auth: str = "none"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class AccessToken:
    client_id: str
    scopes: frozenset[str]
    expires_at: float


class Simulator:
    """Everything a test may inspect or steer. Build it through `create_app`; reach it as `app.state.sim`."""

    def __init__(self, config: SimConfig) -> None:
        self.config = config
        self._clock_offset = 0.0
        self.faults = FaultInjector(self.now)
        self.rate_limiter = RateLimiter(config.rate_limits, self.now)
        self.request_log: list[LoggedRequest] = []
        self.mails_sent: list[MailRecord] = []
        self.notifications: dict[MailEvent, bool] = merge_rules(config.notifications)
        self.tokens: dict[str, AccessToken] = {}
        self.store: Store = load_store(config.seed_path)
        self.notifier = Notifier(self)

    # ---- time --------------------------------------------------------------------------------

    def now(self) -> float:
        return self.config.clock() + self._clock_offset

    def advance_clock(self, seconds: float) -> None:
        """Move simulator time forward (ages tickets, ends outages and rate windows)."""
        if seconds < 0:
            raise ValueError("time only moves forward")
        self._clock_offset += seconds
        self.apply_timeouts()

    def apply_timeouts(self) -> None:
        now = self.now()
        for ticket in self.store.tickets.values():
            workflow.expire(
                ticket,
                now,
                solution_after=self.config.solution_expiry_seconds,
                waiting_after=self.config.waiting_customer_timeout_seconds,
            )

    # ---- control -----------------------------------------------------------------------------

    def reset(self) -> None:
        """Back to the seed: data, request log, mails, faults, rate windows, tokens and mail rules."""
        self.store = load_store(self.config.seed_path)
        self.request_log.clear()
        self.mails_sent.clear()
        self.faults.clear()
        self.rate_limiter.reset()
        self.tokens.clear()
        self.notifications = merge_rules(self.config.notifications)

    def set_notification(self, event: str, send: bool) -> None:
        self.notifications[parse_event(event)] = send

    def issue_token(self, client_id: str, scopes: frozenset[str]) -> str:
        token = secrets.token_urlsafe(32)
        self.tokens[token] = AccessToken(client_id, scopes, self.now() + self.config.oauth_token_ttl)
        return token

    def requests_to(self, endpoint: str, method: str | None = None) -> list[LoggedRequest]:
        return [
            entry
            for entry in self.request_log
            if entry.endpoint == endpoint and (method is None or entry.method == method.upper())
        ]

    # ---- read access for assertions ----------------------------------------------------------

    @property
    def tickets(self) -> dict[int, Ticket]:
        return self.store.tickets

    @property
    def users(self) -> dict[int, User]:
        return self.store.users

    @property
    def comments(self) -> dict[int, Comment]:
        return self.store.comments

    @property
    def attachments(self) -> dict[int, Attachment]:
        return self.store.attachments

    @property
    def approvals(self) -> dict[int, Approval]:
        return self.store.approvals

    @property
    def helpdesks(self) -> dict[int, Helpdesk]:
        return self.store.helpdesks

    @property
    def integration_agent(self) -> User:
        return self.store.users[self.store.integration_agent_id]
