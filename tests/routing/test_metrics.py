"""Metric definitions, checked against a classifier whose answers are fixed in advance."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from cna_relay.routing import TRIAGE, Example, Metrics, Prediction, evaluate, format_metrics

ROAD, WASTE, LIGHT = "Wegen en Mobiliteit", "Afval en Netheid", "Openbare Verlichting"


class ScriptedClassifier:
    """Answers the prediction scripted for each text."""

    def __init__(self, answers: dict[str, Prediction]) -> None:
        self.answers = answers

    def classify_many(self, texts: Sequence[str]) -> list[Prediction]:
        return [self.answers[text] for text in texts]


def _p(helpdesk: str, *ranking: str) -> Prediction:
    return Prediction(helpdesk, 0.9, [(label, 0.9 - 0.1 * n) for n, label in enumerate(ranking)])


@pytest.fixture
def metrics() -> Metrics:
    examples = [
        Example("a", ROAD),
        Example("b", ROAD),
        Example("c", WASTE),
        Example("d", TRIAGE),
        Example("e", LIGHT),
    ]
    scripted = ScriptedClassifier(
        {
            "a": _p(ROAD, ROAD, WASTE),
            "b": _p(TRIAGE, TRIAGE, ROAD),  # sent to triage, but the right desk is second
            "c": _p(ROAD, ROAD, LIGHT),  # misrouted, right desk not in the top two
            "d": _p(WASTE, WASTE, TRIAGE),  # a non-report routed to a helpdesk
            "e": Prediction(TRIAGE, 0.0, []),  # no words at all
        }
    )
    return evaluate(scripted, examples)


def test_accuracy_counts_every_row(metrics: Metrics) -> None:
    assert metrics.examples == 5
    assert metrics.accuracy == pytest.approx(1 / 5)


def test_top2_counts_only_reports_of_the_six_helpdesks(metrics: Metrics) -> None:
    assert metrics.top2_accuracy == pytest.approx(2 / 4)


def test_triage_share_is_over_all_rows(metrics: Metrics) -> None:
    assert metrics.triage_share == pytest.approx(2 / 5)


def test_per_helpdesk_precision_and_recall(metrics: Metrics) -> None:
    road = metrics.per_helpdesk[ROAD]
    assert road.precision == pytest.approx(1 / 2)
    assert road.recall == pytest.approx(1 / 2)
    assert road.support == 2
    waste = metrics.per_helpdesk[WASTE]
    assert (waste.precision, waste.recall, waste.support) == (0.0, 0.0, 1)


def test_macro_f1_averages_the_six_helpdesks_only(metrics: Metrics) -> None:
    # F1: road 0.5, waste 0, light 0; the three desks without examples or answers count as 0.
    assert metrics.macro_f1 == pytest.approx(0.5 / 6)


def test_confusion_matrix_rows_are_truth_columns_are_answers(metrics: Metrics) -> None:
    index = {label: n for n, label in enumerate(metrics.labels)}
    assert metrics.confusion[index[ROAD]][index[TRIAGE]] == 1
    assert metrics.confusion[index[TRIAGE]][index[WASTE]] == 1
    assert sum(map(sum, metrics.confusion)) == 5


def test_metrics_survive_a_round_trip_through_json_form(metrics: Metrics) -> None:
    assert Metrics.from_dict(metrics.to_dict()) == metrics


def test_report_text_names_every_figure(metrics: Metrics) -> None:
    text = format_metrics(metrics)
    for fragment in (
        "accuracy",
        "macro-F1",
        "top-2 accuracy",
        "sent to triage",
        "precision",
        "recall",
        "confusion",
    ):
        assert fragment in text
    assert all(label in text for label in metrics.labels)


def test_evaluating_nothing_is_refused() -> None:
    with pytest.raises(ValueError, match="zero examples"):
        evaluate(ScriptedClassifier({}), [])
