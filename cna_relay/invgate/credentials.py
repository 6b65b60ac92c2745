"""Credentials for InvGate, wrapped so they cannot leak through logs, reprs or tracebacks.

`Secret` hides its value from `repr`, `str`, formatting and pickling; the value is read only
through `reveal()`, at the moment a header or token request is built.
"""

from __future__ import annotations

import base64
import hmac
from dataclasses import dataclass, field
from typing import NoReturn

_MASK = "**********"


class Secret:
    """A string that never shows itself. `Secret("k").reveal() == "k"`; `repr(Secret("k"))` is masked."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if not isinstance(value, str):
            raise TypeError("a Secret wraps a str")
        self._value = value

    def reveal(self) -> str:
        """The real value: pass it straight to the place that needs it, never to a log."""
        return self._value

    def __repr__(self) -> str:
        return f"Secret('{_MASK}')"

    def __str__(self) -> str:
        return _MASK

    def __format__(self, format_spec: str) -> str:
        return _MASK

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        # Constant time, so comparing secrets leaks nothing through timing.
        return hmac.compare_digest(self._value.encode(), other._value.encode())

    def __hash__(self) -> int:
        return hash(Secret)

    def __reduce__(self) -> NoReturn:
        # Pickling would write the value somewhere we do not control (caches, queues, dumps).
        raise TypeError("Secret values cannot be pickled")


@dataclass(frozen=True, slots=True)
class BasicCredentials:
    """InvGate's API user and key (Settings → Integrations → API). Used with HTTP Basic."""

    api_user: str
    api_key: Secret = field(repr=False)

    def __post_init__(self) -> None:
        if not self.api_user or ":" in self.api_user:
            raise ValueError("the InvGate API user must be non-empty and contain no ':'")
        if not self.api_key:
            raise ValueError("the InvGate API key must not be empty")

    def authorization(self) -> Secret:
        """The `Authorization` header value, itself kept secret."""
        raw = f"{self.api_user}:{self.api_key.reveal()}".encode()
        return Secret("Basic " + base64.b64encode(raw).decode("ascii"))


@dataclass(frozen=True, slots=True)
class OAuthClientCredentials:
    """An OAuth2 client-credentials pair. `scopes=None` asks for every scope the client uses."""

    client_id: str
    client_secret: Secret = field(repr=False)
    scopes: frozenset[str] | None = None
    token_url: str | None = None

    def __post_init__(self) -> None:
        if not self.client_id:
            raise ValueError("the OAuth client id must not be empty")
        if not self.client_secret:
            raise ValueError("the OAuth client secret must not be empty")
        if self.scopes is not None and any(not scope or " " in scope for scope in self.scopes):
            raise ValueError("OAuth scopes must be non-empty and contain no spaces")


Credentials = BasicCredentials | OAuthClientCredentials
