"""Who is calling: the session a valid access token belongs to."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Role = Literal["citizen", "staff"]


@dataclass(frozen=True, slots=True)
class AuthSession:
    """The caller of an authenticated request; the role is the one kept in the session record."""

    session_id: str
    account_id: str
    role: Role
    email_verified: bool
    language: str
