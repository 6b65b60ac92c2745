"""geopy has no Belgian geocoder: this is one for the Flemish Geolocation API (Digitaal Vlaanderen).

`GET /geolocation/v4/Location?q=<text>&c=<n>` geocodes, `?latlon=<lat>,<lon>&c=<n>` reverses;
both answer `{"LocationResult": [{"Municipality", "Zipcode", "Thoroughfarename", "Housenumber",
"FormattedAddress", "Location": {"Lat_WGS84", "Lon_WGS84", ...}, ...}]}`. The service covers
Flanders and Brussels and needs no key. Being a geopy `Geocoder`, it shares geopy's adapters,
timeouts, proxies, User-Agent and error mapping with the Nominatim geocoder.
"""

from __future__ import annotations

from functools import partial
from typing import Any
from urllib.parse import urlencode

from geopy.exc import GeocoderParseError
from geopy.geocoders.base import DEFAULT_SENTINEL, Geocoder
from geopy.location import Location

DEFAULT_DOMAIN = "geo.api.vlaanderen.be"
API_PATH = "/geolocation/v4/Location"


class FlemishGeolocation(Geocoder):  # type: ignore[misc]  # geopy ships no type information
    def __init__(
        self,
        *,
        domain: str = DEFAULT_DOMAIN,
        scheme: str | None = None,
        timeout: Any = DEFAULT_SENTINEL,
        proxies: Any = DEFAULT_SENTINEL,
        user_agent: str | None = None,
    ) -> None:
        super().__init__(scheme=scheme, timeout=timeout, proxies=proxies, user_agent=user_agent)
        self.api = f"{self.scheme}://{domain.strip('/')}{API_PATH}"

    def geocode(
        self, query: str, *, exactly_one: bool = True, limit: int = 10, timeout: Any = DEFAULT_SENTINEL
    ) -> Location | list[Location] | None:
        count = 1 if exactly_one else limit
        url = f"{self.api}?{urlencode({'q': query, 'c': count})}"
        return self._call_geocoder(url, partial(self._parse, exactly_one=exactly_one), timeout=timeout)

    def reverse(
        self, query: Any, *, exactly_one: bool = True, limit: int = 1, timeout: Any = DEFAULT_SENTINEL
    ) -> Location | list[Location] | None:
        latlon = self._coerce_point_to_string(query)
        url = f"{self.api}?{urlencode({'latlon': latlon, 'c': limit})}"
        return self._call_geocoder(url, partial(self._parse, exactly_one=exactly_one), timeout=timeout)

    def _parse(self, data: Any, *, exactly_one: bool) -> Location | list[Location] | None:
        if not isinstance(data, dict):
            raise GeocoderParseError("the Flemish Geolocation API did not answer a JSON object")
        results = data.get("LocationResult") or []
        if not isinstance(results, list):
            raise GeocoderParseError("LocationResult is not a list")
        locations = [location for location in map(_location, results) if location is not None]
        if not locations:
            return None
        return locations[0] if exactly_one else locations


def _location(result: Any) -> Location | None:
    if not isinstance(result, dict) or not isinstance(result.get("Location"), dict):
        return None
    position = result["Location"]
    try:
        point = (float(position["Lat_WGS84"]), float(position["Lon_WGS84"]))
        # geopy's Point refuses NaN and out-of-range values with ValueError.
        return Location(str(result.get("FormattedAddress") or ""), point, result)
    except (KeyError, TypeError, ValueError):
        return None
