"""The client over a real TCP socket (uvicorn on a free port): httpx's own network transport,
its timeouts, and a connection that really breaks."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from cna_relay.invgate import (
    Attachment,
    InvGateAuthError,
    InvGateClient,
    InvGateConnectionError,
    InvGateTimeout,
    InvGateUnavailable,
    Secret,
    ServiceDesk,
    Timeouts,
)
from cna_relay.invgate.credentials import BasicCredentials
from tests.support.servers import free_port
from tests.support.sim_fixtures import SimServer

from .support import (
    INTEGRATION_AGENT_ID,
    ROADS_HELPDESK_ID,
    TEST_TIMEOUTS,
    basic_credentials,
    citizen,
    make_ticket,
)


@pytest.fixture
async def socket_client(sim_server: SimServer) -> AsyncIterator[InvGateClient]:
    async with InvGateClient(
        base_url=sim_server.api_url,
        credentials=basic_credentials(sim_server.sim.config),
        timeouts=TEST_TIMEOUTS,
    ) as client:
        yield client


async def test_the_relay_journey_over_a_socket(socket_client: InvGateClient, sim_server: SimServer) -> None:
    desk: ServiceDesk = socket_client  # the client is the relay's ServiceDesk
    assert isinstance(desk, ServiceDesk)
    customer = await desk.find_user_by_email("an.claes@example.be") or await desk.create_external_user(
        citizen("an.claes@example.be")
    )
    files = (
        Attachment("foto.jpg", b"\xff\xd8" + b"j" * 200_000, "image/jpeg"),
        Attachment("plan.pdf", b"%PDF-1.4"),
    )
    ref = await desk.create_ticket(make_ticket(customer.id, attachments=files))
    await desk.reassign_ticket(ref.id, author_id=INTEGRATION_AGENT_ID, helpdesk_id=ROADS_HELPDESK_ID)
    await desk.add_comment(ref.id, author_id=INTEGRATION_AGENT_ID, text="Bedankt!", customer_visible=True)

    ticket = await desk.get_ticket(ref.id, with_comments=True)

    assert ticket.customer_id == customer.id and ticket.helpdesk_id == ROADS_HELPDESK_ID
    assert [c.message for c in ticket.comments] == ["Bedankt!"]
    stored = sim_server.sim.tickets[ref.id]
    assert [len(sim_server.sim.attachments[i].content) for i in stored.attachments] == [200_002, 8]


async def test_a_dropped_reply_over_a_socket_is_a_connection_error(
    socket_client: InvGateClient, sim_server: SimServer
) -> None:
    customer = await socket_client.create_external_user(citizen())
    sim_server.sim.faults.drop_reply_after_commit(1, endpoint="incident", method="POST")

    with pytest.raises(InvGateConnectionError):
        await socket_client.create_ticket(make_ticket(customer.id))

    assert len(sim_server.sim.tickets) == 1
    assert await socket_client.find_open_ticket(customer.id, title_contains="CNA-2026-000001") is not None


async def test_httpx_read_timeout_over_a_socket(sim_server: SimServer) -> None:
    sim_server.sim.faults.add_latency(1.0, endpoint="helpdesks")
    slow_read = Timeouts(connect=2, read=0.2, write=2, pool=2, total=10)
    async with InvGateClient(
        base_url=sim_server.api_url, credentials=basic_credentials(sim_server.sim.config), timeouts=slow_read
    ) as client:
        with pytest.raises(InvGateTimeout, match="ReadTimeout"):
            await client.helpdesks()


async def test_outage_and_wrong_key_over_a_socket(
    socket_client: InvGateClient, sim_server: SimServer
) -> None:
    sim_server.sim.faults.outage(30)
    with pytest.raises(InvGateUnavailable):
        await socket_client.sources()
    sim_server.sim.faults.clear()
    async with InvGateClient(
        base_url=sim_server.api_url,
        credentials=BasicCredentials("cna-api", Secret("wrong")),
        timeouts=TEST_TIMEOUTS,
    ) as client:
        with pytest.raises(InvGateAuthError):
            await client.sources()


async def test_nobody_listening_is_a_connection_error() -> None:
    url = f"http://127.0.0.1:{free_port()}/api/v1/"
    async with InvGateClient(
        base_url=url, credentials=BasicCredentials("cna-api", Secret("k")), timeouts=TEST_TIMEOUTS
    ) as client:
        with pytest.raises(InvGateConnectionError, match="ConnectError"):
            await client.helpdesks()
