"""WGS84 points from outside input, validated before anything else looks at them.

Coordinates arrive as JSON numbers (report intake) or query strings (`/v1/reverse`). Both go
through `parse_point`, which refuses booleans, NaN, infinities, exotic number spellings and
out-of-range values with per-field errors (`location.lat`, `lon`, ...).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from cna_relay.problems import FieldError, ValidationFailed

# Plain decimal notation only: no "nan", "inf", "1_000", hex or 300-digit exponents.
_DECIMAL = re.compile(r"[+-]?(?:\d{1,3}(?:\.\d{0,15})?|\.\d{1,15})")
_MAX_TEXT = 32


@dataclass(frozen=True, slots=True)
class GeoPoint:
    """A WGS84 position; latitude first, as people say it (GeoJSON stores lon, lat)."""

    lat: float
    lon: float

    def rounded(self, decimals: int = 4) -> GeoPoint:
        """The point on a grid of 10^-decimals degrees (4 decimals ≈ 11 m of latitude)."""
        return GeoPoint(round(self.lat, decimals), round(self.lon, decimals))


def parse_point(lat: object, lon: object, *, field: str = "") -> GeoPoint:
    """A `GeoPoint`, or `ValidationFailed` naming each bad coordinate (`<field>.lat`, `<field>.lon`)."""
    prefix = f"{field}." if field else ""
    errors: list[FieldError] = []
    latitude = _coordinate(lat, f"{prefix}lat", limit=90.0, errors=errors)
    longitude = _coordinate(lon, f"{prefix}lon", limit=180.0, errors=errors)
    if errors or latitude is None or longitude is None:
        raise ValidationFailed(errors)
    return GeoPoint(latitude, longitude)


def _coordinate(value: object, field: str, *, limit: float, errors: list[FieldError]) -> float | None:
    number = _as_number(value)
    if number is None:
        errors.append(FieldError(field, "required" if value is None else "not_a_number"))
        return None
    if not -limit <= number <= limit:
        errors.append(FieldError(field, "out_of_range", {"min": -limit, "max": limit}))
        return None
    return number


def _as_number(value: object) -> float | None:
    # bool is an int in Python; `true` is not a coordinate.
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:  # an int with hundreds of digits
            return None
    elif isinstance(value, str) and len(value) <= _MAX_TEXT and _DECIMAL.fullmatch(value.strip()):
        number = float(value.strip())
    else:
        return None
    return number if math.isfinite(number) else None
