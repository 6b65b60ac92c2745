"""Free text from outside: normalised, bounded, free of control characters; one rule everywhere."""

from __future__ import annotations

import unicodedata
from typing import Any

from cna_relay.problems import FieldError

_ALLOWED_CONTROLS = frozenset("\n\t")


def normalise(value: str) -> str:
    """NFC, Windows line endings folded, surrounding white space trimmed."""
    return unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n").strip()


def has_forbidden_characters(value: str, *, multiline: bool = False) -> bool:
    """NUL, other C0/C1 controls, lone surrogates and bidi overrides have no place in citizen text.

    Bidi overrides (U+202A–U+202E, U+2066–U+2069) can make a ticket read differently from what
    was typed, so they are refused as well. `multiline` allows line feeds and tabs.
    """
    allowed = _ALLOWED_CONTROLS if multiline else frozenset()
    for ch in value:
        category = unicodedata.category(ch)
        if category == "Cc" and ch not in allowed:
            return True
        if category == "Cs" or "\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u2069":
            return True
    return False


def clean_text(
    errors: list[FieldError],
    field: str,
    value: Any,
    *,
    max_length: int,
    required: bool,
    multiline: bool = False,
) -> str | None:
    """`value` normalised and checked; None (with an entry in `errors` when that is a problem) for
    a missing, empty or refused value."""
    if value is None or (isinstance(value, str) and not value.strip() and not required):
        if required:
            errors.append(FieldError(field, "required"))
        return None
    if not isinstance(value, str):
        errors.append(FieldError(field, "invalid"))
        return None
    text = normalise(value)
    if has_forbidden_characters(text, multiline=multiline):
        errors.append(FieldError(field, "control_characters"))
        return None
    if not text:
        errors.append(FieldError(field, "required"))
        return None
    if len(text) > max_length:
        errors.append(FieldError(field, "too_long", {"max": max_length}))
        return None
    return text
