"""Checks for free text from outside: normalised, bounded, free of control characters."""

from __future__ import annotations

import unicodedata

_ALLOWED_CONTROLS = frozenset("\n\t")


def normalise(value: str) -> str:
    """NFC, Windows line endings folded, surrounding white space trimmed."""
    return unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n").strip()


def has_forbidden_characters(value: str, *, multiline: bool = False) -> bool:
    """NUL, other C0/C1 controls, lone surrogates and bidi overrides have no place in citizen text.

    Bidi overrides (U+202A–U+202E, U+2066–U+2069) can make a ticket read differently from what
    was typed, so they are refused as well.
    """
    allowed = _ALLOWED_CONTROLS if multiline else frozenset()
    for ch in value:
        category = unicodedata.category(ch)
        if category == "Cc" and ch not in allowed:
            return True
        if category == "Cs" or "\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u2069":
            return True
    return False
