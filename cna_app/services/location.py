"""Where the device is: "Gebruik mijn locatie" as a chain of locators, first answer wins.

`Locator` is the port the report form uses. The chain tries flet-geolocator first (Android, iOS,
macOS, Windows, web: `cna_app.adapters.geolocation`), then plyer where it is installed (today it
adds nothing inside a Flet app, see `docs/app.md`, but costs nothing to ask), and ends with a
`LocationUnavailable` whose `reason` the form turns into a plain sentence. The map pin and the
address search always remain, so a missing GPS never blocks a report.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from cna_app.services.geo import GeoPoint

# Why no position came: the user said no (now, or for good), the device has location turned off,
# nothing on this platform can locate, or it took too long.
Reason = Literal["denied", "denied_forever", "disabled", "unsupported", "timeout"]
DEFAULT_TIMEOUT_S = 20.0


class LocationUnavailable(Exception):
    def __init__(self, reason: Reason, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason: Reason = reason


@dataclass(frozen=True, slots=True)
class Fix:
    """A position from the device; `accuracy_m` is the radius it is probably within."""

    point: GeoPoint
    accuracy_m: float | None
    provider: str


class Locator(Protocol):
    async def locate(self) -> Fix:
        """The device's position, or `LocationUnavailable`."""
        ...


def checked_fix(lat: object, lon: object, accuracy: object, provider: str) -> Fix:
    """A `Fix` from what a platform reported, refusing values that cannot be a position."""
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lat, lon)):
        raise LocationUnavailable("unsupported", f"{provider}: no coordinates")
    point = GeoPoint(float(lat), float(lon))  # type: ignore[arg-type]
    if not point.valid:
        raise LocationUnavailable("unsupported", f"{provider}: impossible coordinates")
    radius = float(accuracy) if isinstance(accuracy, int | float) and not isinstance(accuracy, bool) else None
    if radius is not None and (not math.isfinite(radius) or radius < 0):
        radius = None
    return Fix(point, radius, provider)


class ChainLocator:
    """Asks each locator in turn; a refusal by the user ends the chain (asking again is rude)."""

    def __init__(self, locators: Sequence[Locator], *, timeout_s: float = DEFAULT_TIMEOUT_S) -> None:
        self._locators = list(locators)
        self._timeout_s = timeout_s

    async def locate(self) -> Fix:
        last = LocationUnavailable("unsupported", "no locator")
        for locator in self._locators:
            try:
                return await asyncio.wait_for(locator.locate(), self._timeout_s)
            except TimeoutError:
                last = LocationUnavailable("timeout")
            except LocationUnavailable as exc:
                if exc.reason in ("denied", "denied_forever"):
                    raise
                last = exc
        raise last


class PlyerLocator:
    """plyer's GPS facade, when plyer is installed and the platform has a backend (rarely, in a
    Flet app: desktop raises NotImplementedError, Android expects Kivy's activity)."""

    async def locate(self) -> Fix:
        loop = asyncio.get_running_loop()
        found: asyncio.Future[Fix] = loop.create_future()

        def on_location(**values: object) -> None:
            def deliver() -> None:
                if not found.done():
                    try:
                        found.set_result(checked_fix(values.get("lat"), values.get("lon"), None, "plyer"))
                    except LocationUnavailable as exc:
                        found.set_exception(exc)

            loop.call_soon_threadsafe(deliver)

        try:
            from plyer import gps

            gps.configure(on_location=on_location)
            gps.start(minTime=1000, minDistance=0)
        except Exception as exc:  # ImportError, NotImplementedError, Java/ObjC errors: all mean "no"
            raise LocationUnavailable("unsupported", f"plyer: {type(exc).__name__}") from exc
        try:
            return await found
        finally:
            try:
                gps.stop()
            except Exception:  # noqa: S110 - stopping a half-started backend may fail too
                pass


class NoLocator:
    """For platforms (and tests) without any way to locate the device."""

    async def locate(self) -> Fix:
        raise LocationUnavailable("unsupported", "no locator on this platform")
