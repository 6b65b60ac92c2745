"""Every fault the simulator can inject turns into the right transient error, and the client
recovers as soon as the fault is gone (it never retries on its own)."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from cna_relay.invgate import (
    InvGateClient,
    InvGateConnectionError,
    InvGateRateLimited,
    InvGateTimeout,
    InvGateTransientError,
    InvGateUnavailable,
    Timeouts,
    User,
)
from invgate_sim import SimConfig, Simulator, create_app

from .support import basic_credentials, citizen, in_process_client, make_ticket


@pytest.mark.parametrize(
    ("status", "error_class"),
    [(500, InvGateUnavailable), (503, InvGateUnavailable), (429, InvGateRateLimited)],
)
async def test_fail_next_gives_a_transient_error_once(
    client: InvGateClient,
    sim: Simulator,
    customer: User,
    status: int,
    error_class: type[InvGateTransientError],
) -> None:
    sim.faults.fail_next(1, status=status, endpoint="incident", method="POST")

    with pytest.raises(error_class) as caught:
        await client.create_ticket(make_ticket(customer.id))

    assert caught.value.status_code == status
    assert sim.tickets == {}  # the failure happened before any work
    ref = await client.create_ticket(make_ticket(customer.id))  # the outbox's retry succeeds
    assert list(sim.tickets) == [ref.id]
    assert [r.status for r in sim.requests_to("incident", "POST")] == [status, 200]


async def test_fail_next_counts_down_and_matches_only_its_endpoint(
    client: InvGateClient, sim: Simulator, customer: User
) -> None:
    sim.faults.fail_next(2, status=502, endpoint="helpdesks")

    assert await client.categories()  # another endpoint is not affected
    for _ in range(2):
        with pytest.raises(InvGateUnavailable):
            await client.helpdesks()
    assert await client.helpdesks()


async def test_rate_limit_carries_retry_after_from_invgate() -> None:
    config = SimConfig(api_key="k", rate_limits={"POST incident": 2})
    app = create_app(config)
    async with in_process_client(app, basic_credentials(config)) as client:
        resident = await client.create_external_user(citizen())
        for _ in range(2):
            await client.create_ticket(make_ticket(resident.id))
        with pytest.raises(InvGateRateLimited) as caught:
            await client.create_ticket(make_ticket(resident.id))
    assert caught.value.retry_after is not None and 0 <= caught.value.retry_after <= 60
    assert len(app.state.sim.tickets) == 2


async def test_rate_limit_without_retry_after_leaves_it_to_the_caller() -> None:
    config = SimConfig(api_key="k", rate_limits={"GET helpdesks": 1}, retry_after_header=False)
    app = create_app(config)
    async with in_process_client(app, basic_credentials(config)) as client:
        await client.helpdesks()
        with pytest.raises(InvGateRateLimited) as caught:
            await client.helpdesks()
    assert caught.value.retry_after is None


async def test_latency_beyond_the_deadline_is_a_timeout(sim_app: FastAPI, sim: Simulator) -> None:
    sim.faults.add_latency(3.0, endpoint="helpdesks")
    quick = Timeouts(connect=1, read=1, write=1, pool=1, total=0.2)
    async with in_process_client(sim_app, basic_credentials(sim.config), timeouts=quick) as client:
        with pytest.raises(InvGateTimeout, match=r"deadline 0\.2 s"):
            await client.helpdesks()
        assert await client.categories()  # other endpoints are not slowed down


async def test_reply_dropped_after_commit_is_transient_but_the_ticket_exists(
    client: InvGateClient, sim: Simulator, customer: User
) -> None:
    sim.faults.drop_reply_after_commit(1, endpoint="incident", method="POST")
    ticket = make_ticket(customer.id, title="Melding CNA-2026-000777")

    with pytest.raises(InvGateConnectionError) as caught:
        await client.create_ticket(ticket)

    assert isinstance(caught.value, InvGateTransientError)
    assert len(sim.tickets) == 1  # committed although the caller never heard of it
    # How the relay avoids a duplicate: look for its reference before creating again.
    found = await client.find_open_ticket(customer.id, title_contains="CNA-2026-000777")
    assert found is not None and found.id in sim.tickets


async def test_outage_answers_every_call_with_503_until_it_ends(
    client: InvGateClient, sim: Simulator, customer: User
) -> None:
    sim.faults.outage(120)
    calls = (
        lambda: client.helpdesks(),
        lambda: client.get_user(customer.id),
        lambda: client.create_ticket(make_ticket(customer.id)),
    )
    for call in calls:
        with pytest.raises(InvGateUnavailable):
            await call()
    sim.advance_clock(121)
    assert await client.helpdesks()
    assert sim.tickets == {}


async def test_faults_cleared_means_service_as_usual(client: InvGateClient, sim: Simulator) -> None:
    sim.faults.fail_next(5, status=503)
    sim.faults.add_latency(5)
    sim.faults.clear()
    assert await client.helpdesks()
