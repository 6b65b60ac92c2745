"""File names a citizen sent us, made safe to show, mail and hand to InvGate.

No directories, no control or bidi characters, no characters Windows refuses, no hidden or
reserved names, no double extensions, bounded length, and always the extension of the real
content ("factuur.pdf.exe" holding a JPEG becomes "factuur_pdf.jpg").
"""

from __future__ import annotations

import re
import unicodedata

MAX_STEM = 80
FALLBACK_STEM = "bijlage"  # Dutch: the municipality's staff read these names in InvGate
_UNSAFE = re.compile(r'[<>:"|?*\\/\x00-\x1f\x7f]')
_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"} | {f"COM{n}" for n in range(10)} | {f"LPT{n}" for n in range(10)}
)


def sanitise_filename(declared: str | None, *, extension: str, fallback: str = FALLBACK_STEM) -> str:
    """`<safe stem>.<extension>` from whatever name the client declared."""
    stem = _stem(declared or "")
    if not stem or stem.upper() in _WINDOWS_RESERVED:
        stem = f"{stem}_{fallback}" if stem else fallback
    return f"{stem}.{extension}"


def _stem(declared: str) -> str:
    # Only the last path component, whichever separator the client's OS uses.
    name = re.split(r"[\\/]", declared)[-1]
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if _printable(ch))
    base, dot, _extension = name.rpartition(".")
    if dot and base:
        name = base
    name = _UNSAFE.sub("_", name).replace(".", "_")
    name = " ".join(name.split())
    name = name.strip(" _-")
    return _bounded(name)


def _printable(ch: str) -> bool:
    category = unicodedata.category(ch)
    # Cc/Cf/Cs/Co/Cn: controls, format (bidi overrides, zero-width), surrogates, private, unassigned.
    return not category.startswith("C") and category not in ("Zl", "Zp")


def _bounded(stem: str) -> str:
    stem = stem[:MAX_STEM]
    # Most file systems cap names at 255 bytes; leave room for the extension.
    while len(stem.encode()) > 200:
        stem = stem[:-1]
    return stem.rstrip(" _-")
