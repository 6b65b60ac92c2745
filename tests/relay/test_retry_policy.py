"""The pure retry schedule: exponential, jittered, capped, bounded."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from cna_relay.outbox import RetryPolicy

NOW = datetime(2026, 12, 3, tzinfo=UTC)


def test_delays_grow_exponentially_within_their_jitter_band() -> None:
    policy = RetryPolicy(base_s=2, cap_s=1000, max_attempts=10)
    rng = random.Random(1)
    for attempt in range(1, 8):
        step = 2 * 2 ** (attempt - 1)
        for _ in range(50):
            assert step / 2 <= policy.delay_s(attempt, rng=rng) <= step


def test_delay_is_capped() -> None:
    policy = RetryPolicy(base_s=2, cap_s=60, max_attempts=100)
    assert max(policy.delay_s(40, rng=random.Random(seed)) for seed in range(20)) <= 60


def test_retry_after_is_a_floor() -> None:
    policy = RetryPolicy(base_s=1, cap_s=10, max_attempts=5)
    assert policy.delay_s(1, rng=random.Random(0), retry_after=42) == 42


def test_gives_up_after_max_attempts() -> None:
    policy = RetryPolicy(base_s=1, cap_s=10, max_attempts=3)
    assert policy.next_attempt_at(2, NOW, rng=random.Random(0)) is not None
    assert policy.next_attempt_at(3, NOW, rng=random.Random(0)) is None


def test_jitter_spreads_a_burst() -> None:
    policy = RetryPolicy(base_s=4, cap_s=100, max_attempts=5)
    rng = random.Random(7)
    delays = {round(policy.delay_s(3, rng=rng), 3) for _ in range(30)}
    assert len(delays) > 20
