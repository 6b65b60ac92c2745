"""At start-up: read InvGate's catalogues and say early which routing helpdesks InvGate lacks.

Best effort: InvGate may be down while the relay starts. Then a warning is logged and the
directory reads the catalogues when the first ticket needs them. Delivery never depends on this.
"""

from __future__ import annotations

import asyncio
import logging

from cna_relay.directory import DirectoryError, ServiceDeskDirectory
from cna_relay.invgate import InvGateError
from cna_relay.routing.helpdesks import ALL_LABELS, TRIAGE

log = logging.getLogger(__name__)


async def check_routing_destinations(
    directory: ServiceDeskDirectory, *, timeout_s: float, triage: str = TRIAGE
) -> list[str] | None:
    """The routing helpdesks InvGate lacks (their reports go to triage), or None if unknown."""
    labels = [triage if label == TRIAGE else label for label in ALL_LABELS]
    try:
        async with asyncio.timeout(timeout_s):
            missing = [label for label in labels if (await directory.destination(label)).helpdesk != label]
    except (InvGateError, TimeoutError) as exc:
        log.warning("InvGate's helpdesks could not be read at start-up (%s); trying again on first use", exc)
        return None
    except DirectoryError as exc:
        log.error("InvGate's catalogues do not match the relay's settings: %s", exc)
        return None
    if missing:
        log.error(
            "InvGate has no helpdesk or category named %s: reports the model sends there go to %r",
            ", ".join(repr(name) for name in missing),
            triage,
        )
    return missing
