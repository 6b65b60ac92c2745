"""What a geocoder found, and the short label a citizen reads ("Ieperstraat 12, 8980 Zonnebeke").

Labels are built from the provider's address parts, never from geopy's `address` (Nominatim's
`display_name` runs to "…, West-Vlaanderen, Vlaanderen, 8980, België / Belgique / Belgien").
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cna_relay.geo.points import GeoPoint

MAX_LABEL = 160

# Nominatim `address` keys, most specific first.
_STREET_KEYS = ("road", "pedestrian", "footway", "cycleway", "path", "square", "place")
_LOCALITY_KEYS = ("village", "town", "city", "hamlet", "suburb", "municipality")


@dataclass(frozen=True, slots=True)
class AddressParts:
    name: str = ""
    street: str = ""
    house_number: str = ""
    postcode: str = ""
    locality: str = ""

    def label(self) -> str | None:
        """ "<name>, <street> <number>, <postcode> <locality>", leaving out what is missing."""
        street = " ".join(part for part in (self.street, self.house_number) if part)
        place = " ".join(part for part in (self.postcode, self.locality) if part)
        name = self.name if self.name not in (self.street, street, self.locality) else ""
        if not (name or street or self.locality):
            return None
        return ", ".join(piece for piece in (name, street, place) if piece)[:MAX_LABEL]


@dataclass(frozen=True, slots=True)
class Candidate:
    """One place a provider returned: a label and WGS84 coordinates."""

    label: str
    point: GeoPoint

    def to_cache(self) -> dict[str, Any]:
        return {"label": self.label, "lat": self.point.lat, "lon": self.point.lon}

    @classmethod
    def from_cache(cls, data: Mapping[str, Any]) -> Candidate:
        return cls(str(data["label"]), GeoPoint(float(data["lat"]), float(data["lon"])))


def nominatim_parts(raw: Mapping[str, Any]) -> AddressParts:
    """Address parts of one Nominatim result (`format=json` with `addressdetails=1`)."""
    address = raw.get("address")
    if not isinstance(address, Mapping):
        return AddressParts()
    # A point of interest carries its name under its class or type ("tourism": "Tyne Cot").
    name = _text(raw.get("name")) or _keyed(address, raw.get("type")) or _keyed(address, raw.get("class"))
    return AddressParts(
        name=name,
        street=_first(address, _STREET_KEYS),
        house_number=_text(address.get("house_number")),
        postcode=_text(address.get("postcode")),
        locality=_first(address, _LOCALITY_KEYS),
    )


def flemish_parts(raw: Mapping[str, Any]) -> AddressParts:
    """Address parts of one `LocationResult` of the Flemish Geolocation API."""
    return AddressParts(
        street=_text(raw.get("Thoroughfarename")),
        house_number=_text(raw.get("Housenumber")),
        postcode=_text(raw.get("Zipcode")),
        locality=_text(raw.get("Municipality")),
    )


def candidate(parts: AddressParts, lat: Any, lon: Any) -> Candidate | None:
    """A `Candidate` when the provider gave a label-worthy address and real coordinates."""
    label = parts.label()
    try:
        point = GeoPoint(float(lat), float(lon))
    except (TypeError, ValueError):
        return None
    if label is None or not (math.isfinite(point.lat) and math.isfinite(point.lon)):
        return None
    if not (-90 <= point.lat <= 90 and -180 <= point.lon <= 180):
        return None
    return Candidate(label, point)


def _first(address: Mapping[str, Any], keys: tuple[str, ...]) -> str:
    for key in keys:
        value = _text(address.get(key))
        if value:
            return value
    return ""


def _keyed(address: Mapping[str, Any], key: Any) -> str:
    return _text(address.get(key)) if isinstance(key, str) else ""


def _text(value: Any) -> str:
    if not isinstance(value, str | int) or isinstance(value, bool):
        return ""
    # Provider text goes into our JSON and the app's UI: keep it one short, printable line.
    cleaned = "".join(ch for ch in str(value) if ch.isprintable())
    return " ".join(cleaned.split())[:80]
