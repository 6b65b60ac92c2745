"""The dispatcher runs handlers and records outcomes; failures never lose an entry."""

from __future__ import annotations

import asyncio
import random
from typing import Any

import pytest

from cna_relay.db import Database
from cna_relay.outbox import OutboxStore, PermanentDeliveryError, RetryPolicy, TransientDeliveryError
from cna_relay.outbox.dispatcher import Dispatcher, DispatcherOptions, Handler
from cna_relay.outbox.errors import DeferDelivery
from cna_relay.outbox.store import ClaimedEntry
from tests.support.clock import FakeClock


@pytest.fixture
def store(db: Database, clock: FakeClock) -> OutboxStore:
    return OutboxStore(db, clock)


def dispatcher(
    store: OutboxStore, clock: FakeClock, handlers: dict[str, Handler], **options: Any
) -> Dispatcher:
    return Dispatcher(
        store,
        handlers,
        policy=RetryPolicy(base_s=10, cap_s=100, max_attempts=options.pop("max_attempts", 3)),
        clock=clock,
        options=DispatcherOptions(worker_id="test", lease_s=30, poll_interval_s=0.01, **options),
        rng=random.Random(0),
    )


async def enqueue(store: OutboxStore, db: Database, key: str, kind: str = "job", **options: Any) -> None:
    async with db.transaction() as session:
        await store.enqueue(session, kind=kind, dedupe_key=key, payload={"key": key}, **options)


async def test_success_records_the_handler_result(store: OutboxStore, db: Database, clock: FakeClock) -> None:
    seen: list[str] = []

    async def handle(entry: ClaimedEntry) -> dict[str, Any]:
        seen.append(entry.payload["key"])
        return {"ticket_id": 41}

    await enqueue(store, db, "a")
    assert await dispatcher(store, clock, {"job": handle}).drain() == 1
    [entry] = await store.entries()
    assert seen == ["a"] and entry.state == "sent" and entry.result == {"ticket_id": 41}


async def test_transient_failures_retry_until_success(
    store: OutboxStore, db: Database, clock: FakeClock
) -> None:
    calls = 0

    async def flaky(entry: ClaimedEntry) -> None:
        nonlocal calls
        calls += 1
        if calls < 3:
            raise TransientDeliveryError("InvGate answered 503", retry_after=30)

    await enqueue(store, db, "a")
    worker = dispatcher(store, clock, {"job": flaky}, max_attempts=5)
    await worker.drain()
    [entry] = await store.entries()
    assert entry.state == "pending" and entry.last_error == "TransientDeliveryError: InvGate answered 503"
    assert (entry.next_attempt_at - clock.now()).total_seconds() >= 30  # Retry-After honoured
    for _ in range(2):
        clock.advance(120)
        await worker.drain()
    [entry] = await store.entries()
    assert calls == 3 and entry.state == "sent" and entry.attempts == 3


async def test_permanent_failure_goes_dead_at_once(
    store: OutboxStore, db: Database, clock: FakeClock
) -> None:
    async def refuse(entry: ClaimedEntry) -> None:
        raise PermanentDeliveryError("InvGate 428: title is required")

    await enqueue(store, db, "a")
    await dispatcher(store, clock, {"job": refuse}).drain()
    [entry] = await store.entries()
    assert entry.state == "dead" and entry.attempts == 1 and "428" in (entry.last_error or "")


async def test_exhausting_attempts_goes_dead(store: OutboxStore, db: Database, clock: FakeClock) -> None:
    async def always_down(entry: ClaimedEntry) -> None:
        raise TransientDeliveryError("down")

    await enqueue(store, db, "a")
    worker = dispatcher(store, clock, {"job": always_down}, max_attempts=3)
    for _ in range(5):
        await worker.drain()
        clock.advance(1000)
    [entry] = await store.entries()
    assert entry.state == "dead" and entry.attempts == 3


async def test_an_unexpected_exception_is_retried_not_lost(
    store: OutboxStore, db: Database, clock: FakeClock
) -> None:
    async def buggy(entry: ClaimedEntry) -> None:
        raise KeyError("oops")

    await enqueue(store, db, "a")
    await dispatcher(store, clock, {"job": buggy}).drain()
    [entry] = await store.entries()
    assert entry.state == "pending" and "KeyError" in (entry.last_error or "")


async def test_deferral_keeps_attempts(store: OutboxStore, db: Database, clock: FakeClock) -> None:
    async def paced(entry: ClaimedEntry) -> None:
        raise DeferDelivery(12, "waiting for a ticket slot")

    await enqueue(store, db, "a")
    await dispatcher(store, clock, {"job": paced}).drain()
    [entry] = await store.entries()
    assert entry.state == "pending" and entry.attempts == 0
    assert (entry.next_attempt_at - clock.now()).total_seconds() == pytest.approx(12)


async def test_entries_of_unknown_kind_are_left_to_workers_that_know_them(
    store: OutboxStore, db: Database, clock: FakeClock
) -> None:
    await enqueue(store, db, "a", kind="future_kind")

    async def handle(entry: ClaimedEntry) -> None:
        return None

    assert await dispatcher(store, clock, {"job": handle}).drain() == 0
    [entry] = await store.entries()
    assert entry.state == "pending"


async def test_run_processes_concurrently_and_stops_cleanly(
    store: OutboxStore, db: Database, clock: FakeClock
) -> None:
    running = 0
    peak = 0
    done: list[str] = []

    async def slow(entry: ClaimedEntry) -> None:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.05)
        running -= 1
        done.append(entry.payload["key"])

    for number in range(6):
        await enqueue(store, db, f"job-{number}")
    worker = dispatcher(store, clock, {"job": slow}, concurrency=3)
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop))
    for _ in range(200):
        if len(done) == 6:
            break
        await asyncio.sleep(0.02)
    stop.set()
    await asyncio.wait_for(task, 5)
    assert sorted(done) == [f"job-{n}" for n in range(6)]
    assert peak > 1
    assert await store.counts() == {"sent": 6}


async def test_drain_is_one_pass_even_when_retries_are_due_at_once(
    store: OutboxStore, db: Database, clock: FakeClock
) -> None:
    calls = 0

    async def down(entry: ClaimedEntry) -> None:
        nonlocal calls
        calls += 1
        raise TransientDeliveryError("down", retry_after=0)

    await enqueue(store, db, "a")
    worker = Dispatcher(
        store,
        {"job": down},
        policy=RetryPolicy(base_s=0.0, cap_s=0.0, max_attempts=50),
        clock=clock,
        options=DispatcherOptions(worker_id="test", lease_s=30, poll_interval_s=0.01),
        rng=random.Random(0),
    )
    assert await worker.drain() == 1
    assert calls == 1
