"""Small device ports: the clock, saved preferences and the device's preferred locales.

Real adapters that need flet (`SharedPreferences`, `page.get_device_info()`) live in
`cna_app.adapters`; the in-memory versions here serve tests and platforms without the service.
"""

from __future__ import annotations

import asyncio
import time
from typing import Protocol

LANGUAGE_PREFERENCE = "cna.language"


class Clock(Protocol):
    """Monotonic seconds and sleeping, injected so cool-downs and retries are testable."""

    def now(self) -> float: ...

    async def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def now(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class Preferences(Protocol):
    """Non-secret settings kept between runs (the chosen language). Failures are swallowed by
    the adapters: forgetting a preference must never stop the app."""

    async def get(self, key: str) -> str | None: ...

    async def set(self, key: str, value: str) -> None: ...


class MemoryPreferences:
    def __init__(self, initial: dict[str, str] | None = None) -> None:
        self.values: dict[str, str] = dict(initial or {})

    async def get(self, key: str) -> str | None:
        return self.values.get(key)

    async def set(self, key: str, value: str) -> None:
        self.values[key] = value


class DeviceLocales(Protocol):
    async def preferred(self) -> list[str]:
        """The device's locale tags in order of preference (`["nl-BE", "en-US"]`), maybe empty."""
        ...


class FixedLocales:
    def __init__(self, tags: list[str]) -> None:
        self._tags = tags

    async def preferred(self) -> list[str]:
        return list(self._tags)
