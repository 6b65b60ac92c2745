"""A representative set over a real socket (uvicorn on a free port): what only a network shows —
auth headers on the wire, multipart bodies, a reply cut mid-stream, client timeouts, download URLs."""

from __future__ import annotations

import httpx
import pytest

from invgate_sim.mailsink import MailSink
from tests.sim.helpers import JPEG, comment, ticket_form
from tests.support.sim_fixtures import SIM_API_KEY, SIM_API_USER, SimServer


@pytest.fixture
async def http(sim_server: SimServer) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=sim_server.api_url, auth=(SIM_API_USER, SIM_API_KEY), timeout=10)


async def _customer(http: httpx.AsyncClient) -> int:
    response = await http.post(
        "user", data={"name": "An", "lastname": "Peeters", "email": "an@example.org", "is_external": 1}
    )
    return int(response.json()["id"])


async def test_401_challenge_over_the_wire(sim_server: SimServer) -> None:
    async with httpx.AsyncClient(base_url=sim_server.api_url) as anon:
        response = await anon.get("helpdesks")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Basic realm="API", Digest realm="API", domain="/api/v1"'


async def test_ticket_with_attachment_mail_and_download_over_the_wire(
    http: httpx.AsyncClient, sim_server: SimServer, mail_sink: MailSink
) -> None:
    customer_id = await _customer(http)
    files = [("attachments[]", ("put.jpg", JPEG, "image/jpeg"))]
    created = (await http.post("incident", data=ticket_form(customer_id), files=files)).json()
    ticket = (await http.get("incident", params={"id": created["request_id"]})).json()
    meta = (await http.get("incident.attachment", params={"id": ticket["attachments"][0]})).json()
    assert meta["url"].startswith(sim_server.url)
    assert (await http.get(meta["url"])).content == JPEG
    [mail] = mail_sink.wait_for(timeout=5)
    assert [part.get_filename() for part in mail.iter_attachments()] == ["put.jpg"]
    board = await http.get(f"{sim_server.url}/")
    assert f"#{created['request_id']}" in board.text


async def test_a_dropped_reply_is_a_transport_error_but_the_work_is_done(
    http: httpx.AsyncClient, sim_server: SimServer
) -> None:
    customer_id = await _customer(http)
    sim_server.sim.faults.drop_reply_after_commit(1, endpoint="incident", method="POST")
    with pytest.raises(httpx.TransportError):
        await http.post("incident", data=ticket_form(customer_id))
    assert len(sim_server.sim.tickets) == 1
    listed = (await http.get("incidents.by.customer", params={"id": customer_id})).json()
    assert len(listed["requests"]) == 1


async def test_latency_makes_a_client_time_out(http: httpx.AsyncClient, sim_server: SimServer) -> None:
    sim_server.sim.faults.add_latency(1, endpoint="helpdesks")
    with pytest.raises(httpx.ReadTimeout):
        await http.get("helpdesks", timeout=0.2)


async def test_fail_next_and_outage_over_the_wire(http: httpx.AsyncClient, sim_server: SimServer) -> None:
    sim_server.sim.faults.fail_next(1, status=502)
    assert (await http.get("sd.version")).status_code == 502
    sim_server.sim.faults.outage(30)
    assert (await http.get("sd.version")).status_code == 503


async def test_public_reply_mail_over_the_wire(http: httpx.AsyncClient, mail_sink: MailSink) -> None:
    customer_id = await _customer(http)
    created = (await http.post("incident", data=ticket_form(customer_id))).json()
    await comment(http, created["request_id"], "We komen kijken.", public=True)
    mails = mail_sink.wait_for(count=2, timeout=5)
    assert "We komen kijken." in str(mails[1].get_body(preferencelist=("plain",)).get_content())  # type: ignore[union-attr]


async def test_rate_limit_header_over_the_wire(http: httpx.AsyncClient, sim_server: SimServer) -> None:
    sim_server.sim.rate_limiter = type(sim_server.sim.rate_limiter)({"GET sd.version": 1}, sim_server.sim.now)
    assert (await http.get("sd.version")).status_code == 200
    limited = await http.get("sd.version")
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1


async def test_put_with_json_only_is_428_over_the_wire(http: httpx.AsyncClient) -> None:
    response = await http.put("user", json={"id": 1, "name": "X"})
    assert response.status_code == 428
