"""The `Authorization` header for each call: HTTP Basic, or an OAuth2 client-credentials token.

OAuth: InvGate issues tokens at `<instance>/oauth/v2.0/access_token` with one scope per endpoint
and method (`api.v1.incident:post`), no wildcard. We ask once for every scope the client may
use (or the configured set), cache the token until shortly before `expires_in` runs out, and
fetch a new one when InvGate answers 401 to a token it should have accepted. A call whose scope
the token lacks gets 403 → `InvGateForbidden`, which is permanent: more tokens will not help.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import httpx

from cna_relay.invgate import wire
from cna_relay.invgate.credentials import BasicCredentials, OAuthClientCredentials, Secret
from cna_relay.invgate.endpoints import Call, all_scopes
from cna_relay.invgate.errors import InvGateAuthError, InvGateTransientError, InvGateUnexpectedResponse

TOKEN_CALL = Call("oauth/v2.0/access_token", "POST")
# When InvGate does not say how long a token lives, assume this, in seconds.
DEFAULT_TOKEN_LIFETIME = 300.0


class Authorizer(Protocol):
    async def authorization(self) -> Secret:
        """The header value for the next call."""
        ...

    def renew(self) -> bool:
        """Drop a credential the server refused; True when asking again may give a fresh one."""
        ...

    def secrets(self) -> tuple[Secret, ...]:
        """Values to mask should a server ever echo them back in an error text."""
        ...


class BasicAuthorizer:
    """HTTP Basic with the API user and key: nothing to renew."""

    def __init__(self, credentials: BasicCredentials) -> None:
        self._credentials = credentials

    async def authorization(self) -> Secret:
        return self._credentials.authorization()

    def renew(self) -> bool:
        return False

    def secrets(self) -> tuple[Secret, ...]:
        return (self._credentials.api_key, self._credentials.authorization())

    def __repr__(self) -> str:
        return f"BasicAuthorizer(api_user={self._credentials.api_user!r})"


@dataclass(frozen=True, slots=True)
class _Token:
    value: Secret
    renew_at: float


class OAuthAuthorizer:
    """Client-credentials tokens, fetched lazily, cached, and renewed before they expire."""

    def __init__(
        self,
        credentials: OAuthClientCredentials,
        *,
        client: httpx.AsyncClient,
        token_url: httpx.URL,
        deadline: float,
        clock: Callable[[], float],
    ) -> None:
        self._credentials = credentials
        self._client = client
        self._token_url = token_url
        self._deadline = deadline
        self._clock = clock
        self._token: _Token | None = None
        self._lock = asyncio.Lock()

    @property
    def scopes(self) -> frozenset[str]:
        return self._credentials.scopes if self._credentials.scopes is not None else all_scopes()

    async def authorization(self) -> Secret:
        async with self._lock:  # one token request at a time, however many calls wait
            if self._token is None or self._clock() >= self._token.renew_at:
                self._token = await self._fetch()
            return Secret("Bearer " + self._token.value.reveal())

    def renew(self) -> bool:
        self._token = None
        return True

    def secrets(self) -> tuple[Secret, ...]:
        token = (self._token.value,) if self._token else ()
        return (self._credentials.client_secret, *token)

    async def _fetch(self) -> _Token:
        # The form is built in a frame that is gone before anything is sent: no local variable
        # that an error reporter could capture holds the client secret.
        request = self._client.build_request("POST", self._token_url, data=self._token_form())
        response = await wire.send(self._client, TOKEN_CALL, request, deadline=self._deadline)
        return self._token_from(response)

    def _token_form(self) -> dict[str, str]:
        return {
            "grant_type": "client_credentials",
            "client_id": self._credentials.client_id,
            "client_secret": self._credentials.client_secret.reveal(),
            "scope": " ".join(sorted(self.scopes)),
        }

    def _token_from(self, response: httpx.Response) -> _Token:
        error = wire.error_for_status(TOKEN_CALL, response, redact=self.secrets())
        if isinstance(error, InvGateTransientError):
            raise error
        if error is not None:  # 400 invalid_client, 401, ...: our client is refused
            raise InvGateAuthError(error.detail, endpoint=TOKEN_CALL.endpoint, status_code=error.status_code)
        body = wire.json_body(TOKEN_CALL, response)
        if not isinstance(body, dict):
            raise InvGateUnexpectedResponse("token reply is not an object", endpoint=TOKEN_CALL.endpoint)
        # The token endpoint may answer HTTP 200 with an `error` field on bad credentials.
        if "error" in body:
            detail = " ".join(str(body["error"]).split())[:200]  # one line, bounded
            raise InvGateAuthError(f"token refused: {detail}", endpoint=TOKEN_CALL.endpoint)
        return self._parse_token(body)

    def _parse_token(self, body: dict[str, object]) -> _Token:
        access_token = body.get("access_token")
        if not isinstance(access_token, str) or not access_token:
            raise InvGateUnexpectedResponse("token reply without access_token", endpoint=TOKEN_CALL.endpoint)
        lifetime = _lifetime(body.get("expires_in"))
        # Renew a little early so a token does not expire between our check and InvGate's.
        margin = min(60.0, lifetime * 0.1)
        return _Token(Secret(access_token), renew_at=self._clock() + lifetime - margin)

    def __repr__(self) -> str:
        return (
            f"OAuthAuthorizer(client_id={self._credentials.client_id!r}, token_url={str(self._token_url)!r})"
        )


def _lifetime(expires_in: object) -> float:
    if isinstance(expires_in, bool) or not isinstance(expires_in, int | float | str):
        return DEFAULT_TOKEN_LIFETIME
    try:
        seconds = float(expires_in)
    except ValueError:
        return DEFAULT_TOKEN_LIFETIME
    return seconds if 0 < seconds < 10 * 365 * 86400 else DEFAULT_TOKEN_LIFETIME
