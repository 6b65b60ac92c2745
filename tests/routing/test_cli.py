"""The command-line contract, exercised in real subprocesses."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cna_relay.routing import ALL_LABELS, TRIAGE, HelpdeskClassifier, ModelRegistry, TrainedModel
from cna_relay.routing.seed_data import TEST_FILE, seed_data_dir

ROOT = Path(__file__).resolve().parents[2]
CREATED = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)


def run_cli(
    *args: str, stdin: bytes = b"", cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "cna_relay.routing", *args],
        input=stdin,
        capture_output=True,
        cwd=cwd or ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", **(env or {})},
        timeout=240,
        check=False,
    )


def no_relay_database(folder: Path) -> dict[str, str]:
    """`train` also reads the relay's database: point it at one that does not exist."""
    return {"CNA_RELAY_DATABASE_URL": f"sqlite:///{folder / 'no-relay.db'}"}


@pytest.fixture(scope="module")
def classified() -> subprocess.CompletedProcess[bytes]:
    lines = [
        b'{"text": "De straatlamp aan nummer 12 brandt niet"}',
        b"this is not json",
        b'{"text": "Sluikstort aan de glasbol"}',
        b'["text", "a list"]',
        b'{"no_text": 1}',
        b'{"text": 42}',
        b'{"text": null}',
        b"\xff\xfe invalid utf-8",
        b"",
        b'{"text": ""}',
        b'{"text": "Putdeksel klappert de hele nacht", "extra": true}',
        '{"text": "Lampadaire en panne, rue de l\'Église"}'.encode(),
    ]
    return run_cli("classify", stdin=b"\n".join(lines) + b"\n", cwd=Path("/"))


def _answers(result: subprocess.CompletedProcess[bytes]) -> list[dict[str, object]]:
    return [json.loads(line) for line in result.stdout.decode().splitlines()]


def test_classify_answers_every_line_in_order(classified: subprocess.CompletedProcess[bytes]) -> None:
    assert classified.returncode == 0, classified.stderr.decode()
    answers = _answers(classified)
    assert len(answers) == 12
    assert answers[0]["helpdesk"] == "Openbare Verlichting"
    assert answers[2]["helpdesk"] == "Afval en Netheid"
    assert answers[10]["helpdesk"] == "Riolering en Water"
    assert answers[11]["helpdesk"] == "Openbare Verlichting"


def test_classify_answers_have_exactly_the_contract_shape(
    classified: subprocess.CompletedProcess[bytes],
) -> None:
    for answer in _answers(classified):
        assert set(answer) == {"helpdesk", "confidence"}
        assert answer["helpdesk"] in ALL_LABELS
        assert isinstance(answer["confidence"], float)
        assert 0.0 <= answer["confidence"] <= 1.0


def test_malformed_lines_get_triage_with_zero_confidence_and_a_message(
    classified: subprocess.CompletedProcess[bytes],
) -> None:
    answers = _answers(classified)
    for index in (1, 3, 4, 5, 6, 7, 8):
        assert answers[index] == {"helpdesk": TRIAGE, "confidence": 0.0}, index
    errors = classified.stderr.decode()
    for number in (2, 4, 5, 6, 7, 8, 9):
        assert f"line {number}:" in errors
    assert "line 1:" not in errors
    assert answers[9] == {"helpdesk": TRIAGE, "confidence": 0.0}  # valid but empty text: no message


def test_classify_with_empty_input_prints_nothing() -> None:
    result = run_cli("classify")
    assert (result.returncode, result.stdout) == (0, b"")


def test_evaluate_prints_every_figure_for_the_test_split() -> None:
    result = run_cli("evaluate", str(seed_data_dir() / TEST_FILE), cwd=Path("/"))
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode()
    for fragment in ("accuracy", "macro-F1 (6)", "top-2 accuracy", "sent to triage", "precision", "recall"):
        assert fragment in out
    assert "confusion matrix" in out
    assert all(label in out for label in ALL_LABELS)
    shipped = HelpdeskClassifier.load_default(None).version
    assert shipped is not None and shipped in out


