"""Address search and reverse geocoding for the app: cached, paced, bounded to the municipality.

Every relay process shares one cache (`geocode_cache`) and one pacing gate per provider
(`pace_gates`, e.g. at most one request a second to public Nominatim). A request whose turn at
the provider is more than `max_wait_s` away is answered 503 `geocoder_unavailable` with
Retry-After instead of holding a worker; so is a provider that is down, slow or rate limiting.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

from cna_app.contract.wire import GeocodeResults, Place, ReverseResult
from cna_relay.clock import Clock
from cna_relay.geo.boundary import Boundary
from cna_relay.geo.cache import GeocodeCache
from cna_relay.geo.geocoders import Geocoder, GeocoderDown
from cna_relay.geo.places import Candidate
from cna_relay.geo.points import GeoPoint
from cna_relay.geo.queries import MAX_RESULTS, REVERSE_DECIMALS, reverse_key, search_key
from cna_relay.pacing import Pacer
from cna_relay.problems import RelayError
from cna_relay.settings import RelaySettings

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
T = TypeVar("T")
# Retry-After when the provider is down and said nothing about when to come back.
DEFAULT_RETRY_AFTER_S = 30.0


@dataclass(frozen=True, slots=True)
class GeocodingPolicy:
    min_interval_s: float = 1.0
    max_wait_s: float = 3.0
    ttl_s: float = 7 * 24 * 3600
    negative_ttl_s: float = 24 * 3600

    @classmethod
    def from_settings(cls, settings: RelaySettings) -> GeocodingPolicy:
        return cls(
            min_interval_s=settings.geocoder_min_interval_s,
            max_wait_s=settings.geocoder_max_wait_s,
            ttl_s=settings.geocoder_cache_ttl_s,
            negative_ttl_s=settings.geocoder_negative_cache_ttl_s,
        )


def geocoder_unavailable(retry_after_s: float) -> RelayError:
    seconds = max(1, math.ceil(retry_after_s))
    return RelayError("geocoder_unavailable", status=503, headers={"Retry-After": str(seconds)})


class GeocodingService:
    """`search` and `reverse` as the API answers them (`GeocodeResults`, `ReverseResult`)."""

    def __init__(
        self,
        geocoder: Geocoder,
        boundary: Boundary,
        *,
        cache: GeocodeCache,
        pacer: Pacer,
        clock: Clock,
        policy: GeocodingPolicy,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._geocoder = geocoder
        self._boundary = boundary
        self._cache = cache
        self._pacer = pacer
        self._clock = clock
        self._policy = policy
        self._sleep = sleep
        self._gate = f"geocoder:{geocoder.provider}"

    async def search(self, text: str, *, language: str, limit: int) -> GeocodeResults:
        """Places matching `text` (already validated by `queries.search_text`), ours first."""
        key = search_key(self._geocoder.provider, language, text)
        candidates = await self._cached(key)
        if candidates is None:
            candidates = await self._ask(
                lambda: self._geocoder.search(text, language=language, limit=MAX_RESULTS)
            )
            await self._remember(key, candidates)
        places = [self._place(candidate) for candidate in candidates]
        # Stable sort: the provider's ranking survives within each group.
        places.sort(key=lambda place: not place["inside"])
        return GeocodeResults(results=places[: max(1, min(limit, MAX_RESULTS))])

    async def reverse(self, point: GeoPoint, *, language: str) -> ReverseResult:
        """The address at `point`; `label` is None when the provider knows none."""
        key = reverse_key(self._geocoder.provider, language, point)
        candidates = await self._cached(key)
        if candidates is None:
            grid = point.rounded(REVERSE_DECIMALS)
            found = await self._ask(lambda: self._geocoder.reverse(grid, language=language))
            candidates = [found] if isinstance(found, Candidate) else []
            await self._remember(key, candidates)
        label = candidates[0].label if candidates else None
        return ReverseResult(label=label, lat=point.lat, lon=point.lon)

    def _place(self, candidate: Candidate) -> Place:
        point = candidate.point
        return Place(label=candidate.label, lat=point.lat, lon=point.lon, inside=self._boundary.covers(point))

    async def _cached(self, key: str) -> list[Candidate] | None:
        rows = await self._cache.get(key)
        if rows is None:
            return None
        try:
            return [Candidate.from_cache(row) for row in rows]
        except (KeyError, TypeError, ValueError):
            return None  # a row from an older format: ask again

    async def _remember(self, key: str, candidates: list[Candidate]) -> None:
        ttl = self._policy.ttl_s if candidates else self._policy.negative_ttl_s
        rows = [candidate.to_cache() for candidate in candidates]
        await self._cache.put(key, provider=self._geocoder.provider, results=rows, ttl_s=ttl)

    async def _ask(self, request: Callable[[], T]) -> T:
        """One provider request: wait for our turn at the shared gate, then run it in a thread."""
        await self._take_turn()
        try:
            return await asyncio.to_thread(request)
        except GeocoderDown as exc:
            log.warning("geocoder %s unavailable: %s", self._geocoder.provider, exc)
            retry_after = exc.retry_after if exc.retry_after is not None else DEFAULT_RETRY_AFTER_S
            if exc.retry_after is not None:
                # The provider asked every one of our processes to back off, not just this request.
                until = self._clock.now() + timedelta(seconds=exc.retry_after)
                await self._pacer.hold_until(self._gate, until)
            raise geocoder_unavailable(retry_after) from exc

    async def _take_turn(self) -> None:
        policy = self._policy
        wait = await self._pacer.reserve(
            self._gate, interval_s=policy.min_interval_s, max_wait_s=policy.max_wait_s
        )
        if wait is None:
            raise geocoder_unavailable(await self._pacer.seconds_until_free(self._gate))
        if wait > 0:
            await self._sleep(wait)
