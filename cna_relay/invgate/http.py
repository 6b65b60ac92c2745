"""One InvGate call end to end: encode, authorise, send under a deadline, interpret, log.

Every call is logged once on the `cna_relay.invgate` logger with the method, endpoint, outcome,
duration, a short call id and the caller's correlation id (e.g. the outbox entry or the relay
request it serves). Parameter *names* are logged, never values (they hold citizens' data), and
never a header.
"""

from __future__ import annotations

import logging
import math
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import httpx

from cna_relay.invgate import wire
from cna_relay.invgate.auth import Authorizer, BasicAuthorizer, OAuthAuthorizer
from cna_relay.invgate.credentials import Credentials, OAuthClientCredentials
from cna_relay.invgate.endpoints import Call
from cna_relay.invgate.errors import InvGateError
from cna_relay.invgate.mapping import Params, encode_params
from cna_relay.invgate.models import Attachment

LOGGER_NAME = "cna_relay.invgate"
CORRELATION_HEADER = "X-Correlation-ID"


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Seconds. httpx's per-phase limits, plus `total` for a whole exchange whatever the transport."""

    connect: float = 5.0
    read: float = 30.0
    write: float = 30.0
    pool: float = 5.0
    total: float = 60.0

    def __post_init__(self) -> None:
        for name in ("connect", "read", "write", "pool", "total"):
            value = getattr(self, name)
            if not isinstance(value, int | float) or not math.isfinite(value) or value <= 0:
                raise ValueError(f"timeout {name} must be a positive number of seconds")

    def for_httpx(self) -> httpx.Timeout:
        return httpx.Timeout(connect=self.connect, read=self.read, write=self.write, pool=self.pool)


def api_base_url(base_url: str) -> httpx.URL:
    """Check the InvGate API base URL (`https://<instance>/api/v1/`) and end it with a slash.

    Messages never repeat the URL: a URL with `user:key@` in it would leak the key.
    """
    try:
        url = httpx.URL(base_url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise ValueError("the InvGate base URL is not a valid URL") from exc
    if url.scheme not in ("http", "https") or not url.host:
        raise ValueError("the InvGate base URL must be an http(s) URL with a host")
    if url.userinfo:
        raise ValueError("the InvGate base URL must not embed credentials; pass them separately")
    if url.query or url.fragment:
        raise ValueError("the InvGate base URL must not have a query or fragment")
    return url if url.path.endswith("/") else url.copy_with(path=url.path + "/")


def default_token_url(api_url: httpx.URL) -> httpx.URL:
    """`https://<instance>/oauth/v2.0/access_token` for `https://<instance>/api/v1/`."""
    root = api_url.path.removesuffix("/").removesuffix("/api/v1")
    return api_url.copy_with(path=root + "/oauth/v2.0/access_token")


class InvGateHttp:
    """Performs calls; knows nothing of what they mean. Owns its `httpx.AsyncClient`."""

    def __init__(
        self,
        *,
        base_url: str,
        credentials: Credentials,
        timeouts: Timeouts,
        transport: httpx.AsyncBaseTransport | None,
        correlation_id: Callable[[], str | None],
        clock: Callable[[], float],
    ) -> None:
        self._base_url = api_base_url(base_url)
        self._timeouts = timeouts
        self._correlation_id = correlation_id
        self._clock = clock
        self._logger = logging.getLogger(LOGGER_NAME)
        self._client = httpx.AsyncClient(
            base_url=self._base_url,
            transport=transport,
            timeout=timeouts.for_httpx(),
            follow_redirects=False,
            headers={"Accept": "application/json", "User-Agent": "cna-relay"},
        )
        self.authorizer = self._authorizer_for(credentials)

    def _authorizer_for(self, credentials: Credentials) -> Authorizer:
        if isinstance(credentials, OAuthClientCredentials):
            token_url = httpx.URL(credentials.token_url or str(default_token_url(self._base_url)))
            return OAuthAuthorizer(
                credentials,
                client=self._client,
                token_url=token_url,
                deadline=self._timeouts.total,
                clock=self._clock,
            )
        return BasicAuthorizer(credentials)

    @property
    def base_url(self) -> str:
        return str(self._base_url)

    async def aclose(self) -> None:
        await self._client.aclose()

    async def call(self, call: Call, params: Params, *, files: Sequence[Attachment] = ()) -> object:
        """Perform `call` and return its decoded JSON, or raise an `InvGateError`."""
        pairs = encode_params(params)
        call_id = uuid.uuid4().hex[:12]
        started = self._clock()
        try:
            body = await self._authorised_exchange(call, pairs, files, call_id)
        except InvGateError as exc:
            self._log(call, pairs, call_id, started, outcome=type(exc).__name__, error=exc)
            raise
        self._log(call, pairs, call_id, started, outcome="ok")
        return body

    async def _authorised_exchange(
        self, call: Call, pairs: list[tuple[str, str]], files: Sequence[Attachment], call_id: str
    ) -> object:
        response = await self._exchange(call, pairs, files, call_id)
        # A 401 on a cached OAuth token means it was revoked or expired early: one fresh try.
        if response.status_code == 401 and self.authorizer.renew():
            response = await self._exchange(call, pairs, files, call_id)
        return wire.interpret(call, response, redact=self.authorizer.secrets())

    async def _exchange(
        self, call: Call, pairs: list[tuple[str, str]], files: Sequence[Attachment], call_id: str
    ) -> httpx.Response:
        authorization = await self.authorizer.authorization()
        headers = {CORRELATION_HEADER: self._correlation(call_id)}
        request = wire.build_request(self._client, call, pairs, files, headers)
        # Set on the request only (its repr masks it): no plain local variable holds the value.
        request.headers["Authorization"] = authorization.reveal()
        return await wire.send(self._client, call, request, deadline=self._timeouts.total)

    def _correlation(self, call_id: str) -> str:
        return self._correlation_id() or call_id

    def _log(
        self,
        call: Call,
        pairs: list[tuple[str, str]],
        call_id: str,
        started: float,
        *,
        outcome: str,
        error: InvGateError | None = None,
    ) -> None:
        elapsed_ms = (self._clock() - started) * 1000
        names = sorted({name for name, _ in pairs})
        correlation = self._correlation_id()
        level = logging.INFO if error is None else logging.WARNING
        self._logger.log(
            level,
            "InvGate %s %s -> %s in %.0f ms [call %s, correlation %s, params %s]%s",
            call.method,
            call.endpoint,
            outcome,
            elapsed_ms,
            call_id,
            correlation or "-",
            ",".join(names) or "-",
            f": {error}" if error is not None else "",
            extra={
                "invgate_call_id": call_id,
                "correlation_id": correlation,
                "invgate_endpoint": call.endpoint,
                "invgate_method": call.method,
                "invgate_outcome": outcome,
            },
        )

    def __repr__(self) -> str:
        return f"InvGateHttp(base_url={self.base_url!r}, authorizer={self.authorizer!r})"
