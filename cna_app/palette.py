"""Colours that meet WCAG 2.1 AA, derived from the municipality's colour.

The municipality picks its colour for its brand, not for contrast: a bright yellow on white is
unreadable. `schemes_for(brand)` keeps the brand's hue but darkens it (light theme) or lightens
it (dark theme) until text in it reaches 4.5:1 against the background, and picks black or white
for text on top of it. Pure Python so `tests/app/test_palette.py` can check every pair the views use.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Final

RGB = tuple[int, int, int]

DEFAULT_BRAND: Final = "#0B5C8E"
TEXT_CONTRAST: Final = 4.5  # WCAG 1.4.3, normal-size text
NON_TEXT_CONTRAST: Final = 3.0  # WCAG 1.4.11, field borders and icons
BLACK: Final = "#000000"
WHITE: Final = "#FFFFFF"


def parse_hex(value: object) -> RGB | None:
    """`#RGB` or `#RRGGBB` (case-insensitive) as a triple, else None."""
    if not isinstance(value, str) or not value.startswith("#"):
        return None
    digits = value[1:]
    if len(digits) == 3:
        digits = "".join(ch * 2 for ch in digits)
    if len(digits) != 6 or any(ch not in "0123456789abcdefABCDEF" for ch in digits):
        return None
    return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))


def to_hex(rgb: RGB) -> str:
    return "#{:02X}{:02X}{:02X}".format(*rgb)


def normalise_color(value: object, *, fallback: str = DEFAULT_BRAND) -> str:
    rgb = parse_hex(value)
    return to_hex(rgb) if rgb is not None else fallback


def relative_luminance(color: str) -> float:
    rgb = parse_hex(color)
    if rgb is None:
        raise ValueError(f"not a colour: {color!r}")

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """The WCAG contrast ratio of two colours, from 1 to 21."""
    a, b = relative_luminance(first), relative_luminance(second)
    light, dark = max(a, b), min(a, b)
    return (light + 0.05) / (dark + 0.05)


def mix(color: str, other: str, amount: float) -> str:
    """`color` moved `amount` (0..1) of the way towards `other`."""
    a, b = parse_hex(color), parse_hex(other)
    assert a is not None and b is not None
    r, g, bl = (round(x + (y - x) * amount) for x, y in zip(a, b, strict=True))
    return to_hex((r, g, bl))


def readable_on(background: str) -> str:
    """Black or white, whichever reads better on `background` (one of them always reaches 4.5:1)."""
    return BLACK if contrast_ratio(BLACK, background) >= contrast_ratio(WHITE, background) else WHITE


def with_contrast(color: str, *, against: str, minimum: float = TEXT_CONTRAST) -> str:
    """`color`, darkened or lightened in small steps until it reaches `minimum` against `against`."""
    towards = BLACK if relative_luminance(against) > 0.18 else WHITE
    step = 0
    candidate = color
    while contrast_ratio(candidate, against) < minimum and step < 100:
        step += 1
        candidate = mix(color, towards, step / 100)
    return candidate


@dataclass(frozen=True, slots=True)
class Scheme:
    """The colours one theme (light or dark) uses; every view colour comes from here."""

    primary: str  # buttons, links, app bar background
    on_primary: str
    surface: str  # page background
    container: str  # dialogs, banners, cards: a faint tint of the brand
    on_surface: str  # body text
    muted: str  # secondary text
    outline: str  # field borders
    error: str
    on_error: str
    success: str  # met password rules

    def as_dict(self) -> dict[str, str]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def schemes_for(brand: object) -> tuple[Scheme, Scheme]:
    """The light and dark scheme for a municipality colour (invalid colours use the default)."""
    color = normalise_color(brand)
    return _scheme(color, surface="#FAFAF8", ink="#1B1C1E", dark=False), _scheme(
        color, surface="#121416", ink="#E8E8E6", dark=True
    )


def _scheme(brand: str, *, surface: str, ink: str, dark: bool) -> Scheme:
    # Buttons and links sit on the page and on tinted containers: meet the contrast on both.
    container = mix(surface, with_contrast(brand, against=surface), 0.08)
    primary = with_contrast(brand, against=container)
    error = with_contrast("#F2B8B5" if dark else "#B3261E", against=container)
    return Scheme(
        primary=primary,
        on_primary=readable_on(primary),
        surface=surface,
        container=container,
        on_surface=ink,
        muted=with_contrast("#B4B9BF" if dark else "#4D5258", against=container),
        outline=with_contrast("#8A9097" if dark else "#70767D", against=container, minimum=NON_TEXT_CONTRAST),
        error=error,
        on_error=readable_on(error),
        success=with_contrast("#7FD49A" if dark else "#1E6B35", against=container),
    )
