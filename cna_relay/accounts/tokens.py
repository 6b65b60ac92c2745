"""Random tokens and codes, and the digests stored instead of them.

Tokens are 256 random bits, URL-safe base64 (43 characters); the database keeps their SHA-256, so
a leaked table cannot be replayed. One-time codes are 6 digits: their digest is salted and bound
to the account and purpose, and a code is only useful for 15 minutes and 5 guesses anyway.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

TOKEN_BYTES = 32
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def looks_like_token(value: str) -> bool:
    """Cheap shape check before any database work (tampered or truncated tokens stop here)."""
    return _TOKEN_SHAPE.fullmatch(value) is not None


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def new_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def new_salt() -> str:
    return secrets.token_hex(16)


def code_digest(code: str, *, salt: str, account_id: str, purpose: str) -> str:
    material = f"{purpose}\x00{account_id}\x00{salt}\x00{code}".encode()
    return hashlib.sha256(material).hexdigest()


def same_digest(a: str, b: str) -> bool:
    """Constant-time equality, so response timing says nothing about how much of a value matched."""
    return hmac.compare_digest(a.encode("ascii"), b.encode("ascii"))
