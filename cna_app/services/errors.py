"""What can go wrong when the app talks to the relay, as one small tree.

    RelayError
    ├── RelayUnavailable   no answer, a timeout, a gateway error or an answer we cannot read:
    │                      the app keeps what the user typed and offers to try again
    ├── RelayProblem       the relay answered with application/problem+json: `code` says what,
    │                      `detail` is a sentence in the user's language, `errors` are per field
    └── SessionExpired     the session cannot be renewed any more: log in again

`cna_app.services.http_relay` is the only place that turns httpx errors and HTTP answers into
these; view models branch on them and never see httpx.
"""

from __future__ import annotations

from dataclasses import dataclass


class RelayError(Exception):
    """Base of every error the relay adapter raises."""


class RelayUnavailable(RelayError):
    """The relay could not be reached or gave an answer the app cannot use."""


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One `errors[]` item of a problem: `field` is a dotted path such as `location.lat`."""

    field: str
    code: str
    message: str

    @property
    def root(self) -> str:
        """The form field this error belongs to (`location.lat` → `location`)."""
        return self.field.split(".")[0]


class RelayProblem(RelayError):
    """The relay refused the request and said why (RFC 9457 problem details)."""

    def __init__(
        self,
        *,
        status: int,
        code: str,
        detail: str = "",
        errors: tuple[FieldProblem, ...] = (),
        retry_after_s: int | None = None,
    ) -> None:
        super().__init__(f"{status} {code}")
        self.status = status
        self.code = code
        self.detail = detail
        self.errors = errors
        self.retry_after_s = retry_after_s

    def __repr__(self) -> str:
        # `detail` may repeat what the user typed (an e-mail address): keep it out of reprs and logs.
        return (
            f"RelayProblem(status={self.status}, code={self.code!r}, fields={[e.field for e in self.errors]})"
        )


class SessionExpired(RelayError):
    """The tokens are gone or refused for good; the user must log in again."""
