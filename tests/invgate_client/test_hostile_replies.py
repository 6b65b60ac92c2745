"""Replies no honest InvGate sends, but a broken proxy, a login page or an API change could.

A tiny real ASGI app stands in for such a server: it answers every path with the reply a test
sets, so the client's full HTTP path (auth, transport, interpretation, parsing) is exercised.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import httpx
import pytest
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from cna_relay.invgate import (
    BasicCredentials,
    InvGateAuthError,
    InvGateClient,
    InvGateLogicalError,
    InvGateUnavailable,
    InvGateUnexpectedResponse,
    OAuthClientCredentials,
    Secret,
)

from .support import IN_PROCESS_URL, TEST_TIMEOUTS, make_ticket


@dataclass
class Reply:
    status: int = 200
    body: bytes = b"[]"
    headers: dict[str, str] = field(default_factory=lambda: {"content-type": "application/json"})


class ScriptedServer:
    """Answers requests from a queue of replies (the last one repeats); records the paths asked."""

    def __init__(self) -> None:
        self.replies: list[Reply] = []
        self.paths: list[str] = []

    def answer(self, *replies: Reply) -> None:
        self.replies = list(replies)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.paths.append(Request(scope, receive).url.path)
        reply = self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]
        await Response(reply.body, reply.status, reply.headers)(scope, receive, send)


def _json(data: object, status: int = 200) -> Reply:
    return Reply(status, json.dumps(data).encode())


@pytest.fixture
def server() -> ScriptedServer:
    return ScriptedServer()


@pytest.fixture
async def client(server: ScriptedServer) -> AsyncIterator[InvGateClient]:
    async with InvGateClient(
        base_url=IN_PROCESS_URL,
        credentials=BasicCredentials("cna-api", Secret("k")),
        timeouts=TEST_TIMEOUTS,
        transport=httpx.ASGITransport(app=server),
    ) as invgate:
        yield invgate


async def test_an_html_login_page_is_not_an_answer(client: InvGateClient, server: ScriptedServer) -> None:
    server.answer(Reply(200, b"<html><form>Login</form></html>", {"content-type": "text/html"}))
    with pytest.raises(InvGateUnexpectedResponse, match="not JSON"):
        await client.helpdesks()


async def test_a_redirect_to_a_login_page_is_not_followed(
    client: InvGateClient, server: ScriptedServer
) -> None:
    server.answer(Reply(302, b"", {"location": "https://login.example/"}))
    with pytest.raises(InvGateUnexpectedResponse) as caught:
        await client.helpdesks()
    assert caught.value.status_code == 302
    assert server.paths == ["/api/v1/helpdesks"]


@pytest.mark.parametrize(
    "reply",
    [
        _json({"not": "a list"}),
        _json([{"id": "x", "name": "A"}]),
        _json([{"name": "no id"}]),
        _json([["nested"]]),
        Reply(200, b'[{"id": 1, "name": "A"'),
    ],
)
async def test_wrong_shapes_are_unexpected_responses(
    client: InvGateClient, server: ScriptedServer, reply: Reply
) -> None:
    server.answer(reply)
    with pytest.raises(InvGateUnexpectedResponse):
        await client.helpdesks()


async def test_an_error_status_in_an_ok_reply(client: InvGateClient, server: ScriptedServer) -> None:
    server.answer(_json({"status": "ERROR", "error": "Cannot do that"}))
    with pytest.raises(InvGateLogicalError, match="Cannot do that"):
        await client.wait_for_customer(1)


async def test_created_ticket_without_request_id_is_unexpected(
    client: InvGateClient, server: ScriptedServer
) -> None:
    server.answer(_json({"status": "OK", "id": 5}))
    with pytest.raises(InvGateUnexpectedResponse, match="request_id"):
        await client.create_ticket(make_ticket(1))


async def test_a_page_key_that_never_changes_stops_the_walk(
    client: InvGateClient, server: ScriptedServer
) -> None:
    user = {"id": 1, "name": "A", "lastname": "B", "email": "a@b.be"}
    server.answer(_json({"data": {"1": user}, "next_page_key": "same"}))
    with pytest.raises(InvGateUnexpectedResponse, match="repeated"):
        await client.find_user_by_email("a@b.be")
    assert len(server.paths) == 2


async def test_a_server_ignoring_page_numbers_stops_the_walk(
    client: InvGateClient, server: ScriptedServer
) -> None:
    server.answer(_json([{"id": str(i), "name": f"C{i}"} for i in range(3)]))
    with pytest.raises(InvGateUnexpectedResponse, match="repeats"):
        await client.categories(page_size=3)


async def test_a_5xx_html_page_is_transient_with_its_retry_after(
    client: InvGateClient, server: ScriptedServer
) -> None:
    server.answer(Reply(503, b"<h1>Maintenance</h1>", {"content-type": "text/html", "retry-after": "120"}))
    with pytest.raises(InvGateUnavailable) as caught:
        await client.helpdesks()
    assert caught.value.retry_after == 120.0
    assert "Maintenance" in caught.value.detail


@pytest.mark.parametrize(
    ("token_reply", "error_class"),
    [
        (_json({"token_type": "Bearer", "expires_in": 60}), InvGateUnexpectedResponse),
        (_json({"access_token": ""}), InvGateUnexpectedResponse),
        (_json({"error": "invalid_scope"}), InvGateAuthError),
        (_json(["not", "an", "object"]), InvGateUnexpectedResponse),
        (Reply(200, b"<html/>", {"content-type": "text/html"}), InvGateUnexpectedResponse),
        (_json({"error": "invalid_client"}, 400), InvGateAuthError),
        (_json({"error": "busy"}, 503), InvGateUnavailable),
    ],
)
async def test_hostile_token_replies(
    server: ScriptedServer, token_reply: Reply, error_class: type[Exception]
) -> None:
    server.answer(token_reply)
    credentials = OAuthClientCredentials(
        "cna-relay", Secret("s"), token_url="http://invgate.test/oauth/token"
    )
    async with InvGateClient(
        base_url=IN_PROCESS_URL, credentials=credentials, transport=httpx.ASGITransport(app=server)
    ) as client:
        with pytest.raises(error_class):
            await client.helpdesks()
    assert server.paths == ["/oauth/token"]


@pytest.mark.parametrize("expires_in", ["soon", None, -5, 0, 1e300, True])
async def test_a_token_with_a_bogus_lifetime_is_still_used(
    server: ScriptedServer, expires_in: object
) -> None:
    server.answer(_json({"access_token": "t0k", "expires_in": expires_in}), _json([]), _json([]))
    credentials = OAuthClientCredentials("cna-relay", Secret("s"))
    async with InvGateClient(
        base_url=IN_PROCESS_URL, credentials=credentials, transport=httpx.ASGITransport(app=server)
    ) as client:
        assert await client.helpdesks() == ()
        assert await client.sources() == ()
    assert server.paths == [
        "/oauth/v2.0/access_token",
        "/api/v1/helpdesks",
        "/api/v1/incident.attributes.source",
    ]
