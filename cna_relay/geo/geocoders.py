"""The `Geocoder` port and its two geopy adapters (Nominatim, Flemish Geolocation API).

Adapters are synchronous (geopy is); `GeocodingService` runs them in a worker thread. They never
see personal data: only the text typed in the address box, or a rounded coordinate.

    GeocoderDown          provider unreachable, timed out, 5xx, 429 (with retry_after), refused us,
                          or answered something we cannot read: the caller answers 503
    (no exception)        nothing found: an empty list / None
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

from geopy.exc import GeocoderQueryError, GeocoderRateLimited, GeopyError
from geopy.geocoders import Nominatim

from cna_relay.geo.boundary import BBox
from cna_relay.geo.flemish import DEFAULT_DOMAIN as FLEMISH_DOMAIN
from cna_relay.geo.flemish import FlemishGeolocation
from cna_relay.geo.places import AddressParts, Candidate, candidate, flemish_parts, nominatim_parts
from cna_relay.geo.points import GeoPoint
from cna_relay.settings import RelaySettings

log = logging.getLogger(__name__)

NOMINATIM_DOMAIN = "nominatim.openstreetmap.org"
# The Flemish API cannot be bounded to an area: keep answers within ~2 km of the municipality.
FLEMISH_MARGIN_DEG = 0.02


class GeocoderDown(Exception):
    def __init__(self, reason: str, *, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class Geocoder(Protocol):
    """Forward and reverse geocoding for one municipality (blocking calls)."""

    @property
    def provider(self) -> str:
        """Short provider name: cache namespace and pacing gate."""
        ...

    def search(self, query: str, *, language: str, limit: int) -> list[Candidate]: ...

    def reverse(self, point: GeoPoint, *, language: str) -> Candidate | None: ...


class NominatimGeocoder:
    """Nominatim (public OSM server by default), bounded to the municipality's bounding box."""

    provider = "nominatim"

    def __init__(self, client: Any, bbox: BBox) -> None:
        self._client = client
        self._bbox = bbox

    def search(self, query: str, *, language: str, limit: int) -> list[Candidate]:
        found = _call(
            lambda: self._client.geocode(
                query,
                exactly_one=False,
                limit=limit,
                addressdetails=True,
                language=language,
                country_codes="be",
                viewbox=[(self._bbox.south, self._bbox.west), (self._bbox.north, self._bbox.east)],
                bounded=True,
            )
        )
        return _candidates(found, nominatim_parts)

    def reverse(self, point: GeoPoint, *, language: str) -> Candidate | None:
        found = _call(
            lambda: self._client.reverse(
                (point.lat, point.lon), exactly_one=True, language=language, addressdetails=True, zoom=18
            )
        )
        results = _candidates(found, nominatim_parts)
        return results[0] if results else None


class FlemishGeocoder:
    """The Flemish Geolocation API; Dutch labels whatever the request language."""

    provider = "flemish"

    def __init__(self, client: FlemishGeolocation, bbox: BBox) -> None:
        self._client = client
        self._bbox = bbox

    def search(self, query: str, *, language: str, limit: int) -> list[Candidate]:
        found = _call(lambda: self._client.geocode(query, exactly_one=False, limit=limit))
        results = _candidates(found, flemish_parts)
        return [c for c in results if self._bbox.contains(c.point, margin_deg=FLEMISH_MARGIN_DEG)]

    def reverse(self, point: GeoPoint, *, language: str) -> Candidate | None:
        found = _call(lambda: self._client.reverse((point.lat, point.lon), exactly_one=True, limit=1))
        results = _candidates(found, flemish_parts)
        return results[0] if results else None


def build_geocoder(settings: RelaySettings, bbox: BBox) -> Geocoder:
    """The geocoder `settings.geocoder` names, configured for polite use of the provider."""
    options: dict[str, Any] = {
        "scheme": settings.geocoder_scheme,
        "timeout": settings.geocoder_timeout_s,
        "user_agent": settings.geocoder_user_agent,
        # Explicit proxies: never pick up an HTTP(S)_PROXY from the environment by accident.
        "proxies": {"http": settings.geocoder_proxy, "https": settings.geocoder_proxy}
        if settings.geocoder_proxy
        else {},
    }
    if settings.geocoder == "flemish":
        domain = settings.geocoder_domain or FLEMISH_DOMAIN
        return FlemishGeocoder(FlemishGeolocation(domain=domain, **options), bbox)
    return NominatimGeocoder(Nominatim(domain=settings.geocoder_domain or NOMINATIM_DOMAIN, **options), bbox)


def _candidates(found: Any, parts_of: Callable[[dict[str, Any]], AddressParts]) -> list[Candidate]:
    """Label-worthy candidates from whatever geopy returned (None, one Location or a list)."""
    locations = found if isinstance(found, list) else [found] if found is not None else []
    results = []
    for location in locations:
        raw = getattr(location, "raw", None)
        if not isinstance(raw, dict):
            continue
        item = candidate(
            parts_of(raw), getattr(location, "latitude", None), getattr(location, "longitude", None)
        )
        if item is not None:
            results.append(item)
    return results


def _call(request: Callable[[], Any]) -> Any:
    """Run one provider request; geopy's error tree (and the odd exception a malformed answer
    makes geopy raise) becomes `GeocoderDown`, a provider-side 400 becomes "nothing found"."""
    try:
        return request()
    except GeocoderQueryError as exc:
        log.info("geocoder refused a query: %s", exc)
        return None
    except GeocoderRateLimited as exc:
        raise GeocoderDown("rate limited by the provider", retry_after=exc.retry_after) from exc
    except GeopyError as exc:
        raise GeocoderDown(f"{type(exc).__name__}: {exc}") from exc
    except (ValueError, TypeError, KeyError, AttributeError, IndexError) as exc:
        # geopy reads the provider's JSON without checking its shape.
        raise GeocoderDown(f"unreadable answer ({type(exc).__name__})") from exc
