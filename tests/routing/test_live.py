"""The relay's classifier follows the registry's ACTIVE pointer without a restart."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cna_relay.routing import ModelRegistry, TrainedModel, default_model_dir
from cna_relay.routing.live import LiveClassifier
from cna_relay.routing.registry import ACTIVE_FILE

CREATED = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)
LAMP = "De straatlamp aan nummer 12 brandt niet"
SHIPPED = ModelRegistry(default_model_dir()).active_version()


def saved(registry: ModelRegistry, model: TrainedModel, *, activate: bool = True) -> str:
    version = registry.save(model, created_at=CREATED, test_metrics=None, test_digest=None).version
    if activate:
        registry.activate(version)
    return version


def test_the_shipped_model_answers_until_a_version_is_activated(
    tmp_path: Path, trained_model: TrainedModel
) -> None:
    registry = ModelRegistry(tmp_path / "models")
    live = LiveClassifier(registry.root)
    assert live.classify(LAMP)[0] == "Openbare Verlichting" and live.version == SHIPPED
    saved(registry, trained_model, activate=False)
    assert live.reload_if_changed() is False and live.version == SHIPPED
    version = saved(registry, trained_model)
    helpdesk, confidence = live.classify(LAMP)
    assert live.version == version and helpdesk == "Openbare Verlichting" and 0 < confidence <= 1


def test_each_activation_is_picked_up_and_an_unchanged_pointer_loads_nothing(
    tmp_path: Path, trained_model: TrainedModel
) -> None:
    registry = ModelRegistry(tmp_path / "models")
    first = saved(registry, trained_model)
    live = LiveClassifier(registry.root)
    live.classify(LAMP)
    assert live.version == first and live.reload_if_changed() is False
    second = saved(registry, trained_model)
    live.classify(LAMP)
    assert live.version == second != first
    registry.activate(first)  # an operator rolls back
    live.classify(LAMP)
    assert live.version == first


def test_a_broken_new_version_keeps_the_model_in_use(
    tmp_path: Path, trained_model: TrainedModel, caplog: pytest.LogCaptureFixture
) -> None:
    registry = ModelRegistry(tmp_path / "models")
    good = saved(registry, trained_model)
    live = LiveClassifier(registry.root)
    live.classify(LAMP)
    broken = saved(registry, trained_model, activate=False)
    (registry.root / f"{broken}.npz").write_bytes(b"PK\x03\x04 not really a zip")
    registry.activate(broken)
    with caplog.at_level(logging.ERROR, logger="cna_relay.routing.live"):
        assert live.classify(LAMP)[0] == "Openbare Verlichting"
    assert live.version == good
    assert "cannot load the active routing model" in caplog.text


def test_a_broken_registry_at_start_falls_back_to_the_shipped_model(tmp_path: Path) -> None:
    root = tmp_path / "models"
    root.mkdir()
    (root / ACTIVE_FILE).write_text("../../etc/passwd\n", encoding="utf-8")
    live = LiveClassifier(root)
    assert live.classify(LAMP)[0] == "Openbare Verlichting" and live.version == SHIPPED


def test_removing_the_pointer_goes_back_to_the_shipped_model(
    tmp_path: Path, trained_model: TrainedModel
) -> None:
    registry = ModelRegistry(tmp_path / "models")
    saved(registry, trained_model)
    live = LiveClassifier(registry.root)
    live.classify(LAMP)
    (registry.root / ACTIVE_FILE).unlink()
    live.classify(LAMP)
    assert live.version == SHIPPED


def test_triage_answers_use_the_relays_name_for_the_triage_desk(tmp_path: Path) -> None:
    live = LiveClassifier(tmp_path, triage="Onthaal (triage)")
    assert live.classify("??? !!!") == ("Onthaal (triage)", 0.0)
    assert live.classify("Dank u wel voor de snelle hulp vorige week!")[0] == "Onthaal (triage)"
