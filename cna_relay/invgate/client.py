"""`InvGateClient`: the typed, async client of InvGate Service Management's REST API v1.

    client = InvGateClient(
        base_url="https://gemeente.sd.cloud.invgate.net/api/v1/",
        credentials=BasicCredentials("cna-api", Secret(api_key)),
    )
    async with client:
        customer = await client.find_user_by_email("an@example.be")

The client never retries on its own: it raises `InvGateTransientError` or
`InvGatePermanentError` and the relay's outbox decides (the one exception is a single new OAuth
token after a 401). It is safe to share between tasks.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from types import TracebackType

import httpx

from cna_relay.invgate.catalogues import CatalogueOperations
from cna_relay.invgate.credentials import Credentials
from cna_relay.invgate.http import InvGateHttp, Timeouts
from cna_relay.invgate.lifecycle import LifecycleOperations
from cna_relay.invgate.queries import TicketQueries
from cna_relay.invgate.tickets import TicketOperations
from cna_relay.invgate.users import UserOperations


def _no_correlation() -> str | None:
    return None


class InvGateClient(
    UserOperations, TicketOperations, TicketQueries, CatalogueOperations, LifecycleOperations
):
    """Every InvGate operation the relay uses; implements `ServiceDesk`.

    - `base_url`: the API root, `https://<instance>/api/v1/`.
    - `credentials`: `BasicCredentials` (API user + key) or `OAuthClientCredentials`.
    - `timeouts`: httpx's per-phase limits plus an overall deadline per call.
    - `transport`: an httpx transport to use instead of the network (tests pass
      `httpx.ASGITransport(app=simulator)`).
    - `correlation_id`: returns the id of the work in hand (outbox entry, relay request) for
      the log lines and the `X-Correlation-ID` header; a fresh call id is used when it is None.
    - `clock`: monotonic seconds, for durations and token expiry.
    """

    def __init__(
        self,
        *,
        base_url: str,
        credentials: Credentials,
        timeouts: Timeouts | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        correlation_id: Callable[[], str | None] = _no_correlation,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._http = InvGateHttp(
            base_url=base_url,
            credentials=credentials,
            timeouts=timeouts or Timeouts(),
            transport=transport,
            correlation_id=correlation_id,
            clock=clock,
        )

    @property
    def base_url(self) -> str:
        return self._http.base_url

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    async def __aenter__(self) -> InvGateClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"InvGateClient(base_url={self.base_url!r}, auth={self._http.authorizer!r})"
