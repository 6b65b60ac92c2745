"""Cleaning the report's description before it is kept or sent."""

from __future__ import annotations

import unicodedata


def clean_text(value: str) -> str:
    """The description as the relay will accept it: NFC, Unix line ends, no control characters
    or bidi overrides (they can make a ticket read differently from what was typed), trimmed."""
    text = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if _allowed(ch)).strip()


def _allowed(ch: str) -> bool:
    if ch in "\n\t":
        return True
    category = unicodedata.category(ch)
    return category not in ("Cc", "Cs") and not ("\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u2069")
