"""When to try again: exponential backoff with jitter, capped, with a maximum number of attempts.

Pure: the caller passes the clock reading and the random source, so the schedule is tested
without sleeping.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    base_s: float = 2.0
    cap_s: float = 900.0
    max_attempts: int = 12

    def delay_s(self, attempts: int, *, rng: random.Random, retry_after: float | None = None) -> float:
        """Seconds to wait after the `attempts`-th failed attempt (1-based).

        "Equal jitter": half the exponential step is fixed, half random, so retries of a burst
        spread out without ever collapsing to zero. A server's `Retry-After` is a floor.
        """
        step = min(self.cap_s, self.base_s * 2.0 ** max(0, attempts - 1))
        delay = step / 2 + rng.uniform(0, step / 2)
        if retry_after is not None:
            delay = max(delay, retry_after)
        return delay

    def next_attempt_at(
        self, attempts: int, now: datetime, *, rng: random.Random, retry_after: float | None = None
    ) -> datetime | None:
        """When to try again after `attempts` failures, or None when the entry should go dead."""
        if attempts >= self.max_attempts:
            return None
        return now + timedelta(seconds=self.delay_s(attempts, rng=rng, retry_after=retry_after))
