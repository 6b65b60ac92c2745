"""Scoring a classifier on labelled examples, and printing the scores.

Macro-F1 is over the six routing helpdesks only (`HELPDESKS`): a report sent to triage counts as a
miss for its helpdesk, a non-report routed to a helpdesk as a false alarm for that helpdesk. Top-2
accuracy is over reports whose true helpdesk is one of the six: the true helpdesk is among the
model's two most probable classes (what staff would be shown), whatever the threshold decided.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, Protocol

from cna_relay.routing.examples import Example
from cna_relay.routing.helpdesks import ALL_LABELS, HELPDESKS, TRIAGE
from cna_relay.routing.prediction import Prediction


class Classifies(Protocol):
    """Anything that answers a `Prediction` per text (a `TrainedModel`, a `HelpdeskClassifier`)."""

    def classify_many(self, texts: Sequence[str]) -> list[Prediction]: ...


@dataclass(frozen=True, slots=True)
class HelpdeskScore:
    """Precision and recall of one helpdesk, with its number of true examples."""

    precision: float
    recall: float
    support: int


@dataclass(frozen=True, slots=True)
class Metrics:
    """Scores of a classifier on a set of examples (see the module docstring for definitions)."""

    examples: int
    accuracy: float
    macro_f1: float
    top2_accuracy: float
    triage_share: float
    per_helpdesk: dict[str, HelpdeskScore]
    labels: tuple[str, ...]
    confusion: list[list[int]]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable form, stored in model metadata."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Metrics:
        """The inverse of `to_dict`."""
        scores = {name: HelpdeskScore(**score) for name, score in data["per_helpdesk"].items()}
        return cls(**{**data, "per_helpdesk": scores, "labels": tuple(data["labels"])})


def evaluate(model: Classifies, examples: Sequence[Example]) -> Metrics:
    """Score `model` on `examples` (whose helpdesks are known names; see `read_examples`)."""
    if not examples:
        raise ValueError("cannot evaluate on zero examples")
    truth = [example.helpdesk for example in examples]
    predictions = model.classify_many([example.text for example in examples])
    answers = [prediction.helpdesk for prediction in predictions]
    confusion = _confusion(truth, answers)
    return Metrics(
        examples=len(examples),
        accuracy=sum(a == t for a, t in zip(answers, truth, strict=True)) / len(truth),
        macro_f1=sum(_f1(confusion, ALL_LABELS.index(name)) for name in HELPDESKS) / len(HELPDESKS),
        top2_accuracy=_top2_accuracy(truth, predictions),
        triage_share=answers.count(TRIAGE) / len(answers),
        per_helpdesk={name: _score(confusion, n) for n, name in enumerate(ALL_LABELS)},
        labels=ALL_LABELS,
        confusion=confusion,
    )


def _confusion(truth: Sequence[str], answers: Sequence[str]) -> list[list[int]]:
    index = {label: n for n, label in enumerate(ALL_LABELS)}
    matrix = [[0] * len(ALL_LABELS) for _ in ALL_LABELS]
    for expected, answered in zip(truth, answers, strict=True):
        matrix[index[expected]][index[answered]] += 1
    return matrix


def _score(confusion: list[list[int]], n: int) -> HelpdeskScore:
    true_positives = confusion[n][n]
    answered = sum(row[n] for row in confusion)
    support = sum(confusion[n])
    # An undefined ratio (no answers, or no examples) counts as 0, as scikit-learn's zero_division=0.
    return HelpdeskScore(
        precision=true_positives / answered if answered else 0.0,
        recall=true_positives / support if support else 0.0,
        support=support,
    )


def _f1(confusion: list[list[int]], n: int) -> float:
    true_positives = confusion[n][n]
    false_positives = sum(row[n] for row in confusion) - true_positives
    false_negatives = sum(confusion[n]) - true_positives
    denominator = 2 * true_positives + false_positives + false_negatives
    return 2 * true_positives / denominator if denominator else 0.0


def _top2_accuracy(truth: Sequence[str], predictions: Sequence[Prediction]) -> float:
    reports = [(t, p) for t, p in zip(truth, predictions, strict=True) if t in HELPDESKS]
    if not reports:
        return 0.0
    hits = sum(1 for t, p in reports if t in [label for label, _ in p.ranking[:2]])
    return hits / len(reports)


def format_metrics(metrics: Metrics) -> str:
    """A plain-text report: headline scores, per-helpdesk precision/recall, confusion matrix."""
    lines = [
        f"examples        {metrics.examples}",
        f"accuracy        {metrics.accuracy:.3f}",
        f"macro-F1 (6)    {metrics.macro_f1:.3f}",
        f"top-2 accuracy  {metrics.top2_accuracy:.3f}",
        f"sent to triage  {metrics.triage_share:.3f}",
        "",
        f"{'helpdesk':<28}{'precision':>10}{'recall':>8}{'support':>9}",
    ]
    for name, score in metrics.per_helpdesk.items():
        lines.append(f"{name:<28}{score.precision:>10.3f}{score.recall:>8.3f}{score.support:>9d}")
    lines += ["", "confusion matrix (rows: true helpdesk, columns: answered)"]
    codes = [_code(name) for name in metrics.labels]
    lines.append(" " * 32 + "".join(f"{code:>6}" for code in codes))
    for name, row in zip(metrics.labels, metrics.confusion, strict=True):
        lines.append(f"{name[:26]:<26}{_code(name):>6}" + "".join(f"{count:>6d}" for count in row))
    return "\n".join(lines)


def _code(name: str) -> str:
    # Column headers: initials of the helpdesk name ("Wegen en Mobiliteit" -> "WeM").
    return "".join(word[0] for word in name.split())
