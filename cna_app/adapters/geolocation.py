"""`Locator` on flet-geolocator: the platform's own location service (Android, iOS, macOS,
Windows, and the browser's `navigator.geolocation` on the web).

Every client call is bounded: a client build without the geolocator never answers, and a
browser that never shows its permission prompt must not leave "Gebruik mijn locatie" spinning.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

import flet_geolocator as fg

from cna_app.services.location import Fix, LocationUnavailable, checked_fix

T = TypeVar("T")
CLIENT_TIMEOUT_S = 10.0
POSITION_TIMEOUT_S = 20.0
_REFUSED = {
    fg.GeolocatorPermissionStatus.DENIED: "denied",
    fg.GeolocatorPermissionStatus.DENIED_FOREVER: "denied_forever",
}


class GeolocatorLocator:
    def __init__(
        self,
        geolocator: fg.Geolocator,
        *,
        web: bool,
        client_timeout_s: float = CLIENT_TIMEOUT_S,
        position_timeout_s: float = POSITION_TIMEOUT_S,
    ) -> None:
        self._geo = geolocator
        self._web = web
        self._client_timeout_s = client_timeout_s
        self._position_timeout_s = position_timeout_s

    async def locate(self) -> Fix:
        await self._ensure_permission()
        if not self._web and not await self._call(self._geo.is_location_service_enabled()):
            raise LocationUnavailable("disabled")
        position = await self._call(self._geo.get_current_position(), timeout_s=self._position_timeout_s)
        return checked_fix(position.latitude, position.longitude, position.accuracy, "geolocator")

    async def _ensure_permission(self) -> None:
        try:
            status = await self._call(self._geo.get_permission_status())
            if status is fg.GeolocatorPermissionStatus.DENIED:
                status = await self._call(self._geo.request_permission())
        except LocationUnavailable as exc:
            if exc.reason != "unsupported":
                raise
            return  # some browsers cannot tell; asking for the position will prompt
        refused = _REFUSED.get(status)
        if refused == "denied":
            raise LocationUnavailable("denied")
        if refused == "denied_forever":
            raise LocationUnavailable("denied_forever")

    async def _call(self, request: Awaitable[T], *, timeout_s: float | None = None) -> T:
        try:
            return await asyncio.wait_for(request, timeout_s or self._client_timeout_s)
        except TimeoutError as exc:
            raise LocationUnavailable("timeout") from exc
        except (RuntimeError, ValueError, TypeError) as exc:
            # How Flet reports a client-side failure: a denied prompt, no plugin, no service.
            text = str(exc).lower()
            if "denied" in text or "permission" in text:
                raise LocationUnavailable("denied", type(exc).__name__) from exc
            raise LocationUnavailable("unsupported", type(exc).__name__) from exc
