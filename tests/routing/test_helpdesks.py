from __future__ import annotations

import pytest

from cna_relay.routing.helpdesks import ALL_LABELS, HELPDESKS, TRIAGE, canonical_helpdesk, helpdesk_or_triage


def test_six_routing_helpdesks_and_a_separate_triage_desk() -> None:
    assert len(HELPDESKS) == 6
    assert TRIAGE not in HELPDESKS
    assert ALL_LABELS == (*HELPDESKS, TRIAGE)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Wegen en Mobiliteit", "Wegen en Mobiliteit"),
        ("wegen & mobiliteit", "Wegen en Mobiliteit"),
        ("  RIOLERING   EN WATER ", "Riolering en Water"),
        ("Openbare Orde en Overlast", "Openbare Orde en Overlast"),
        ("algemeen onthaal", TRIAGE),
    ],
)
def test_known_names_match_leniently(name: str, expected: str) -> None:
    assert canonical_helpdesk(name) == expected


@pytest.mark.parametrize("name", ["Burgerzaken", "", "Wegen", None, 42, ["Wegen en Mobiliteit"]])
def test_unknown_or_malformed_names_degrade_to_triage(name: object) -> None:
    assert canonical_helpdesk(name) is None
    assert helpdesk_or_triage(name) == TRIAGE
