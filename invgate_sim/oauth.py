"""`POST /oauth/v2.0/access_token`: OAuth2 client credentials with one scope per endpoint and method."""

from __future__ import annotations

import hmac

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from invgate_sim.errors import ApiError
from invgate_sim.params import read_params
from invgate_sim.simulator import LoggedRequest, Simulator
from invgate_sim.transport import apply_faults, error_response

TOKEN_PATH = "/oauth/v2.0/access_token"  # noqa: S105 (a URL path, not a secret)
TOKEN_ENDPOINT = "oauth.access_token"  # noqa: S105  # the name faults and the request log use


async def issue_token(request: Request) -> Response:
    sim: Simulator = request.app.state.sim
    entry = LoggedRequest(method="POST", endpoint=TOKEN_ENDPOINT, at=sim.now())
    try:
        response = await _issue(request, sim, entry)
    except ApiError as error:
        response = error_response(error)
    entry.status = response.status_code
    sim.request_log.append(entry)
    return response


async def _issue(request: Request, sim: Simulator, entry: LoggedRequest) -> Response:
    params = await read_params(request, max_body_bytes=64 * 1024)
    entry.params = {key: value for key, value in params.as_log().items() if key != "client_secret"}
    await apply_faults(sim, TOKEN_ENDPOINT, "POST")
    if (params.string("grant_type") or "") != "client_credentials":
        return _oauth_error(sim, "unsupported_grant_type", "Only client_credentials is supported")
    client_id, secret = params.string("client_id") or "", params.string("client_secret") or ""
    client = sim.config.oauth_clients.get(client_id)
    if client is None or not hmac.compare_digest(secret.encode(), client.secret.encode()):
        return _oauth_error(sim, "invalid_client", "Client authentication failed")
    requested = frozenset((params.string("scope") or "").split())
    granted = requested if client.scopes is None else requested & client.scopes
    token = sim.issue_token(client_id, granted)
    return JSONResponse(
        {
            "token_type": "Bearer",
            "expires_in": sim.config.oauth_token_ttl,
            "access_token": token,
            "scope": " ".join(sorted(granted)),
        }
    )


def _oauth_error(sim: Simulator, code: str, description: str) -> JSONResponse:
    return JSONResponse({"error": code, "error_description": description}, sim.config.oauth_error_status)


def install_oauth(app: FastAPI) -> None:
    app.add_api_route(TOKEN_PATH, issue_token, methods=["POST"], include_in_schema=False)
