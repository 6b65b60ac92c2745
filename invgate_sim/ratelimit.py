"""Per-minute rate limits per `METHOD endpoint`, plus the whole-API budget under the key "*"."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Mapping

from invgate_sim.config import Clock

WINDOW_SECONDS = 60.0


class RateLimiter:
    """A rolling one-minute window on the simulator's clock; `limits=None` switches limiting off."""

    def __init__(self, limits: Mapping[str, int] | None, clock: Clock) -> None:
        self._limits = dict(limits or {})
        self._clock = clock
        self._calls: dict[str, deque[float]] = {}

    def acquire(self, method: str, endpoint: str) -> float | None:
        """Record the call and return None, or return the seconds to wait when a limit is reached."""
        now = self._clock()
        keys = [key for key in ("*", f"{method} {endpoint}") if key in self._limits]
        waits = [wait for key in keys if (wait := self._wait(key, now)) is not None]
        if waits:
            return max(waits)
        for key in keys:
            self._calls.setdefault(key, deque()).append(now)
        return None

    def _wait(self, key: str, now: float) -> float | None:
        calls = self._calls.setdefault(key, deque())
        while calls and calls[0] <= now - WINDOW_SECONDS:
            calls.popleft()
        if len(calls) < self._limits[key]:
            return None
        return max(1.0, math.ceil(calls[0] + WINDOW_SECONDS - now))

    def reset(self) -> None:
        self._calls.clear()
