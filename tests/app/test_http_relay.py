"""`HttpRelayApi` against a real HTTP peer: a scripted ASGI app in-process, a closed port, and a
server that answers too slowly. Checks headers, the success shapes and every error translation."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from cna_app.contract.wire import Language
from cna_app.services.errors import RelayProblem, RelayUnavailable
from cna_app.services.http_relay import HttpRelayApi
from tests.app.fakes import FakeAccount, make_config
from tests.support.servers import free_port, serve_in_thread

ACCOUNT = FakeAccount("acc-1", "an@example.be", "x", "An", "Peeters", verified=True).view()
PAIR = {
    "access_token": "a1",
    "refresh_token": "r1",
    "token_type": "Bearer",
    "expires_in": 900,
    "refresh_expires_in": 2592000,
    "account": ACCOUNT,
}


@dataclass
class Script:
    """What the peer answers next, and what it saw."""

    status: int = 200
    body: bytes = b"{}"
    headers: dict[str, str] = field(default_factory=lambda: {"content-type": "application/json"})
    seen: list[dict[str, Any]] = field(default_factory=list)

    def answer(
        self, status: int, payload: Any, *, content_type: str = "application/json", **headers: str
    ) -> None:
        self.status = status
        self.body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        self.headers = {"content-type": content_type, **headers}


def scripted_app(script: Script) -> Starlette:
    async def endpoint(request: Request) -> Response:
        script.seen.append(
            {
                "method": request.method,
                "path": request.url.path,
                "headers": dict(request.headers),
                "body": (await request.body()).decode(),
            }
        )
        return Response(script.body, status_code=script.status, headers=script.headers)

    methods = ["GET", "POST", "PATCH"]
    return Starlette(routes=[Route("/{path:path}", endpoint, methods=methods)])


@pytest.fixture
def script() -> Script:
    return Script()


@pytest.fixture
async def api(script: Script) -> AsyncIterator[HttpRelayApi]:
    language: list[Language] = ["fr"]
    client = HttpRelayApi(
        "http://relay.test",
        language=lambda: language[0],
        transport=httpx.ASGITransport(app=scripted_app(script)),
    )
    yield client
    await client.aclose()


async def test_config_is_read_and_the_language_is_sent(api: HttpRelayApi, script: Script) -> None:
    script.answer(200, make_config())
    config = await api.get_config()
    assert config["municipality"]["name"] == "Gemeente Zonnebeke"
    assert script.seen[0]["path"] == "/v1/config"
    assert script.seen[0]["headers"]["accept-language"] == "fr"
    assert "authorization" not in script.seen[0]["headers"]


async def test_authorised_calls_carry_the_bearer_token(api: HttpRelayApi, script: Script) -> None:
    script.answer(200, ACCOUNT)
    assert (await api.me("tok-123"))["email"] == "an@example.be"
    assert script.seen[0]["headers"]["authorization"] == "Bearer tok-123"


async def test_each_endpoint_uses_its_documented_method_and_path(api: HttpRelayApi, script: Script) -> None:
    script.answer(200, PAIR)
    await api.login({"email": "an@example.be", "password": "pw"})
    await api.verify({"email": "an@example.be", "code": "123456"})
    await api.refresh({"refresh_token": "r1"})
    await api.confirm_password_reset({"email": "an@example.be", "code": "1", "new_password": "p"})
    await api.change_password("t", {"current_password": "a", "new_password": "b"})
    script.answer(202, {"status": "verification_sent", "email": "an@example.be", "resend_after": 60})
    await api.sign_up({"email": "an@example.be", "password": "p", "first_name": "An", "last_name": "P"})
    await api.resend_verification({"email": "an@example.be"})
    script.answer(200, ACCOUNT)
    await api.update_me("t", {"first_name": "Anna"})
    script.answer(204, b"")
    await api.logout("t")
    await api.logout_all("t")
    await api.request_password_reset({"email": "an@example.be"})
    await api.delete_account("t", {"password": "p"})
    assert [(s["method"], s["path"]) for s in script.seen] == [
        ("POST", "/v1/auth/login"),
        ("POST", "/v1/accounts/verify"),
        ("POST", "/v1/auth/refresh"),
        ("POST", "/v1/auth/password-reset/confirm"),
        ("POST", "/v1/me/password"),
        ("POST", "/v1/accounts"),
        ("POST", "/v1/accounts/verify/resend"),
        ("PATCH", "/v1/me"),
        ("POST", "/v1/auth/logout"),
        ("POST", "/v1/auth/logout-all"),
        ("POST", "/v1/auth/password-reset"),
        ("POST", "/v1/me/delete"),
    ]
    assert json.loads(script.seen[7]["body"]) == {"first_name": "Anna"}


async def test_a_problem_keeps_code_detail_and_field_errors(api: HttpRelayApi, script: Script) -> None:
    problem = {
        "type": "urn:cna:problem:weak_password",
        "title": "Mot de passe trop faible",
        "status": 422,
        "detail": "Votre mot de passe ne respecte pas les règles.",
        "code": "weak_password",
        "errors": [
            {"field": "password", "code": "digit", "message": "Ajoutez un chiffre."},
            {"field": "location.lat", "code": "range", "message": "Hors limites."},
        ],
    }
    script.answer(422, problem, content_type="application/problem+json")
    with pytest.raises(RelayProblem) as caught:
        await api.sign_up({"email": "a@b.be", "password": "x", "first_name": "A", "last_name": "B"})
    error = caught.value
    assert (error.status, error.code, error.detail) == (422, "weak_password", problem["detail"])
    assert [(e.field, e.root, e.code, e.message) for e in error.errors] == [
        ("password", "password", "digit", "Ajoutez un chiffre."),
        ("location.lat", "location", "range", "Hors limites."),
    ]
    assert "Votre" not in repr(error)  # details can echo user input: not in reprs


async def test_rate_limiting_carries_retry_after(api: HttpRelayApi, script: Script) -> None:
    script.answer(429, {"code": "rate_limited", "detail": "Trop."}, **{"retry-after": "42"})
    with pytest.raises(RelayProblem) as caught:
        await api.login({"email": "a@b.be", "password": "x"})
    assert (caught.value.code, caught.value.retry_after_s) == ("rate_limited", 42)
    script.answer(
        429, b"slow down", content_type="text/plain", **{"retry-after": "Wed, 21 Oct 2026 07:28:00 GMT"}
    )
    with pytest.raises(RelayProblem) as caught:
        await api.login({"email": "a@b.be", "password": "x"})
    assert (caught.value.code, caught.value.retry_after_s) == ("rate_limited", None)


async def test_a_bare_401_is_unauthorized(api: HttpRelayApi, script: Script) -> None:
    script.answer(401, b"", content_type="text/plain")
    with pytest.raises(RelayProblem) as caught:
        await api.me("t")
    assert (caught.value.status, caught.value.code) == (401, "unauthorized")


@pytest.mark.parametrize(
    ("status", "payload", "content_type"),
    [
        (502, b"<html>Bad gateway</html>", "text/html"),  # a proxy in front of a dead relay
        (503, b"", "text/plain"),
        (404, b"<html>Not found</html>", "text/html"),  # the URL points at some other server
        (200, b"<html>captive portal</html>", "text/html"),
        (200, b'{"municipality": 3}', "application/json"),  # valid JSON, wrong shape
        (200, b"[1, 2, 3]", "application/json"),
        (200, b"{truncated", "application/json"),
    ],
)
async def test_unusable_answers_mean_unavailable(
    api: HttpRelayApi, script: Script, status: int, payload: bytes, content_type: str
) -> None:
    script.answer(status, payload, content_type=content_type)
    with pytest.raises(RelayUnavailable):
        await api.get_config()


@pytest.mark.parametrize(
    "problem",
    [
        {"code": "x" * 10_000, "detail": "y" * 10_000},
        {"code": "validation_error", "errors": "not a list"},
        {"code": "validation_error", "errors": [1, None, {"field": 3}, {"field": "email", "message": 5}]},
        {"code": "validation_error", "errors": [{"field": "f", "message": "m"}] * 10_000},
    ],
)
async def test_hostile_problem_bodies_are_tamed(
    api: HttpRelayApi, script: Script, problem: dict[str, Any]
) -> None:
    script.answer(400, problem, content_type="application/problem+json")
    with pytest.raises(RelayProblem) as caught:
        await api.login({"email": "a@b.be", "password": "x"})
    error = caught.value
    assert len(error.code) <= 500 and len(error.detail) <= 500
    assert len(error.errors) <= 50
    assert all(isinstance(e.field, str) and isinstance(e.message, str) for e in error.errors)


async def test_a_wrong_typed_token_pair_is_refused(api: HttpRelayApi, script: Script) -> None:
    script.answer(200, {**PAIR, "access_token": None})
    with pytest.raises(RelayUnavailable):
        await api.login({"email": "a@b.be", "password": "x"})
    script.answer(200, {**PAIR, "account": {**ACCOUNT, "language": "de"}})
    with pytest.raises(RelayUnavailable):
        await api.login({"email": "a@b.be", "password": "x"})


async def test_a_closed_port_means_unavailable() -> None:
    api = HttpRelayApi(f"http://127.0.0.1:{free_port()}", language=lambda: "nl", timeout_s=2)
    try:
        with pytest.raises(RelayUnavailable):
            await api.get_config()
    finally:
        await api.aclose()


@pytest.fixture
def slow_relay() -> Iterator[str]:
    release = asyncio.Event()

    async def endpoint(request: Request) -> Response:
        try:
            await asyncio.wait_for(release.wait(), timeout=5)
        except TimeoutError:
            pass
        return Response(b"{}", media_type="application/json")

    with serve_in_thread(Starlette(routes=[Route("/{path:path}", endpoint)])) as url:
        yield url


async def test_a_relay_that_does_not_answer_in_time_means_unavailable(slow_relay: str) -> None:
    api = HttpRelayApi(slow_relay, language=lambda: "nl", timeout_s=0.2)
    try:
        with pytest.raises(RelayUnavailable):
            await api.get_config()
    finally:
        await api.aclose()
