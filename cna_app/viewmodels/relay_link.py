"""`RelayLink`: the relay's configuration, and whether the relay answers at all.

At start (`start`) the link asks the relay for its configuration. When the relay does not answer
and the device keeps a copy from an earlier run (`StartupCache`), the app starts from the copy in
*offline mode* (`offline`) at once; with no copy (a first-ever start) it waits on the calm retry
screen until the relay answers. A good answer always replaces the copy. In offline mode
`until_back_online` keeps asking quietly and leaves offline mode when the relay answers.

`GET /v1/config` is the app's probe: it needs no session, is small, and its answer is what the
shell needs anyway. Between tries the link waits 2, 4, 8, 15 and then 30 s (the last step
repeats). It waits in one of two ways:

- `countdown=True` for the blocking retry screen of a first-ever start: a visible countdown,
  second by second;
- `countdown=False` behind the offline banner: a quiet sleep, since the app is in use meanwhile
  and a refresh every second would only cost battery.

"Try again now" (`retry_now`) and any sign of life from the relay elsewhere in the app (a report
from the outbox got through) cut the wait short.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence

from cna_app.contract.wire import ConfigView
from cna_app.services.device import Clock
from cna_app.services.errors import RelayError
from cna_app.services.relay import RelayApi
from cna_app.services.relay_config import RelayConfig, relay_config_from_wire
from cna_app.services.startup_cache import StartupCache
from cna_app.viewmodels.changes import Changes

RETRY_DELAYS_S: tuple[int, ...] = (2, 4, 8, 15, 30)
# With a copy of the configuration on the device, a relay that takes longer than this to answer
# at start-up counts as unreachable: the citizen gets the app now, the probe keeps asking.
FIRST_ANSWER_S = 5.0


class RelayLink:
    def __init__(
        self,
        relay: RelayApi,
        clock: Clock,
        changes: Changes,
        *,
        cache: StartupCache | None = None,
        delays_s: Sequence[int] = RETRY_DELAYS_S,
    ) -> None:
        self._relay = relay
        self._clock = clock
        self._changes = changes
        self._cache = cache
        self._delays = tuple(delays_s) or RETRY_DELAYS_S
        self._retry_now = asyncio.Event()
        self.config: RelayConfig | None = None
        self.offline = False
        self.retrying = False
        self.next_retry_in: int | None = None

    # ---- the configuration ---------------------------------------------------------------

    async def start(self, *, unreachable: Callable[[int], None]) -> None:
        """Get a configuration: the relay's, else the device's copy (offline), else wait for the
        relay, calling `unreachable(attempt)` after each miss (the retry screen)."""
        kept = await self._cache.config() if self._cache else None
        view = await self.ask(limit_s=FIRST_ANSWER_S if kept is not None else None)
        if view is None and kept is not None:
            self.config = relay_config_from_wire(kept)
            self.offline = True
            return
        if view is None:
            view = await self.wait_for_answer(countdown=True, failed=unreachable)
        await self._adopt(view, kept)

    async def until_back_online(self) -> bool:
        """Offline mode: ask quietly until the relay answers, then leave offline mode. True when
        the relay's configuration differs from the copy the app ran on."""
        view = await self.wait_for_answer(countdown=False)
        before = self.config.raw if self.config else None
        await self._adopt(view, before)
        self.offline = False
        return view != before

    async def _adopt(self, view: ConfigView, kept: ConfigView | None) -> None:
        self.config = relay_config_from_wire(view)
        if self._cache is not None and view != kept:
            await self._cache.keep_config(view)

    # ---- asking --------------------------------------------------------------------------

    async def ask(self, *, limit_s: float | None = None) -> ConfigView | None:
        """One try: the relay's configuration, or None when it answers with an error or does
        not answer (within `limit_s` on the app's clock, when given)."""
        self.retrying = True
        self._changes.notify()
        try:
            if limit_s is None:
                return await self._relay.get_config()
            return await self._within(limit_s)
        except RelayError:
            return None
        finally:
            self.retrying = False
            self._changes.notify()

    async def _within(self, limit_s: float) -> ConfigView | None:
        answer = asyncio.ensure_future(self._relay.get_config())
        timer = asyncio.ensure_future(self._clock.sleep(limit_s))
        try:
            await asyncio.wait({answer, timer}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            # The loser (or both, when the page closed meanwhile) must not linger.
            for task in (answer, timer):
                if not task.done():
                    task.cancel()
            await asyncio.gather(answer, timer, return_exceptions=True)
        return None if answer.cancelled() else answer.result()

    async def wait_for_answer(
        self, *, countdown: bool, failed: Callable[[int], None] | None = None
    ) -> ConfigView:
        """Wait, try, and so on until the relay answers; `failed(attempt)` after each miss
        (attempt 0 is the one before this call)."""
        attempt = 0
        while True:
            if failed is not None:
                failed(attempt)
            delay = self._delays[min(attempt, len(self._delays) - 1)]
            await (self._count_down(delay) if countdown else self._sleep_unless_retry(delay))
            attempt += 1
            # Cleared just before asking: a sign of life that arrives while this try is on its
            # way still cuts the next wait short.
            self._retry_now.clear()
            view = await self.ask()
            if view is not None:
                return view

    def retry_now(self) -> None:
        """Skip the rest of the current wait."""
        self._retry_now.set()

    async def _count_down(self, seconds: int) -> None:
        for remaining in range(seconds, 0, -1):
            self.next_retry_in = remaining
            self._changes.notify()
            if await self._sleep_unless_retry(1):
                break
        self.next_retry_in = None

    async def _sleep_unless_retry(self, seconds: float) -> bool:
        sleeper = asyncio.ensure_future(self._clock.sleep(seconds))
        retry = asyncio.ensure_future(self._retry_now.wait())
        done, pending = await asyncio.wait({sleeper, retry}, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        return retry in done
