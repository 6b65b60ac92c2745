"""Staff corrections change what a retrained model predicts for similar, unseen texts."""

from __future__ import annotations

from datetime import UTC, datetime

from cna_relay.routing import Correction, Example, TrainedModel, train_model

ORDE = "Openbare Orde en Overlast"
# The municipality decided that shared e-scooters left on the pavement are an enforcement matter.
MOVED_TICKETS = [
    "Een deelstep ligt plat op het voetpad in de Molenstraat, mensen struikelen erover",
    "Deelsteps worden achtergelaten voor mijn oprit, elke ochtend twee of drie",
    "Elektrische step van een deelbedrijf ligt midden op het fietspad aan de brug",
    "Weer deelsteppen dwars over de stoep aan de bakker, geen doorgang met de kinderwagen",
]
SIMILAR_UNSEEN = [
    "Er ligt weer een deelstep midden op het voetpad aan de Kerkstraat",
    "deelsteppen overal op de stoep aan het station",
]


def _top(model: TrainedModel, text: str) -> str:
    return model.classify(text).ranking[0][0]


def test_corrections_change_predictions_for_similar_texts(
    seed_examples: list[Example], trained_model: TrainedModel
) -> None:
    assert [_top(trained_model, text) for text in SIMILAR_UNSEEN] != [ORDE, ORDE]
    corrections = [
        Correction(text, _top(trained_model, text), ORDE, f"INC-{n}", datetime(2026, 11, n + 1, tzinfo=UTC))
        for n, text in enumerate(MOVED_TICKETS)
    ]
    retrained = train_model(seed_examples, seed=trained_model.seed, corrections=corrections, threshold=0.4)
    assert [_top(retrained, text) for text in SIMILAR_UNSEEN] == [ORDE, ORDE]
    assert retrained.training.moved_corrections == len([c for c in corrections if c.predicted != ORDE])
    # Unrelated reports keep their helpdesk.
    assert _top(retrained, "De straatlamp brandt niet meer") == "Openbare Verlichting"
