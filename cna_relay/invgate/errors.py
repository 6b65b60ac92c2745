"""What can go wrong when the relay talks to InvGate.

The first split answers the only question the outbox asks: *try again later, or give up?*

    InvGateError
    ├── InvGateTransientError        retry later (`retry_after` seconds when InvGate said so)
    │   ├── InvGateTimeout           connect/read/write timeout or the per-call deadline
    │   ├── InvGateConnectionError   refused, reset, or the reply was lost on the way back
    │   ├── InvGateUnavailable       HTTP 5xx and 408
    │   └── InvGateRateLimited       HTTP 429 (`Retry-After` honoured when present)
    └── InvGatePermanentError        retrying the same call cannot help: dead-letter and alert
        ├── InvGateAuthError         401, or the OAuth token endpoint refused our client
        │   └── InvGateForbidden     403: the OAuth token lacks the endpoint's scope
        ├── InvGateNotFound          404: unknown endpoint name
        ├── InvGateMethodNotAllowed  405
        ├── InvGateConflict          409: business rule refused (e.g. internal comment as solution)
        ├── InvGateMissingParameter  428: a required parameter is missing or mistyped
        ├── InvGateLogicalError      HTTP 200 whose body says `"status": "ERROR"`
        ├── InvGateRejected          any other 4xx
        └── InvGateUnexpectedResponse  not JSON, or JSON of a shape the client cannot read

A transient error after a *write* does not mean nothing happened: InvGate may have committed the
ticket and lost the reply. Callers that create things must look before they re-create.

These are raised only by `cna_relay.invgate`; httpx exceptions and HTTP statuses are translated
in one place (`cna_relay.invgate.http`), always chained with `raise ... from`. Messages name the
endpoint, the method and InvGate's own error text, never credentials or tokens.
"""

from __future__ import annotations


class InvGateError(Exception):
    """Base of every error the InvGate client raises."""

    def __init__(
        self,
        detail: str,
        *,
        endpoint: str | None = None,
        method: str | None = None,
        status_code: int | None = None,
    ) -> None:
        self.detail = detail
        self.endpoint = endpoint
        self.method = method
        self.status_code = status_code
        super().__init__(self._message())

    def _message(self) -> str:
        where = f"{self.method} {self.endpoint}" if self.endpoint and self.method else self.endpoint
        status = f" (HTTP {self.status_code})" if self.status_code is not None else ""
        prefix = f"InvGate {where}{status}: " if where else f"InvGate{status}: "
        return prefix + self.detail


class InvGateTransientError(InvGateError):
    """The call may succeed later. `retry_after` is InvGate's own hint in seconds, if it gave one."""

    def __init__(
        self,
        detail: str,
        *,
        endpoint: str | None = None,
        method: str | None = None,
        status_code: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.retry_after = retry_after
        super().__init__(detail, endpoint=endpoint, method=method, status_code=status_code)


class InvGateTimeout(InvGateTransientError):
    """No complete reply in time; InvGate may still have carried the call out."""


class InvGateConnectionError(InvGateTransientError):
    """The connection failed or broke; for a write, the outcome is unknown."""


class InvGateUnavailable(InvGateTransientError):
    """InvGate answered 5xx or 408."""


class InvGateRateLimited(InvGateTransientError):
    """InvGate answered 429: the per-minute limit of the endpoint or instance is used up."""


class InvGatePermanentError(InvGateError):
    """Retrying the same call cannot succeed; a person has to look."""


class InvGateAuthError(InvGatePermanentError):
    """The API user/key or the OAuth client was refused."""


class InvGateForbidden(InvGateAuthError):
    """Authenticated, but not allowed: the token lacks the `api.v1.<endpoint>:<method>` scope."""


class InvGateNotFound(InvGatePermanentError):
    """InvGate does not know the endpoint (404)."""


class InvGateMethodNotAllowed(InvGatePermanentError):
    """The endpoint exists but not with this HTTP method (405)."""


class InvGateConflict(InvGatePermanentError):
    """InvGate refused for a business reason (409)."""


class InvGateMissingParameter(InvGatePermanentError):
    """A required parameter was missing or of the wrong type (428)."""


class InvGateLogicalError(InvGatePermanentError):
    """HTTP 200 with `{"status": "ERROR"}`: InvGate understood the call and refused it."""


class InvGateRejected(InvGatePermanentError):
    """Another 4xx answer (400, 413, 422, ...)."""


class InvGateUnexpectedResponse(InvGatePermanentError):
    """The reply was not JSON or not of the documented shape."""
