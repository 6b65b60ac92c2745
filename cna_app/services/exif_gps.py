"""The position a camera wrote into a photo's EXIF (GPS IFD), read before the metadata is stripped.

Phones write degrees, minutes and seconds as rationals plus N/S and E/W references. Files from
other sources carry every kind of nonsense (zero denominators, NaN, 0/0 "null island", minutes
above 60, strings), so anything odd gives None rather than a wrong pin.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from PIL import Image

from cna_app.services.geo import GeoPoint

GPS_IFD = 0x8825
_LAT_REF, _LAT, _LON_REF, _LON = 1, 2, 3, 4


def photo_position(image: Image.Image) -> GeoPoint | None:
    """The GPS position in `image`'s EXIF, or None when there is none or it makes no sense."""
    try:
        gps = image.getexif().get_ifd(GPS_IFD)
    except (OSError, ValueError, TypeError, KeyError, SyntaxError):
        return None
    return position_from_gps_ifd(gps)


def position_from_gps_ifd(gps: Mapping[int, object]) -> GeoPoint | None:
    lat = _degrees(gps.get(_LAT), gps.get(_LAT_REF), positive="N", negative="S")
    lon = _degrees(gps.get(_LON), gps.get(_LON_REF), positive="E", negative="W")
    if lat is None or lon is None:
        return None
    point = GeoPoint(lat, lon)
    # 0,0 is what broken GPS chips and editors write when they have no fix.
    if not point.valid or (abs(lat) < 1e-9 and abs(lon) < 1e-9):
        return None
    return point


def _degrees(value: object, ref: object, *, positive: str, negative: str) -> float | None:
    parts = _numbers(value)
    if parts is None:
        return None
    degrees, minutes, seconds = [*parts, 0.0, 0.0][:3]
    if not (0 <= minutes < 60 and 0 <= seconds < 60 and degrees >= 0):
        return None
    sign = _sign(ref, positive=positive, negative=negative)
    if sign is None:
        return None
    return sign * (degrees + minutes / 60 + seconds / 3600)


def _numbers(value: object) -> tuple[float, ...] | None:
    if not isinstance(value, tuple | list) or not 1 <= len(value) <= 3:
        return None
    found = []
    for item in value:
        number = _number(item)
        if number is None:
            return None
        found.append(number)
    return tuple(found)


def _number(item: object) -> float | None:
    if isinstance(item, bool) or isinstance(item, str | bytes):
        return None
    try:
        number = float(item)  # type: ignore[arg-type]  # ints, floats and IFDRational
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def _sign(ref: object, *, positive: str, negative: str) -> int | None:
    if isinstance(ref, bytes):
        ref = ref.decode("ascii", errors="replace")
    if not isinstance(ref, str):
        return None
    letter = ref.strip("\x00 ").upper()
    if letter == positive:
        return 1
    if letter == negative:
        return -1
    return None
