"""Location-service fixtures: the geocoder stub, and geo services on a migrated database."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from cna_relay.context import RelayContext, build_context
from cna_relay.db.migrate import upgrade
from cna_relay.geo.services import GeoServices, build_geo_services
from cna_relay.settings import RelaySettings
from tests.support.clock import FakeClock
from tests.support.geocoder_stub import GeocoderStub, running_geocoder_stub


@pytest.fixture
def geocoder_stub() -> Iterator[GeocoderStub]:
    with running_geocoder_stub() as stub:
        yield stub


def geo_settings(stub: GeocoderStub, database_url: str, **overrides: Any) -> RelaySettings:
    values: dict[str, Any] = {
        "environment": "test",
        "database_url": database_url,
        "geocoder_domain": stub.domain,
        "geocoder_scheme": "http",
        "geocoder_user_agent": "cna-relay-tests/1.0 (+mailto:tests@gemeente.example)",
        "geocoder_timeout_s": 2.0,
    }
    return RelaySettings(**{**values, **overrides})


@dataclass
class RecordingSleep:
    """Stands in for asyncio.sleep: remembers each wait and moves the fake clock by it."""

    clock: FakeClock
    waits: list[float] = field(default_factory=list)
    # False: the sleeper's time does not pass for others (requests that arrive together).
    advance: bool = True

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        if self.advance:
            self.clock.advance(seconds)


@dataclass
class GeoRig:
    context: RelayContext
    services: GeoServices
    stub: GeocoderStub
    sleep: RecordingSleep
    clock: FakeClock

    def another_process(self) -> GeoServices:
        """Services as a second relay process would build them: same database, own objects."""
        return build_geo_services(self.context, sleep=self.sleep)


@pytest.fixture
async def geo_rig_factory(
    geocoder_stub: GeocoderStub, database_url: str, clock: FakeClock
) -> AsyncIterator[Any]:
    """`await make(**settings_overrides)` → a `GeoRig` on the parametrised database."""
    upgrade(database_url)
    contexts: list[RelayContext] = []

    async def make(**overrides: Any) -> GeoRig:
        context = build_context(geo_settings(geocoder_stub, database_url, **overrides), clock=clock)
        contexts.append(context)
        sleep = RecordingSleep(clock)
        services = build_geo_services(context, sleep=sleep)
        return GeoRig(context, services, geocoder_stub, sleep, clock)

    yield make
    for context in contexts:
        await context.stop()


@pytest.fixture
async def geo_rig(geo_rig_factory: Any) -> GeoRig:
    rig: GeoRig = await geo_rig_factory()
    return rig
