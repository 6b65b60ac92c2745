"""Retraining: seed set plus corrections in, a new model version out, activated only if not worse.

A new version becomes active when its macro-F1 on the frozen test split is at least that of the
model it would replace (the registry's active model, or the shipped default when the registry has
none yet), or when the operator forces it. The model it would replace is re-scored on the current
test split; if it cannot be loaded here (other library versions), its recorded score is used when
it was measured on the same test file, and otherwise there is nothing to compare and the new
model is activated.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cna_relay.routing.classifier import HelpdeskClassifier, default_model_dir
from cna_relay.routing.examples import Correction, Example, read_examples
from cna_relay.routing.learning import train_model
from cna_relay.routing.metrics import Metrics, evaluate
from cna_relay.routing.model import DEFAULT_SEED
from cna_relay.routing.normalise import text_key
from cna_relay.routing.registry import ModelFileError, ModelMetadata, ModelRegistry
from cna_relay.routing.seed_data import TEST_FILE, TRAIN_FILE, file_digest, seed_data_dir

_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Baseline:
    """The model a new version is compared with, and its macro-F1 on the test split."""

    description: str
    macro_f1: float
    threshold: float | None = None


@dataclass(frozen=True, slots=True)
class RetrainOutcome:
    """What `retrain` did."""

    metadata: ModelMetadata
    metrics: Metrics
    activated: bool
    reason: str
    baseline: Baseline | None
    ignored_corrections: int


def retrain(
    registry: ModelRegistry,
    *,
    corrections: Sequence[Correction] = (),
    force: bool = False,
    seed: int = DEFAULT_SEED,
    seed_dir: Path | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    seed_examples: Sequence[Example] | None = None,
) -> RetrainOutcome:
    """Train on the seed set (or `seed_examples`) plus `corrections`, save, maybe activate.

    Corrections whose text is in the frozen test split are left out (and counted): training on
    them would make the test split no longer held out.
    """
    data_dir = seed_dir or seed_data_dir()
    test_file = data_dir / TEST_FILE
    test_examples = read_examples(test_file)
    examples = list(seed_examples) if seed_examples is not None else read_examples(data_dir / TRAIN_FILE)
    usable = _without_test_texts(corrections, test_examples)
    test_digest = file_digest(test_file)
    baseline = _baseline(registry, test_examples, test_digest)
    # The new model keeps the triage threshold of the one it may replace: re-choosing it on every
    # retrain moves macro-F1 by about ±0.005 on its own, which would drown what the corrections
    # change. A model trained with nothing to compare with chooses its own (see threshold.py).
    threshold = baseline.threshold if baseline is not None else None
    model = train_model(examples, seed=seed, corrections=usable, threshold=threshold)
    metrics = evaluate(model, test_examples)
    metadata = registry.save(model, created_at=clock(), test_metrics=metrics, test_digest=test_digest)
    activated, reason = _decide(metrics, baseline, force=force)
    if activated:
        registry.activate(metadata.version)
    return RetrainOutcome(metadata, metrics, activated, reason, baseline, len(corrections) - len(usable))


def _without_test_texts(corrections: Sequence[Correction], test: Sequence[Example]) -> list[Correction]:
    held_out = {text_key(example.text) for example in test}
    return [c for c in corrections if text_key(c.text) not in held_out]


def _decide(metrics: Metrics, baseline: Baseline | None, *, force: bool) -> tuple[bool, str]:
    if force:
        return True, "forced by the operator"
    if baseline is None:
        return True, "no earlier model to compare with"
    if metrics.macro_f1 >= baseline.macro_f1:
        return True, f"macro-F1 {metrics.macro_f1:.3f} >= {baseline.macro_f1:.3f} of {baseline.description}"
    return False, f"macro-F1 {metrics.macro_f1:.3f} < {baseline.macro_f1:.3f} of {baseline.description}"


def _baseline(registry: ModelRegistry, test: Sequence[Example], test_digest: str) -> Baseline | None:
    active = registry.active_version()
    source = registry if active is not None else ModelRegistry(default_model_dir())
    version = source.active_version()
    if version is None:
        return None
    description = f"active model {version}" if active else f"shipped default model {version}"
    try:
        stored = source.load(version)
    except ModelFileError as exc:
        _log.warning("cannot load %s to compare with: %s", description, exc)
        return _recorded_baseline(source, version, description, test_digest)
    return Baseline(
        description, evaluate(HelpdeskClassifier(stored.model), test).macro_f1, stored.model.threshold
    )


def _recorded_baseline(
    source: ModelRegistry, version: str, description: str, test_digest: str
) -> Baseline | None:
    try:
        metadata = source.metadata(version)
    except ModelFileError:
        return None
    if metadata.test_metrics is None or metadata.test_digest != test_digest:
        return None
    return Baseline(f"{description} (recorded score)", metadata.test_metrics.macro_f1, metadata.threshold)
