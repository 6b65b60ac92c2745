"""Housekeeping forgets old abuse counters and long-delivered outbox entries, never pending work."""

from __future__ import annotations

from datetime import timedelta

from cna_relay.housekeeping import HOUSEKEEPING, tidy
from cna_relay.periodic import schedule
from cna_relay.ratelimit import Limit
from tests.support.clock import FakeClock
from tests.support.relay_fixtures import RelayHarness

DAY = 24 * 3600.0


async def deliver(relay: RelayHarness, key: str, *, dead: bool = False) -> None:
    async with relay.context.db.transaction() as session:
        await relay.context.outbox.enqueue(session, kind="test_job", dedupe_key=key, payload={})
    entry = await relay.context.outbox.claim("w", lease_s=30, kinds=["test_job"])
    assert entry is not None and entry.dedupe_key == key
    if dead:
        await relay.context.outbox.fail(entry, "refused", retry_at=None)
    else:
        await relay.context.outbox.complete(entry)


async def test_old_counters_and_old_sent_entries_go_pending_and_dead_ones_stay(
    clocked_relay: RelayHarness, clock: FakeClock
) -> None:
    relay = clocked_relay
    limit = Limit("login-ip", hits=5, window_s=600)
    await relay.context.limiter.hit(limit, "10.0.0.1")
    await deliver(relay, "old-sent")
    await deliver(relay, "old-dead", dead=True)
    async with relay.context.db.transaction() as session:
        await relay.context.outbox.enqueue(
            session, kind="test_job", dedupe_key="waiting", payload={}, delay_s=100 * DAY
        )
    clock.advance(31 * DAY)
    await deliver(relay, "recent-sent")
    await relay.context.limiter.hit(limit, "10.0.0.2")

    result = await tidy(relay.context, clock.now())

    assert result == {"rate_counters_deleted": 1, "outbox_entries_deleted": 1}
    keys = {entry.dedupe_key for entry in await relay.context.outbox.entries(limit=100)}
    assert {"old-dead", "waiting", "recent-sent"} <= keys and "old-sent" not in keys
    # The counter of 10.0.0.1 is gone: that address starts afresh; 10.0.0.2 keeps its count.
    assert await relay.context.limiter.purge(clock.now() - timedelta(days=2)) == 0


async def test_housekeeping_runs_once_per_interval_through_the_outbox(
    clocked_relay: RelayHarness, clock: FakeClock
) -> None:
    relay = clocked_relay
    assert await schedule(relay.context, HOUSEKEEPING) is True
    assert await schedule(relay.context, HOUSEKEEPING) is False  # the same slot twice is one entry
    await relay.drain()
    first = await relay.context.outbox.entries(kind="housekeeping", limit=10)
    assert [entry.state for entry in first] == ["pending", "sent"]  # this slot ran, the next one waits
    assert first[1].result == {"rate_counters_deleted": 0, "outbox_entries_deleted": 0}
    await relay.drain()
    assert len(await relay.context.outbox.entries(kind="housekeeping", limit=10)) == 2  # not before its time
    clock.advance(relay.context.settings.housekeeping_interval_s)
    await relay.drain()
    states = [entry.state for entry in await relay.context.outbox.entries(kind="housekeeping", limit=10)]
    assert states == ["pending", "sent", "sent"]
