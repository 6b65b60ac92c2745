"""Names → InvGate ids: helpdesks, their categories, sources, and the integration agent.

InvGate ids differ per instance (QA vs production), so the relay configures names and resolves
them by reading InvGate's catalogues, at start-up when InvGate answers and again whenever a name
is missing or the cache is old. A missing helpdesk never crashes delivery: it falls back to the
triage desk with a clear log line.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from cna_relay.clock import Clock
from cna_relay.invgate import ServiceDesk

log = logging.getLogger(__name__)


class DirectoryError(Exception):
    """A configured name does not exist in InvGate (a configuration problem, not an outage)."""


@dataclass(frozen=True, slots=True)
class Destination:
    helpdesk: str
    helpdesk_id: int
    category_id: int


@dataclass(frozen=True, slots=True)
class DirectoryNames:
    integration_user_email: str
    triage_helpdesk: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class _Snapshot:
    helpdesks: dict[str, int]
    helpdesk_names: dict[int, str]
    categories: dict[str, int]
    sources: dict[str, int]
    integration_user_id: int
    loaded_at: datetime


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


class ServiceDeskDirectory:
    def __init__(
        self, desk: ServiceDesk, names: DirectoryNames, clock: Clock, *, max_age_s: float = 3600
    ) -> None:
        self._desk = desk
        self._names = names
        self._clock = clock
        self._max_age = timedelta(seconds=max_age_s)
        self._snapshot: _Snapshot | None = None
        self._lock = asyncio.Lock()

    async def refresh(self) -> None:
        """Read the catalogues now. Raises InvGate errors (transient or permanent)."""
        async with self._lock:
            helpdesks = await self._desk.helpdesks()
            categories = await self._desk.categories()
            sources = await self._desk.sources()
            agent = await self._desk.find_user_by_email(self._names.integration_user_email)
            if agent is None:
                raise DirectoryError(
                    f"integration user {self._names.integration_user_email} not found in InvGate"
                )
            self._snapshot = _Snapshot(
                helpdesks={_key(item.name): item.id for item in helpdesks},
                helpdesk_names={item.id: item.name for item in helpdesks},
                categories={_key(item.name): item.id for item in categories},
                sources={_key(item.name): item.id for item in sources},
                integration_user_id=agent.id,
                loaded_at=self._clock.now(),
            )
            log.info("InvGate directory loaded: %d helpdesks, %d categories", len(helpdesks), len(categories))

    async def _current(self, *, needs: str | None = None) -> _Snapshot:
        snapshot = self._snapshot
        stale = snapshot is None or self._clock.now() - snapshot.loaded_at > self._max_age
        missing = snapshot is not None and needs is not None and _key(needs) not in snapshot.helpdesks
        if stale or missing:
            await self.refresh()
        assert self._snapshot is not None
        return self._snapshot

    async def integration_user_id(self) -> int:
        return (await self._current()).integration_user_id

    async def source_id(self, name: str) -> int | None:
        return (await self._current()).sources.get(_key(name))

    async def destination(self, helpdesk: str) -> Destination:
        """Where a ticket for `helpdesk` goes; the triage desk when InvGate does not know the name."""
        snapshot = await self._current(needs=helpdesk)
        found = self._lookup(snapshot, helpdesk)
        if found is not None:
            return found
        log.error(
            "helpdesk %r (or its category) is not in InvGate: routing to %r",
            helpdesk,
            self._names.triage_helpdesk,
        )
        triage = self._lookup(snapshot, self._names.triage_helpdesk)
        if triage is None:
            raise DirectoryError(f"triage helpdesk {self._names.triage_helpdesk!r} is not in InvGate")
        return triage

    @staticmethod
    def _lookup(snapshot: _Snapshot, helpdesk: str) -> Destination | None:
        helpdesk_id = snapshot.helpdesks.get(_key(helpdesk))
        category_id = snapshot.categories.get(_key(helpdesk))
        if helpdesk_id is None or category_id is None:
            return None
        return Destination(helpdesk=helpdesk, helpdesk_id=helpdesk_id, category_id=category_id)

    def helpdesk_name(self, helpdesk_id: int) -> str | None:
        """The configured name of a helpdesk id, from the last snapshot (for reading back corrections)."""
        return None if self._snapshot is None else self._snapshot.helpdesk_names.get(helpdesk_id)
