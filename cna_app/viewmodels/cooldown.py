"""`Cooldown`: how long before "send a new code" may be pressed again, counted down on screen."""

from __future__ import annotations

import asyncio
import math

from cna_app.services.device import Clock
from cna_app.viewmodels.changes import Changes


class Cooldown:
    """Counts down from `start(seconds)` to zero, announcing each whole second on `changes`."""

    def __init__(self, clock: Clock, changes: Changes) -> None:
        self._clock = clock
        self._changes = changes
        self._deadline = 0.0
        self._ticker: asyncio.Task[None] | None = None

    @property
    def remaining(self) -> int:
        return max(0, math.ceil(self._deadline - self._clock.now()))

    @property
    def ready(self) -> bool:
        return self.remaining == 0

    def start(self, seconds: float) -> None:
        """Begin a cool-down; must be called from a running event loop (a view-model command)."""
        self.cancel()
        self._deadline = self._clock.now() + max(0.0, seconds)
        if seconds > 0:
            self._ticker = asyncio.get_running_loop().create_task(self._tick())

    def cancel(self) -> None:
        self._deadline = 0.0
        if self._ticker is not None:
            self._ticker.cancel()
            self._ticker = None

    async def _tick(self) -> None:
        while self.remaining > 0:
            # Sleep to the next whole second so the countdown reads 60, 59, 58… on time.
            fraction = (self._deadline - self._clock.now()) % 1 or 1.0
            await self._clock.sleep(fraction)
            self._changes.notify()
        self._ticker = None
