"""`python -m cna_relay.routing {classify,evaluate,train}`: the command-line interface.

Other tools depend on this interface; keep it stable:

- `classify` reads JSON lines `{"text": "..."}` on stdin and writes one line
  `{"helpdesk": "<name>", "confidence": <0..1>}` per input line, in order, flushed per line.
  A line that is not such an object (bad JSON, bad UTF-8, no string `text`) is answered with the
  triage desk and confidence 0, and a message naming the line goes to stderr; the stream goes on.
- `evaluate FILE.jsonl` prints accuracy, macro-F1, top-2 accuracy, per-helpdesk precision and
  recall, the confusion matrix and the share sent to triage.
- `train [--corrections FILE.jsonl] [--force] [--registry DIR]` retrains on the seed set, the
  corrections the relay read back from InvGate (its database, from the `CNA_RELAY_*` settings)
  and the corrections file, evaluates on the frozen test split and activates the new version only
  if it is not worse (or forced). Running relays pick the new version up by themselves.

`classify` and `evaluate` use the registry's active model and fall back to the shipped default, so
both work on a fresh install. `--registry` defaults to the relay's `CNA_RELAY_ROUTING_REGISTRY_DIR`,
else `var/routing` under the working directory.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, TextIO

from cna_relay.routing.classifier import HelpdeskClassifier
from cna_relay.routing.examples import ExampleFileError, read_corrections, read_examples
from cna_relay.routing.helpdesks import TRIAGE
from cna_relay.routing.metrics import evaluate, format_metrics
from cna_relay.routing.registry import ModelFileError, ModelRegistry

if TYPE_CHECKING:
    from cna_relay.routing.relay_data import RelayCorrections
    from cna_relay.routing.training import RetrainOutcome
    from cna_relay.settings import RelaySettings

# The same default and variable as `RelaySettings.routing_registry_dir` (a test keeps them equal);
# read directly so that `classify` does not pay for importing the relay's settings.
DEFAULT_REGISTRY = Path("var/routing")
REGISTRY_VARIABLE = "CNA_RELAY_ROUTING_REGISTRY_DIR"
EXIT_USAGE = 2


class SettingsError(ValueError):
    """The `CNA_RELAY_*` environment does not make valid relay settings."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the process exit code."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(levelname)s %(message)s")
    try:
        if args.command == "classify":
            registry = args.registry or registry_from_environment()
            return classify_stream(_classifier(registry), sys.stdin.buffer, sys.stdout, sys.stderr)
        if args.command == "evaluate":
            return _evaluate(args.file, args.registry or registry_from_environment(), sys.stdout)
        return _train(args.registry, args.corrections, sys.stdout, force=args.force)
    except (ExampleFileError, ModelFileError) as exc:
        _emit(sys.stderr, f"error: {exc}")
        return EXIT_USAGE


def registry_from_environment() -> Path:
    """The registry the relay uses: `CNA_RELAY_ROUTING_REGISTRY_DIR`, else `var/routing`."""
    return Path(os.environ.get(REGISTRY_VARIABLE) or DEFAULT_REGISTRY)


def _emit(out: TextIO, *lines: str) -> None:
    out.write("".join(line + "\n" for line in lines))
    out.flush()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m cna_relay.routing", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    registry_help = f"model registry directory (default: ${REGISTRY_VARIABLE} or {DEFAULT_REGISTRY})"
    classify = commands.add_parser("classify", help="classify JSON lines {'text': ...} from stdin")
    classify.add_argument("--registry", type=Path, help=registry_help)
    evaluate_cmd = commands.add_parser("evaluate", help="score the active model on a labelled file")
    evaluate_cmd.add_argument("file", type=Path, help="JSON lines {'text': ..., 'helpdesk': ...}")
    evaluate_cmd.add_argument("--registry", type=Path, help=registry_help)
    train = commands.add_parser("train", help="retrain on the seed set plus staff corrections")
    train.add_argument("--corrections", type=Path, help="JSON lines with the Correction fields")
    train.add_argument("--force", action="store_true", help="activate even if the new model is worse")
    train.add_argument("--registry", type=Path, help=registry_help)
    return parser


