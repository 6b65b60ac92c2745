"""Fault injection: failed calls, slow replies, replies lost after the work was done, outages.

Faults match on the dotted endpoint name (and optionally the method); `None` matches every call.
They apply to `/api/v1/*` and the OAuth token endpoint, never to the board or the admin API.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field
from typing import Any

from invgate_sim.config import Clock


@dataclass
class _Failure:
    remaining: int
    status: int
    endpoint: str | None
    method: str | None


@dataclass
class _RandomFailure:
    rate: float
    status: int
    endpoint: str | None
    method: str | None
    rng: random.Random = field(repr=False, compare=False)


@dataclass
class _Latency:
    seconds: float
    endpoint: str | None


@dataclass
class _Drop:
    remaining: int
    endpoint: str | None
    method: str | None


def _matches(rule_endpoint: str | None, rule_method: str | None, endpoint: str, method: str) -> bool:
    return rule_endpoint in (None, endpoint) and (rule_method is None or rule_method.upper() == method)


class FaultInjector:
    """What the next calls should suffer; tests and the admin API arm it, the transport consults it."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._failures: list[_Failure] = []
        self._random_failures: list[_RandomFailure] = []
        self._latencies: list[_Latency] = []
        self._drops: list[_Drop] = []
        self._outage_until: float | None = None

    def fail_next(
        self, n: int = 1, status: int = 503, endpoint: str | None = None, method: str | None = None
    ) -> None:
        """Answer the next `n` matching calls with `status` without executing them."""
        if n < 1 or not 400 <= status <= 599:
            raise ValueError("fail_next needs n >= 1 and an error status between 400 and 599")
        self._failures.append(_Failure(n, status, endpoint, method))

    def fail_randomly(
        self,
        rate: float,
        status: int = 503,
        endpoint: str | None = None,
        method: str | None = None,
        seed: int | None = None,
    ) -> None:
        """Answer each matching call with `status` with probability `rate` until `clear()`.

        A `seed` makes the sequence of failures repeatable from run to run.
        """
        if not 0 < rate < 1 or not 400 <= status <= 599:
            raise ValueError("fail_randomly needs 0 < rate < 1 and an error status between 400 and 599")
        rng = random.Random(seed)  # noqa: S311 - fault injection, not cryptography
        self._random_failures.append(_RandomFailure(rate, status, endpoint, method, rng))

    def add_latency(self, seconds: float, endpoint: str | None = None) -> None:
        """Delay every matching call by `seconds` until `clear()`."""
        if not 0 <= seconds <= 600:
            raise ValueError("latency must be between 0 and 600 seconds")
        self._latencies.append(_Latency(seconds, endpoint))

    def drop_reply_after_commit(
        self, n: int = 1, endpoint: str | None = None, method: str | None = None
    ) -> None:
        """Execute the next `n` matching calls, then cut the connection instead of answering."""
        if n < 1:
            raise ValueError("drop_reply_after_commit needs n >= 1")
        self._drops.append(_Drop(n, endpoint, method))

    def outage(self, seconds: float) -> None:
        """Answer every call with 503 for `seconds` of simulator time from now."""
        if seconds <= 0:
            raise ValueError("an outage lasts a positive number of seconds")
        self.outage_until(self._clock() + seconds)

    def outage_until(self, timestamp: float) -> None:
        self._outage_until = timestamp

    def clear(self) -> None:
        self._failures.clear()
        self._random_failures.clear()
        self._latencies.clear()
        self._drops.clear()
        self._outage_until = None

    # ---- consulted by the transport ----------------------------------------------------------

    def in_outage(self) -> bool:
        return self._outage_until is not None and self._clock() < self._outage_until

    def latency_for(self, endpoint: str) -> float:
        return sum(rule.seconds for rule in self._latencies if rule.endpoint in (None, endpoint))

    def take_failure(self, endpoint: str, method: str) -> int | None:
        for rule in self._failures:
            if _matches(rule.endpoint, rule.method, endpoint, method):
                rule.remaining -= 1
                if rule.remaining == 0:
                    self._failures.remove(rule)
                return rule.status
        for chance in self._random_failures:
            if (
                _matches(chance.endpoint, chance.method, endpoint, method)
                and chance.rng.random() < chance.rate
            ):
                return chance.status
        return None

    def take_drop(self, endpoint: str, method: str) -> bool:
        for rule in self._drops:
            if _matches(rule.endpoint, rule.method, endpoint, method):
                rule.remaining -= 1
                if rule.remaining == 0:
                    self._drops.remove(rule)
                return True
        return False

    def describe(self) -> list[dict[str, Any]]:
        armed: list[dict[str, Any]] = [{"kind": "fail_next", **asdict(rule)} for rule in self._failures]
        armed += [
            {
                "kind": "fail_randomly",
                "rate": rule.rate,
                "status": rule.status,
                "endpoint": rule.endpoint,
                "method": rule.method,
            }
            for rule in self._random_failures
        ]
        armed += [{"kind": "latency", **asdict(rule)} for rule in self._latencies]
        armed += [{"kind": "drop_reply", **asdict(rule)} for rule in self._drops]
        if self.in_outage():
            armed.append({"kind": "outage", "until": self._outage_until})
        return armed
