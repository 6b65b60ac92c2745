"""Shared pacing gates and abuse counters live in the database."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cna_relay.db import Database
from cna_relay.pacing import Pacer
from cna_relay.ratelimit import Limit, RateLimiter
from tests.support.clock import FakeClock


async def test_slots_are_spaced_by_the_interval(db: Database, clock: FakeClock) -> None:
    pacer = Pacer(db, clock)
    waits = [await pacer.reserve("invgate:incident", interval_s=1.2, max_wait_s=60) for _ in range(4)]
    assert waits == pytest.approx([0, 1.2, 2.4, 3.6])


async def test_a_slot_too_far_away_is_not_reserved(db: Database, clock: FakeClock) -> None:
    pacer = Pacer(db, clock)
    await pacer.reserve("gate", interval_s=10, max_wait_s=60)
    assert await pacer.reserve("gate", interval_s=10, max_wait_s=5) is None
    assert await pacer.seconds_until_free("gate") == pytest.approx(10)
    clock.advance(10)
    assert await pacer.reserve("gate", interval_s=10, max_wait_s=5) == 0


async def test_hold_until_pushes_every_user_back(db: Database, clock: FakeClock) -> None:
    pacer = Pacer(db, clock)
    await pacer.hold_until("gate", clock.now() + timedelta(seconds=30))
    assert await pacer.reserve("gate", interval_s=1, max_wait_s=60) == pytest.approx(30)
    await pacer.hold_until("gate", clock.now())  # never moves a gate backwards
    assert await pacer.seconds_until_free("gate") == pytest.approx(31)


async def test_rate_limit_counts_per_subject_and_window(db: Database, clock: FakeClock) -> None:
    limiter = RateLimiter(db, clock)
    login = Limit("login-ip", hits=3, window_s=60)
    results = [await limiter.hit(login, "10.0.0.1") for _ in range(4)]
    assert results[:3] == [None, None, None]
    assert results[3] is not None and 1 <= results[3] <= 60
    assert await limiter.hit(login, "10.0.0.2") is None
    clock.advance(61)
    assert await limiter.hit(login, "10.0.0.1") is None


async def test_reset_forgets_a_subject(db: Database, clock: FakeClock) -> None:
    limiter = RateLimiter(db, clock)
    limit = Limit("code", hits=1, window_s=600)
    await limiter.hit(limit, "a@example.be")
    assert await limiter.hit(limit, "a@example.be") is not None
    await limiter.reset(limit, "a@example.be")
    assert await limiter.hit(limit, "a@example.be") is None
