"""Retraining and the activation rule: never worse than the model in use, unless forced."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from cna_relay.routing import Correction, Example, ModelRegistry, default_model_dir, retrain

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


def _clock() -> datetime:
    return NOW


def _weak_subset(examples: list[Example], per_helpdesk: int = 10) -> list[Example]:
    taken: dict[str, int] = {}
    subset = []
    for example in examples:
        if taken.get(example.helpdesk, 0) < per_helpdesk:
            taken[example.helpdesk] = taken.get(example.helpdesk, 0) + 1
            subset.append(example)
    return subset


def test_first_training_is_compared_with_the_shipped_model_and_activated(tmp_path: Path) -> None:
    shipped_files = sorted(path.name for path in default_model_dir().iterdir())
    registry = ModelRegistry(tmp_path / "models")
    outcome = retrain(registry, clock=_clock)
    assert sorted(path.name for path in default_model_dir().iterdir()) == shipped_files
    assert outcome.activated
    assert outcome.baseline is not None
    assert "shipped default model" in outcome.baseline.description
    assert outcome.metrics.macro_f1 >= outcome.baseline.macro_f1
    assert registry.active_version() == outcome.metadata.version
    assert outcome.metadata.test_metrics == outcome.metrics
    assert outcome.metadata.test_digest is not None


def test_worse_model_is_not_activated_and_force_activates_it(
    tmp_path: Path, seed_examples: list[Example]
) -> None:
    registry = ModelRegistry(tmp_path / "models")
    weak = _weak_subset(seed_examples)
    refused = retrain(registry, seed_examples=weak, clock=_clock)
    assert not refused.activated
    assert refused.baseline is not None and refused.metrics.macro_f1 < refused.baseline.macro_f1
    assert registry.active_version() is None
    assert refused.metadata.version in registry.versions()
    forced = retrain(registry, seed_examples=weak, force=True, clock=_clock)
    assert forced.activated and forced.reason == "forced by the operator"
    assert registry.active_version() == forced.metadata.version


def test_corrections_are_counted_and_those_copying_test_texts_ignored(
    tmp_path: Path, test_examples: list[Example]
) -> None:
    leaked = [
        Correction(example.text.upper() + "!", "Wegen en Mobiliteit", example.helpdesk, f"T{n}", NOW)
        for n, example in enumerate(test_examples[:5])
    ]
    usable = [
        Correction("deelstep op de stoep", "Wegen en Mobiliteit", "Openbare Orde en Overlast", "U1", NOW),
        Correction("lamp kapot in de gang", "Openbare Verlichting", "Openbare Verlichting", "U2", NOW),
    ]
    outcome = retrain(ModelRegistry(tmp_path / "models"), corrections=leaked + usable, clock=_clock)
    assert outcome.ignored_corrections == 5
    training = outcome.metadata.training
    assert (training.corrections, training.moved_corrections) == (2, 1)


def test_recorded_score_is_used_when_the_active_model_cannot_be_loaded(
    tmp_path: Path, seed_dir_copy: Path, seed_examples: list[Example]
) -> None:
    import json

    registry = ModelRegistry(tmp_path / "models")
    first = retrain(registry, seed_dir=seed_dir_copy, clock=_clock)
    meta_path = registry.root / f"{first.metadata.version}.json"
    data = json.loads(meta_path.read_text())
    data["format"] = 99
    meta_path.write_text(json.dumps(data))
    worse = retrain(registry, seed_dir=seed_dir_copy, seed_examples=_weak_subset(seed_examples), clock=_clock)
    assert worse.baseline is not None and "recorded score" in worse.baseline.description
    assert not worse.activated


def test_a_retrain_keeps_the_threshold_of_the_model_it_may_replace(tmp_path: Path) -> None:
    registry = ModelRegistry(tmp_path / "models")
    shipped = ModelRegistry(default_model_dir())
    shipped_version = shipped.active_version()
    assert shipped_version is not None
    outcome = retrain(registry, clock=_clock)
    assert outcome.metadata.threshold == shipped.metadata(shipped_version).threshold
    # Same data, same threshold: exactly the score of the model in use, so nothing but the
    # corrections can tip the activation rule either way.
    assert outcome.baseline is not None and outcome.metrics.macro_f1 == outcome.baseline.macro_f1