def _classifier(registry: Path) -> HelpdeskClassifier:
    return HelpdeskClassifier.load_default(registry)


def classify_stream(classifier: HelpdeskClassifier, source: BinaryIO, out: TextIO, err: TextIO) -> int:
    """Answer every line of `source` on `out`, in order; malformed lines get triage, confidence 0."""
    for number, raw in enumerate(source, start=1):
        text, problem = _parse_line(raw)
        if problem is not None:
            _emit(err, f"line {number}: {problem}; answered {TRIAGE}")
            answer = {"helpdesk": TRIAGE, "confidence": 0.0}
        else:
            prediction = classifier.classify(text)
            answer = {"helpdesk": prediction.helpdesk, "confidence": round(prediction.confidence, 4)}
        _emit(out, json.dumps(answer, ensure_ascii=False))
    return 0


def _parse_line(raw: bytes) -> tuple[str, str | None]:
    try:
        record = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return "", "not UTF-8"
    except json.JSONDecodeError as exc:
        return "", f"not JSON ({exc.msg})"
    if not isinstance(record, dict):
        return "", "not a JSON object"
    text = record.get("text")
    if not isinstance(text, str):
        return "", "no string field 'text'"
    return text, None


def _evaluate(file: Path, registry: Path, out: TextIO) -> int:
    classifier = _classifier(registry)
    metrics = evaluate(classifier, read_examples(file))
    model = classifier.version or "rebuilt from seed data"
    _emit(out, f"model           {model}", f"file            {file}", format_metrics(metrics))
    return 0


def _train(registry_dir: Path | None, corrections_file: Path | None, out: TextIO, *, force: bool) -> int:
    # Imported here so that `classify` and `evaluate` start without loading scikit-learn,
    # SQLAlchemy or the relay's settings.
    from cna_relay.routing.relay_data import RelayDatabaseError, read_relay_corrections
    from cna_relay.routing.training import retrain

    file_corrections = read_corrections(corrections_file) if corrections_file else []
    try:
        settings = _relay_settings()
        relay = read_relay_corrections(settings.database_url)
    except (SettingsError, RelayDatabaseError) as exc:
        _emit(sys.stderr, f"error: {exc}")
        return EXIT_USAGE
    registry_dir = registry_dir or settings.routing_registry_dir
    corrections = [*relay.corrections, *file_corrections]
    outcome = retrain(ModelRegistry(registry_dir), corrections=corrections, force=force)
    _emit(out, _relay_line(relay), *_outcome_lines(outcome, registry_dir))
    return 0


def _relay_settings() -> RelaySettings:
    from pydantic import ValidationError

    from cna_relay.settings import RelaySettings

    try:
        return RelaySettings()
    except ValidationError as exc:
        # Field names only: the rejected values may be secrets.
        fields = ", ".join(".".join(str(part) for part in error["loc"]) for error in exc.errors())
        raise SettingsError(f"invalid CNA_RELAY_* settings: {fields}") from exc


def _relay_line(relay: RelayCorrections) -> str:
    moved = sum(correction.moved for correction in relay.corrections)
    return f"relay database  {len(relay.corrections)} corrections ({moved} moved) from {relay.source}"


def _outcome_lines(outcome: RetrainOutcome, registry_dir: Path) -> list[str]:
    training, metrics = outcome.metadata.training, outcome.metrics
    lines = [
        f"trained         {outcome.metadata.version} in {registry_dir}",
        f"training rows   {training.rows} "
        f"({training.corrections} corrections, {training.moved_corrections} moved)",
    ]
    if outcome.ignored_corrections:
        lines.append(
            f"ignored         {outcome.ignored_corrections} corrections whose text is in the test split"
        )
    verdict = "activated" if outcome.activated else "NOT activated"
    return [
        *lines,
        f"threshold       {outcome.metadata.threshold:.2f}",
        f"test macro-F1   {metrics.macro_f1:.3f}  top-2 {metrics.top2_accuracy:.3f}",
        f"{verdict:<15} {outcome.reason}",
    ]
