"""The helpdesks the classifier routes to, and how foreign helpdesk names are mapped onto them.

The six routing targets and the triage desk are the helpdesks of the municipality's InvGate
(see the simulator's seed data). Names arriving from outside (training files, staff corrections
read back from InvGate) are matched leniently; anything that still does not match degrades to the
triage desk, so an unexpected name can never crash training or classification.
"""

from __future__ import annotations

import logging
import unicodedata

TRIAGE = "Algemeen Onthaal"
HELPDESKS: tuple[str, ...] = (
    "Wegen en Mobiliteit",
    "Afval en Netheid",
    "Groen en Natuur",
    "Openbare Verlichting",
    "Riolering en Water",
    "Openbare Orde en Overlast",
)
ALL_LABELS: tuple[str, ...] = (*HELPDESKS, TRIAGE)

_log = logging.getLogger(__name__)


def _fold(name: str) -> str:
    # "Wegen & Mobiliteit", "wegen en  mobiliteit" and "Wégen en Mobiliteit" are the same desk.
    decomposed = unicodedata.normalize("NFKD", name.replace("&", " en "))
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(letters.casefold().split())


_BY_FOLDED = {_fold(name): name for name in ALL_LABELS}


def canonical_helpdesk(name: object) -> str | None:
    """The known helpdesk `name` denotes (case, accents, spacing and '&' ignored), else None."""
    if not isinstance(name, str):
        return None
    return _BY_FOLDED.get(_fold(name))


def helpdesk_or_triage(name: object) -> str:
    """The known helpdesk `name` denotes; unknown or malformed names degrade to the triage desk."""
    known = canonical_helpdesk(name)
    if known is None:
        _log.warning("unknown helpdesk name %r: treated as %s", name, TRIAGE)
        return TRIAGE
    return known
