"""A trained helpdesk classifier: the scoring arrays, the threshold, and how it was trained.

Usage::

    model = train_model(read_examples(seed_file), seed=DEFAULT_SEED)   # see learning.py
    model.classify("Straatlamp brandt niet meer").helpdesk  # 'Openbare Verlichting'

This module needs numpy only: classifying never imports scikit-learn.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from cna_relay.routing.helpdesks import TRIAGE
from cna_relay.routing.linear import LinearTextModel
from cna_relay.routing.normalise import has_words, normalise
from cna_relay.routing.prediction import Prediction

DEFAULT_SEED = 20261203
# The topic of a report is in its first lines; capping keeps a pasted novel from stalling a worker.
MAX_TEXT_CHARS = 5000


@dataclass(frozen=True, slots=True)
class TrainingSummary:
    """What a model was trained on: enough to tell two training sets apart and to audit one."""

    digest: str
    rows: int
    per_helpdesk: dict[str, int]
    corrections: int
    moved_corrections: int


@dataclass(frozen=True, slots=True)
class TrainedModel:
    """Scoring arrays plus the threshold under which the model answers the triage desk."""

    scorer: LinearTextModel
    threshold: float
    variant: str
    seed: int
    training: TrainingSummary

    @property
    def labels(self) -> tuple[str, ...]:
        """The classes the model knows, in its column order."""
        return self.scorer.labels

    def classify(self, text: str) -> Prediction:
        """The helpdesk for one report text."""
        return self.classify_many([text])[0]

    def classify_many(self, texts: Sequence[str]) -> list[Prediction]:
        """The helpdesk for each text, in order."""
        normalised = [normalise(text[:MAX_TEXT_CHARS]) for text in texts]
        scorable = [index for index, text in enumerate(normalised) if has_words(text)]
        predictions = [Prediction(helpdesk=TRIAGE, confidence=0.0) for _ in texts]
        probabilities = self.scorer.predict_proba([normalised[i] for i in scorable])
        for index, row in zip(scorable, probabilities, strict=True):
            predictions[index] = self._decide(row)
        return predictions

    def _decide(self, row: NDArray[np.float64]) -> Prediction:
        ranking = sorted(
            ((label, float(p)) for label, p in zip(self.labels, row, strict=True)),
            key=lambda pair: (-pair[1], pair[0]),
        )
        best, confidence = ranking[0]
        if best != TRIAGE and confidence < self.threshold:
            best = TRIAGE
            confidence = dict(ranking).get(TRIAGE, 0.0)
        return Prediction(helpdesk=best, confidence=confidence, ranking=ranking)
