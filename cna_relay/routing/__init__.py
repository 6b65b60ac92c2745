"""Routing of citizens' reports to the municipality's helpdesks (issue 5).

A TF-IDF + linear classifier over normalised Dutch/French/English text answers one of the six
helpdesks, or the triage desk `Algemeen Onthaal` for non-reports and for reports it is not sure
about. See docs/routing.md and docs/adr/0005-routing-model.md.

Classifying needs numpy only. The training API (`train_model`, `retrain`, `TrainingError`) needs
scikit-learn and is imported on first use, so `from cna_relay.routing import HelpdeskClassifier`
stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from cna_relay.routing.classifier import HelpdeskClassifier, ModelUnavailableError, default_model_dir
from cna_relay.routing.examples import Correction, Example, read_corrections, read_examples
from cna_relay.routing.helpdesks import ALL_LABELS, HELPDESKS, TRIAGE, canonical_helpdesk
from cna_relay.routing.metrics import HelpdeskScore, Metrics, evaluate, format_metrics
from cna_relay.routing.model import DEFAULT_SEED, TrainedModel
from cna_relay.routing.prediction import Prediction
from cna_relay.routing.registry import IncompatibleModelError, ModelFileError, ModelMetadata, ModelRegistry

if TYPE_CHECKING:
    from cna_relay.routing.learning import TrainingError, train_model
    from cna_relay.routing.training import RetrainOutcome, retrain

_TRAINING_API = {
    "TrainingError": "cna_relay.routing.learning",
    "train_model": "cna_relay.routing.learning",
    "RetrainOutcome": "cna_relay.routing.training",
    "retrain": "cna_relay.routing.training",
}


def __getattr__(name: str) -> Any:
    # PEP 562: the scikit-learn half of the API is imported when first asked for.
    module = _TRAINING_API.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


__all__ = [
    "ALL_LABELS",
    "DEFAULT_SEED",
    "HELPDESKS",
    "TRIAGE",
    "Correction",
    "Example",
    "HelpdeskClassifier",
    "HelpdeskScore",
    "IncompatibleModelError",
    "Metrics",
    "ModelFileError",
    "ModelMetadata",
    "ModelRegistry",
    "ModelUnavailableError",
    "Prediction",
    "RetrainOutcome",
    "TrainedModel",
    "TrainingError",
    "canonical_helpdesk",
    "default_model_dir",
    "evaluate",
    "format_metrics",
    "read_corrections",
    "read_examples",
    "retrain",
    "train_model",
]
