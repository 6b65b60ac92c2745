"""Address-search input: validated once, normalised for the provider and for the cache key."""

from __future__ import annotations

import hashlib
import unicodedata

from cna_relay.geo.points import GeoPoint
from cna_relay.problems import FieldError, ValidationFailed
from cna_relay.text import has_forbidden_characters

MIN_QUERY = 3
MAX_QUERY = 200
MAX_RESULTS = 10
DEFAULT_RESULTS = 5
# Reverse queries and their cache keys use a ~11 m grid: close pins share an answer, and the
# provider never learns a citizen's exact position.
REVERSE_DECIMALS = 4


def search_text(raw: str | None, *, field: str = "q") -> str:
    """The query as sent to the provider (NFC, single spaces), or `ValidationFailed`."""
    if raw is None or not raw.strip():
        raise ValidationFailed([FieldError(field, "required")])
    if has_forbidden_characters(raw):
        raise ValidationFailed([FieldError(field, "control_characters")])
    text = " ".join(unicodedata.normalize("NFC", raw).split())
    if len(text) < MIN_QUERY:
        raise ValidationFailed([FieldError(field, "too_short", {"min": MIN_QUERY, "max": MAX_QUERY})])
    if len(text) > MAX_QUERY:
        raise ValidationFailed([FieldError(field, "too_long", {"min": MIN_QUERY, "max": MAX_QUERY})])
    return text


def search_key(provider: str, language: str, text: str) -> str:
    """Cache key of a search: case, accents' composition and spacing do not matter."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = " ".join(folded.replace(",", " , ").split())
    return _digest("search", provider, language, folded)


def reverse_key(provider: str, language: str, point: GeoPoint) -> str:
    grid = point.rounded(REVERSE_DECIMALS)
    return _digest(
        "reverse", provider, language, f"{grid.lat:.{REVERSE_DECIMALS}f},{grid.lon:.{REVERSE_DECIMALS}f}"
    )


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
