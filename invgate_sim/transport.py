"""The transport rules of every `/api/v1/<dotted.endpoint>` call, in the order a call meets them:
faults (latency, outage, injected failures) → authentication (401) → endpoint and method (404/405) →
OAuth scope (403) → rate limit (429) → parameters (428) → handler (409, 200 + ERROR, 200) → an
injected "reply dropped after commit". Every call lands in the request log with its final status.
"""

from __future__ import annotations

import base64
import binascii
import hmac

import anyio
import httpx
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send

from invgate_sim.errors import ApiError, LogicalError
from invgate_sim.params import read_params
from invgate_sim.registry import Call, Registry
from invgate_sim.render import Renderer
from invgate_sim.simulator import LoggedRequest, Simulator

WWW_AUTHENTICATE = 'Basic realm="API", Digest realm="API", domain="/api/v1"'
MAX_BODY_BYTES = 100 * 1024 * 1024  # InvGate's documented attachment size limit
DROPPED = "Server disconnected without sending a complete response."


class DroppedReply(Response):
    """The work is done, but the client never gets the answer: the connection breaks mid-reply.

    Over a socket uvicorn closes the connection after a truncated body; in-process the exception
    reaches the caller through `httpx.ASGITransport`. Either way the client sees an httpx transport
    error, exactly as when a real reply is lost.
    """

    def __init__(self) -> None:
        super().__init__(status_code=200)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = [(b"content-type", b"application/json"), (b"content-length", b"4096")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b'{"status":', "more_body": True})
        raise httpx.RemoteProtocolError(DROPPED)


def error_response(error: ApiError) -> JSONResponse:
    return JSONResponse({"error": error.message, "status": error.status}, error.status, headers=error.headers)


def authenticate(request: Request, sim: Simulator) -> tuple[str, frozenset[str] | None]:
    """Basic against the API user/key, or a Bearer token from the OAuth endpoint (with its scopes)."""
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "basic" and _basic_matches(credentials.strip(), sim):
        return "basic", None
    if scheme.lower() == "bearer":
        token = sim.tokens.get(credentials.strip())
        if token is not None and token.expires_at > sim.now():
            return "bearer", token.scopes
    raise ApiError(401, "Unauthorized", {"WWW-Authenticate": WWW_AUTHENTICATE})


def _basic_matches(credentials: str, sim: Simulator) -> bool:
    try:
        user, _, key = base64.b64decode(credentials, validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return False
    expected_user, expected_key = sim.config.api_user, sim.config.api_key
    # Compare both halves in constant time, without short-circuiting on the first mismatch.
    user_ok = hmac.compare_digest(user.encode(), expected_user.encode())
    key_ok = hmac.compare_digest(key.encode(), expected_key.encode())
    return user_ok and key_ok


async def apply_faults(sim: Simulator, endpoint: str, method: str) -> None:
    delay = sim.faults.latency_for(endpoint)
    if delay > 0:
        await anyio.sleep(delay)
    if sim.faults.in_outage():
        raise ApiError(503, "Service Unavailable")
    status = sim.faults.take_failure(endpoint, method)
    if status is not None:
        raise ApiError(status, "Simulated failure")


async def handle_api_call(request: Request, registry: Registry, endpoint: str) -> Response:
    sim: Simulator = request.app.state.sim
    entry = LoggedRequest(method=request.method, endpoint=endpoint, at=sim.now())
    try:
        response = await _process(request, sim, registry, entry)
    except ApiError as error:
        response = error_response(error)
    entry.status = response.status_code
    sim.request_log.append(entry)
    return response


async def _process(request: Request, sim: Simulator, registry: Registry, entry: LoggedRequest) -> Response:
    method, endpoint = entry.method, entry.endpoint
    params = await read_params(request, max_body_bytes=MAX_BODY_BYTES)
    entry.params, entry.files = params.as_log(), params.file_names()
    entry.query_keys, entry.body_kind = sorted(params.query_keys), params.body_kind
    await apply_faults(sim, endpoint, method)
    entry.auth, scopes = authenticate(request, sim)
    handler = registry.resolve(endpoint, method)
    if scopes is not None and f"api.v1.{endpoint}:{method.lower()}" not in scopes:
        raise ApiError(403, f"The token lacks the scope api.v1.{endpoint}:{method.lower()}")
    wait = sim.rate_limiter.acquire(method, endpoint)
    if wait is not None:
        headers = {"Retry-After": str(int(wait))} if sim.config.retry_after_header else {}
        raise ApiError(429, "Too Many Requests", headers)
    sim.apply_timeouts()
    render = Renderer.for_call(
        params, html_encode_text=sim.config.html_encode_text, base_url=sim.config.base_url
    )
    try:
        result = await handler(Call(sim, params, render, method, endpoint))
    except LogicalError as failure:
        result = {"status": "ERROR", failure.key: failure.info}
    if sim.faults.take_drop(endpoint, method):
        return DroppedReply()
    return JSONResponse(result)
