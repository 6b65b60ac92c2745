"""InvGate helpdesk ids → helpdesk names, for reading back where tickets ended.

Staff may move a ticket to any helpdesk, or to a *level* of one (InvGate's escalation tiers,
e.g. "Wegen en Mobiliteit" level 2). Levels have no name of their own and are not in the
`helpdesks` catalogue the directory reads, so a level id is named after its parent helpdesk.
An id nobody can name (a helpdesk created after the directory was read, or deleted since) makes
the directory re-read InvGate once per run; if it is still unknown, one clear log line per id
says so and the ticket gives no correction. Nothing here raises for an unknown id.
"""

from __future__ import annotations

import logging
from typing import Protocol, runtime_checkable

from cna_relay.directory import DirectoryError, ServiceDeskDirectory
from cna_relay.invgate import InvGatePermanentError
from cna_relay.invgate.models import Helpdesk, HelpdeskLevel

log = logging.getLogger(__name__)


@runtime_checkable
class KnowsLevels(Protocol):
    """A service desk that can list helpdesk levels (`InvGateClient` can; the Protocol need not)."""

    async def helpdesks_and_levels(self) -> tuple[Helpdesk | HelpdeskLevel, ...]: ...


class HelpdeskNamer:
    """Names helpdesk ids for one read-back run; InvGate is asked at most once per kind of lookup.

    Transient InvGate errors propagate (the run is retried later); a refused levels lookup or a
    directory configuration problem only leaves ids unnamed.
    """

    def __init__(self, desk: object, directory: ServiceDeskDirectory) -> None:
        self._desk = desk
        self._directory = directory
        self._refreshed = False
        self._level_parents: dict[int, int] | None = None
        self._reported: set[int] = set()

    async def name(self, helpdesk_id: int, *, ticket_id: int) -> str | None:
        """The helpdesk name for `helpdesk_id`, or None (logged once per id and run)."""
        name = self._directory.helpdesk_name(helpdesk_id)
        if name is None and not self._refreshed:
            await self._refresh()
            name = self._directory.helpdesk_name(helpdesk_id)
        if name is None:
            parent = (await self._parents()).get(helpdesk_id)
            name = None if parent is None else self._directory.helpdesk_name(parent)
        if name is None and helpdesk_id not in self._reported:
            self._reported.add(helpdesk_id)
            log.error(
                "InvGate helpdesk id %d (ticket %d and maybe others) is neither a helpdesk nor a level "
                "InvGate lists: no routing correction is stored for such tickets",
                helpdesk_id,
                ticket_id,
            )
        return name

    async def _refresh(self) -> None:
        self._refreshed = True
        try:
            await self._directory.refresh()
        except DirectoryError as exc:
            log.error("cannot read InvGate's helpdesks for the routing read-back: %s", exc)

    async def _parents(self) -> dict[int, int]:
        if self._level_parents is None:
            self._level_parents = await self._read_level_parents()
        return self._level_parents

    async def _read_level_parents(self) -> dict[int, int]:
        if not isinstance(self._desk, KnowsLevels):
            return {}
        try:
            items = await self._desk.helpdesks_and_levels()
        except InvGatePermanentError as exc:
            log.warning("cannot list InvGate helpdesk levels (%s): level ids stay unnamed", exc)
            return {}
        return {
            item.id: item.parent_id
            for item in items
            if isinstance(item, HelpdeskLevel) and item.parent_id is not None
        }