def test_evaluate_refuses_a_malformed_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "a", "helpdesk": "Afval en Netheid"}\n{oops\n', encoding="utf-8")
    result = run_cli("evaluate", str(bad))
    assert result.returncode == 2
    assert f"{bad}:2" in result.stderr.decode()
    missing = run_cli("evaluate", str(tmp_path / "missing.jsonl"))
    assert missing.returncode == 2


def test_forced_train_with_corrections_activates_and_classify_uses_the_new_model(tmp_path: Path) -> None:
    corrections = tmp_path / "corrections.jsonl"
    corrections.write_text(
        json.dumps(
            {
                "text": "Deelstep ligt dwars op het voetpad",
                "predicted": "Wegen en Mobiliteit",
                "final_helpdesk": "Openbare Orde en Overlast",
                "ticket_id": "INC-1",
                "observed_at": "2026-11-30T08:00:00+00:00",
            }
        )
        + "\n",
        encoding="utf-8",
    )
    registry = tmp_path / "registry"
    question = b'{"text": "Deelstep ligt dwars op het voetpad"}\n'
    before = run_cli("classify", "--registry", str(registry), stdin=question)
    assert json.loads(before.stdout)["helpdesk"] != "Openbare Orde en Overlast"
    result = run_cli(
        "train",
        "--corrections",
        str(corrections),
        "--registry",
        str(registry),
        "--force",
        env=no_relay_database(tmp_path),
    )
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode()
    assert f"relay database  0 corrections (0 moved) from no relay database at {tmp_path}" in out
    assert "1 corrections, 1 moved" in out
    assert "test macro-F1" in out
    assert "activated       forced by the operator" in out
    active = ModelRegistry(registry).active_version()
    assert active is not None and active in out
    after = run_cli("classify", "--registry", str(registry), stdin=question)
    assert json.loads(after.stdout)["helpdesk"] == "Openbare Orde en Overlast"


def test_train_refuses_a_malformed_corrections_file(tmp_path: Path) -> None:
    corrections = tmp_path / "corrections.jsonl"
    corrections.write_text('{"text": "x"}\n', encoding="utf-8")
    result = run_cli(
        "train",
        "--corrections",
        str(corrections),
        "--registry",
        str(tmp_path / "r"),
        env=no_relay_database(tmp_path),
    )
    assert result.returncode == 2
    assert "expected an object" in result.stderr.decode()
    assert not (tmp_path / "r").exists()


def test_unknown_command_is_a_usage_error() -> None:
    result = run_cli("frobnicate")
    assert result.returncode == 2


def test_classify_answers_each_line_before_the_next_arrives() -> None:
    # Tools may keep the process open and wait for each answer (a co-process), so no read-ahead.
    import select

    process = subprocess.Popen(
        [sys.executable, "-m", "cna_relay.routing", "classify"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        for text, helpdesk in [
            ("Straatlamp kapot", "Openbare Verlichting"),
            ("Sluikstort", "Afval en Netheid"),
        ]:
            process.stdin.write(json.dumps({"text": text}).encode() + b"\n")
            process.stdin.flush()
            ready, _, _ = select.select([process.stdout], [], [], 120)
            assert ready, "no answer while the input stream is still open"
            assert json.loads(process.stdout.readline())["helpdesk"] == helpdesk
    finally:
        process.stdin.close()
        process.wait(timeout=60)
        process.stdout.close()
    assert process.returncode == 0


def test_the_registry_defaults_to_the_relay_setting(
    tmp_path: Path, trained_model: TrainedModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cna_relay.routing.cli import DEFAULT_REGISTRY, REGISTRY_VARIABLE, registry_from_environment
    from cna_relay.settings import RelaySettings

    assert RelaySettings().routing_registry_dir == DEFAULT_REGISTRY == registry_from_environment()
    registry = ModelRegistry(tmp_path / "models")
    version = registry.save(trained_model, created_at=CREATED, test_metrics=None, test_digest=None).version
    registry.activate(version)
    environment = {REGISTRY_VARIABLE: str(registry.root)}
    monkeypatch.setenv(REGISTRY_VARIABLE, str(registry.root))
    assert RelaySettings().routing_registry_dir == registry.root == registry_from_environment()
    result = run_cli("evaluate", str(seed_data_dir() / TEST_FILE), cwd=Path("/"), env=environment)
    assert result.returncode == 0, result.stderr.decode()
    assert f"model           {version}" in result.stdout.decode()
