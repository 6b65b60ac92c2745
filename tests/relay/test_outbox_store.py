"""The outbox table's claim/finish rules, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from cna_relay.db import Database
from cna_relay.outbox import OutboxState, OutboxStore
from tests.support.clock import FakeClock


async def enqueue(store: OutboxStore, db: Database, key: str, **options: object) -> bool:
    async with db.transaction() as session:
        return await store.enqueue(
            session,
            kind=str(options.pop("kind", "noop")),
            dedupe_key=key,
            payload={"key": key},
            **options,  # type: ignore[arg-type]
        )


@pytest.fixture
def store(db: Database, clock: FakeClock) -> OutboxStore:
    return OutboxStore(db, clock)


async def test_enqueueing_the_same_job_twice_keeps_one_entry(store: OutboxStore, db: Database) -> None:
    assert await enqueue(store, db, "job-1") is True
    assert await enqueue(store, db, "job-1") is False
    assert await store.counts() == {"pending": 1}


async def test_claim_takes_due_entries_only(store: OutboxStore, db: Database, clock: FakeClock) -> None:
    await enqueue(store, db, "later", delay_s=60)
    assert await store.claim("w1", lease_s=30) is None
    clock.advance(61)
    claimed = await store.claim("w1", lease_s=30)
    assert claimed is not None and claimed.dedupe_key == "later"
    assert claimed.attempts == 1 and claimed.payload == {"key": "later"}
    assert await store.claim("w2", lease_s=30) is None


async def test_claim_order_is_oldest_due_first(store: OutboxStore, db: Database, clock: FakeClock) -> None:
    await enqueue(store, db, "second", delay_s=5)
    await enqueue(store, db, "first")
    clock.advance(10)
    first = await store.claim("w", lease_s=30)
    second = await store.claim("w", lease_s=30)
    assert (first and first.dedupe_key, second and second.dedupe_key) == ("first", "second")


async def test_a_lapsed_lease_lets_another_worker_take_over(
    store: OutboxStore, db: Database, clock: FakeClock
) -> None:
    await enqueue(store, db, "job")
    crashed = await store.claim("crashed-worker", lease_s=30)
    assert crashed is not None
    clock.advance(29)
    assert await store.claim("w2", lease_s=30) is None
    clock.advance(2)
    rescued = await store.claim("w2", lease_s=30)
    assert rescued is not None and rescued.id == crashed.id and rescued.attempts == 2
    # The crashed worker's late answer must not overwrite the new owner's work.
    assert await store.complete(crashed) is False
    assert await store.complete(rescued, {"ticket": 7}) is True
    entry = await store.get(rescued.id)
    assert entry is not None and entry.state == OutboxState.SENT and entry.result == {"ticket": 7}


async def test_entries_sharing_a_lock_key_never_run_together(store: OutboxStore, db: Database) -> None:
    await enqueue(store, db, "a1", lock_key="customer:1")
    await enqueue(store, db, "a2", lock_key="customer:1")
    await enqueue(store, db, "b1", lock_key="customer:2")
    first = await store.claim("w", lease_s=30)
    second = await store.claim("w", lease_s=30)
    assert first is not None and second is not None
    assert {first.dedupe_key, second.dedupe_key} == {"a1", "b1"}
    assert await store.claim("w", lease_s=30) is None
    await store.complete(first)
    third = await store.claim("w", lease_s=30)
    assert third is not None and third.dedupe_key == "a2"


async def test_transient_failure_schedules_retry_and_permanent_goes_dead(
    store: OutboxStore, db: Database, clock: FakeClock
) -> None:
    await enqueue(store, db, "job")
    claimed = await store.claim("w", lease_s=30)
    assert claimed is not None
    assert await store.fail(claimed, "InvGate 503", retry_at=clock.now() + timedelta(seconds=20)) == "pending"
    assert await store.claim("w", lease_s=30) is None
    clock.advance(20)
    again = await store.claim("w", lease_s=30)
    assert again is not None and again.attempts == 2
    assert await store.fail(again, "InvGate 428 missing title", retry_at=None) == "dead"
    entry = await store.get(again.id)
    assert entry is not None and entry.state == "dead" and entry.last_error == "InvGate 428 missing title"
    assert entry.lease_owner is None


async def test_deferral_does_not_spend_an_attempt(store: OutboxStore, db: Database, clock: FakeClock) -> None:
    await enqueue(store, db, "job")
    claimed = await store.claim("w", lease_s=30)
    assert claimed is not None
    await store.defer(claimed, delay_s=5, reason="pacing")
    clock.advance(5)
    again = await store.claim("w", lease_s=30)
    assert again is not None and again.attempts == 1


async def test_operator_retry_revives_dead_entries(store: OutboxStore, db: Database) -> None:
    await enqueue(store, db, "one")
    await enqueue(store, db, "two")
    for _ in range(2):
        claimed = await store.claim("w", lease_s=30)
        assert claimed is not None
        await store.fail(claimed, "permanent", retry_at=None)
    assert await store.counts() == {"dead": 2}
    dead = await store.entries(states=["dead"])
    assert await store.retry([dead[0].id]) == 1
    assert await store.counts() == {"dead": 1, "pending": 1}
    assert await store.retry() == 1
    revived = await store.claim("w", lease_s=30)
    assert revived is not None and revived.attempts == 1


async def test_concurrent_claimers_never_share_an_entry(store: OutboxStore, db: Database) -> None:
    for number in range(12):
        await enqueue(store, db, f"job-{number}")

    async def claim_all(worker: str) -> list[int]:
        taken = []
        while (entry := await store.claim(worker, lease_s=30)) is not None:
            taken.append(entry.id)
        return taken

    results = await asyncio.gather(*(claim_all(f"w{n}") for n in range(4)))
    ids = [entry_id for taken in results for entry_id in taken]
    assert len(ids) == 12 and len(set(ids)) == 12
