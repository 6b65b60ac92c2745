"""Classification behaviour of a trained model: shapes, triage, languages, reproducibility."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from cna_relay.routing import (
    DEFAULT_SEED,
    HELPDESKS,
    TRIAGE,
    Example,
    TrainedModel,
    TrainingError,
    train_model,
)
from cna_relay.routing.model import MAX_TEXT_CHARS
from cna_relay.routing.normalise import normalise


def test_confidence_is_the_probability_of_the_answered_helpdesk(trained_model: TrainedModel) -> None:
    # Signalen once reported the probability of the *first* class; guard against that.
    for text in ["Straatlamp brandt niet", "Gras is niet gemaaid", "Wat zijn de openingsuren?"]:
        prediction = trained_model.classify(text)
        assert prediction.confidence == dict(prediction.ranking)[prediction.helpdesk]


def test_ranking_covers_every_class_most_probable_first(trained_model: TrainedModel) -> None:
    ranking = trained_model.classify("Er ligt een gat in het voetpad aan de kerk").ranking
    assert {label for label, _ in ranking} == {*HELPDESKS, TRIAGE}
    probabilities = [p for _, p in ranking]
    assert probabilities == sorted(probabilities, reverse=True)
    assert sum(probabilities) == pytest.approx(1.0)
    assert all(0.0 <= p <= 1.0 for p in probabilities)


@pytest.mark.parametrize(
    ("text", "helpdesk"),
    [
        ("De straatlamp voor mijn deur flikkert al een week", "Openbare Verlichting"),
        ("Sluikstort van bouwafval aan de glasbol", "Afval en Netheid"),
        ("Het riool stinkt en de kolk is verstopt", "Riolering en Water"),
        ("Diepe put in het fietspad aan de brug", "Wegen en Mobiliteit"),
        ("Haag hangt over het voetpad en het gras is niet gemaaid", "Groen en Natuur"),
        ("Elke nacht lawaai van hangjongeren op het plein", "Openbare Orde en Overlast"),
    ],
)
def test_clear_dutch_reports_reach_their_helpdesk(
    trained_model: TrainedModel, text: str, helpdesk: str
) -> None:
    assert trained_model.classify(text).helpdesk == helpdesk


@pytest.mark.parametrize(
    ("text", "helpdesk"),
    [
        ("Le lampadaire devant chez moi ne s'allume plus depuis lundi", "Openbare Verlichting"),
        ("Des déchets et un vieux matelas abandonnés au bord du chemin", "Afval en Netheid"),
        ("L'égout est bouché et la rue est inondée", "Riolering en Water"),
        ("The street light outside number 8 keeps flickering", "Openbare Verlichting"),
        ("Someone dumped bags of rubbish next to the bottle bank", "Afval en Netheid"),
        ("Loud music and shouting from the square every night", "Openbare Orde en Overlast"),
    ],
)
def test_french_and_english_reports_are_routed_sensibly(
    trained_model: TrainedModel, text: str, helpdesk: str
) -> None:
    assert trained_model.classify(text).helpdesk == helpdesk


@pytest.mark.parametrize("text", ["", "   ", "...", "?", "👍", "1234", "ok", "\x00\x01"])
def test_texts_without_words_go_to_triage_with_zero_confidence(
    trained_model: TrainedModel, text: str
) -> None:
    prediction = trained_model.classify(text)
    assert (prediction.helpdesk, prediction.confidence, prediction.ranking) == (TRIAGE, 0.0, [])


@pytest.mark.parametrize(
    "text",
    [
        "asdfghjkl",
        "qsdkjf lkqsjdf",
        "Wat zijn de openingsuren van het gemeentehuis?",
        "Hoe verander ik mijn wachtwoord in de app?",
        "Hartelijk bedankt voor de snelle hulp!",
        "Mijn verwarmingsketel is kapot, wie kan ik bellen?",
        "Quelles sont les heures d'ouverture ?",
    ],
)
def test_gibberish_questions_and_thanks_go_to_triage(trained_model: TrainedModel, text: str) -> None:
    assert trained_model.classify(text).helpdesk == TRIAGE


def test_low_confidence_answers_triage_with_the_triage_probability(trained_model: TrainedModel) -> None:
    strict = dataclasses.replace(trained_model, threshold=0.999)
    text = "De straatlamp aan de kerk brandt niet meer"
    lenient = trained_model.classify(text)
    assert lenient.helpdesk != TRIAGE
    answered = strict.classify(text)
    assert answered.helpdesk == TRIAGE
    assert answered.confidence == dict(answered.ranking)[TRIAGE]
    assert answered.ranking == lenient.ranking


def test_an_ambiguous_multi_problem_report_falls_below_the_threshold(trained_model: TrainedModel) -> None:
    prediction = trained_model.classify("Boom ligt over de rijweg na het onweer en de lamp is ook kapot")
    assert prediction.helpdesk == TRIAGE
    assert prediction.ranking[0][1] < trained_model.threshold
    assert {label for label, _ in prediction.ranking[:2]} <= {
        "Groen en Natuur",
        "Openbare Verlichting",
        "Wegen en Mobiliteit",
    }


def test_threshold_is_chosen_from_data_within_the_candidate_range(trained_model: TrainedModel) -> None:
    assert 0.2 <= trained_model.threshold <= 0.8


def test_classify_many_keeps_order_and_matches_classify(trained_model: TrainedModel) -> None:
    texts = ["Putdeksel klappert", "", "Lamp kapot", "bedankt", "Gat in de weg"]
    assert trained_model.classify_many(texts) == [trained_model.classify(text) for text in texts]
    assert trained_model.classify_many([]) == []


def test_a_huge_text_is_classified_on_its_beginning(trained_model: TrainedModel) -> None:
    text = "De straatlamp brandt niet. " + "bla " * 1_000_000
    assert trained_model.classify(text) == trained_model.classify(text[:MAX_TEXT_CHARS])


def test_training_is_reproducible_for_a_seed(
    seed_examples: list[Example], trained_model: TrainedModel
) -> None:
    again = train_model(seed_examples, seed=DEFAULT_SEED)
    probe = [example.text for example in seed_examples[::7]] + ["Lamp kapot aan de kerk", "sluikstort"]
    assert again.threshold == trained_model.threshold
    assert again.training == trained_model.training
    assert again.classify_many(probe) == trained_model.classify_many(probe)
    normalised = [normalise(text) for text in probe]
    np.testing.assert_array_equal(
        again.scorer.predict_proba(normalised), trained_model.scorer.predict_proba(normalised)
    )
    np.testing.assert_array_equal(again.scorer.coef, trained_model.scorer.coef)


def test_unknown_helpdesk_names_in_training_data_become_triage_examples(seed_examples: list[Example]) -> None:
    renamed = [Example(e.text, "Dienst Burgerzaken") if e.helpdesk == TRIAGE else e for e in seed_examples]
    model = train_model(renamed, seed=1, threshold=0.4)
    assert TRIAGE in model.labels
    assert "Dienst Burgerzaken" not in model.labels
    assert model.classify("Hoe vraag ik een identiteitskaart aan?").helpdesk == TRIAGE


def test_training_refuses_too_few_examples() -> None:
    with pytest.raises(TrainingError, match="at least 3 helpdesks"):
        train_model([Example("lamp kapot", "Openbare Verlichting")] * 10, seed=1)
    few = [Example(f"lamp {chr(97 + i)} kapot", "Openbare Verlichting") for i in range(10)]
    few += [Example(f"boom {chr(97 + i)} omver", "Groen en Natuur") for i in range(10)]
    few += [Example(f"gat {chr(97 + i)} in de weg", "Wegen en Mobiliteit") for i in range(9)]
    with pytest.raises(TrainingError, match="Wegen en Mobiliteit"):
        train_model(few, seed=1)


def test_meets_acceptance_targets_on_the_frozen_test_split(
    trained_model: TrainedModel, test_examples: list[Example]
) -> None:
    from cna_relay.routing import evaluate

    metrics = evaluate(trained_model, test_examples)
    assert metrics.macro_f1 >= 0.90
    assert metrics.top2_accuracy >= 0.97
