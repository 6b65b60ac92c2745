"""Routing benchmark: classification latency, model load time, and quality against baselines.

    python bench/routing.py            # latency + load time + keyword baseline (about 30 s)
    python bench/routing.py --compare  # also cross-validates every candidate variant (minutes)

Figures are printed, never asserted. The keyword baseline is a first-match rule table of the kind
a municipality would write by hand; it is measured in the same run, on the same test split.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cna_relay.routing import (  # noqa: E402
    HELPDESKS,
    TRIAGE,
    HelpdeskClassifier,
    Prediction,
    default_model_dir,
    evaluate,
    read_examples,
)
from cna_relay.routing.examples import training_rows  # noqa: E402
from cna_relay.routing.features import VARIANTS, build_pipeline  # noqa: E402
from cna_relay.routing.normalise import normalise  # noqa: E402
from cna_relay.routing.seed_data import TEST_FILE, TRAIN_FILE, seed_data_dir  # noqa: E402
from cna_relay.routing.threshold import coverage_curve  # noqa: E402

KEYWORDS: dict[str, tuple[str, ...]] = {
    "Openbare Verlichting": ("lamp", "verlichting", "lantaarn", "lichtpaal", "licht ", "eclairage", "light"),
    "Riolering en Water": (
        "riool",
        "kolk",
        "putdeksel",
        "goot",
        "gracht",
        "water",
        "egout",
        "drain",
        "sewer",
    ),
    "Afval en Netheid": (
        "afval",
        "vuil",
        "sluikstort",
        "glasbol",
        "hondenpoep",
        "graffiti",
        "dechets",
        "rubbish",
    ),
    "Groen en Natuur": ("boom", "haag", "gras", "tak", "onkruid", "speeltuin", "berm", "arbre", "tree"),
    "Openbare Orde en Overlast": (
        "lawaai",
        "overlast",
        "jongeren",
        "parkeer",
        "vandal",
        "drugs",
        "bruit",
        "noise",
    ),
    "Wegen en Mobiliteit": (
        "weg",
        "voetpad",
        "stoep",
        "fietspad",
        "kassei",
        "verkeers",
        "put",
        "route",
        "road",
    ),
}


class KeywordBaseline:
    """First matching keyword wins; no match means triage."""

    def classify_many(self, texts: Sequence[str]) -> list[Prediction]:
        return [self._classify(normalise(text)) for text in texts]

    def _classify(self, text: str) -> Prediction:
        hits = [desk for desk, words in KEYWORDS.items() if any(word in text for word in words)]
        if not hits:
            return Prediction(TRIAGE, 0.0, [(TRIAGE, 1.0)])
        return Prediction(hits[0], 1.0, [(desk, 1.0) for desk in hits[:2]])


def _timings(call: Callable[[str], object], texts: Sequence[str], rounds: int = 3) -> list[float]:
    samples = []
    for _ in range(rounds):
        for text in texts:
            start = time.perf_counter()
            call(text)
            samples.append((time.perf_counter() - start) * 1000)
    return samples


def _describe(samples: list[float]) -> str:
    return f"median {statistics.median(samples):.2f} ms, p95 {float(np.percentile(samples, 95)):.2f} ms"


def bench_load() -> None:
    warm = []
    for _ in range(5):
        start = time.perf_counter()
        HelpdeskClassifier.load(default_model_dir())
        warm.append(time.perf_counter() - start)
    code = (
        "import time; t=time.perf_counter(); from cna_relay.routing import HelpdeskClassifier, "
        "default_model_dir; HelpdeskClassifier.load(default_model_dir()); print(time.perf_counter()-t)"
    )
    cold = [
        float(subprocess.check_output([sys.executable, "-c", code], cwd=ROOT, text=True)) for _ in range(3)
    ]
    size = sum(p.stat().st_size for p in default_model_dir().glob("*.npz")) / 1024
    print(f"model file          {size:.0f} KiB")
    print(f"model load (warm)   median {statistics.median(warm) * 1000:.0f} ms over 5 loads")
    print(f"import+load (cold)  median {statistics.median(cold) * 1000:.0f} ms over 3 fresh processes")


def bench_quality_and_latency() -> None:
    test = read_examples(seed_data_dir() / TEST_FILE)
    texts = [example.text for example in test]
    classifier = HelpdeskClassifier.load(default_model_dir())
    baseline = KeywordBaseline()
    print(f"classify, model     {_describe(_timings(classifier.classify, texts))} (one text per call)")
    print(f"classify, keywords  {_describe(_timings(lambda t: baseline.classify_many([t]), texts))}")
    start = time.perf_counter()
    classifier.classify_many(texts)
    print(f"classify_many       {len(texts) / (time.perf_counter() - start):.0f} texts/s in one batch")
    print(f"\n{'on the test split':<20}{'macro-F1':>9}{'top-2':>7}{'accuracy':>10}{'triage':>8}")
    for name, subject in (("model", classifier), ("keyword rules", baseline)):
        m = evaluate(subject, test)
        print(f"{name:<20}{m.macro_f1:>9.3f}{m.top2_accuracy:>7.3f}{m.accuracy:>10.3f}{m.triage_share:>8.3f}")


def compare_variants(seed: int = 0) -> None:
    from sklearn.metrics import f1_score, log_loss
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    rows = training_rows(read_examples(seed_data_dir() / TRAIN_FILE))
    texts, labels = [r.text for r in rows], np.array([r.helpdesk for r in rows])
    test = read_examples(seed_data_dir() / TEST_FILE)
    test_texts, test_labels = [normalise(e.text) for e in test], np.array([e.helpdesk for e in test])
    print(f"\n5-fold CV on train ({len(texts)} rows) and the frozen test split, argmax (no threshold)")
    header = ("CV F1", 7), ("CV top2", 8), ("CV logloss", 11), ("test F1", 8), ("test top2", 10), ("fit s", 7)
    print(f"{'variant':<28}" + "".join(f"{name:>{width}}" for name, width in header))
    for variant in VARIANTS:
        folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
        oof = cross_val_predict(
            build_pipeline(variant, seed=seed), texts, labels, cv=folds, method="predict_proba"
        )
        classes = np.array(sorted(set(labels.tolist())))
        start = time.perf_counter()
        pipe = build_pipeline(variant, seed=seed).fit(texts, labels)
        fit = time.perf_counter() - start
        cv_f1, cv_top2 = _scores(classes, oof, labels, f1_score)
        test_f1, test_top2 = _scores(pipe.classes_, pipe.predict_proba(test_texts), test_labels, f1_score)
        loss = log_loss(labels, oof, labels=classes)
        print(
            f"{variant:<28}{cv_f1:>7.3f}{cv_top2:>8.3f}{loss:>11.3f}{test_f1:>8.3f}{test_top2:>10.3f}{fit:>7.1f}"
        )
        if variant == "word_char_svc_calibrated":
            curve = coverage_curve(classes.tolist(), oof, labels.tolist())
    print("\nthreshold curve of the default variant (out-of-fold): threshold, share routed, accuracy routed")
    for threshold, routed, accuracy in curve[::5]:
        print(f"  {threshold:.2f}  {routed:.3f}  {accuracy:.3f}")


def _scores(
    classes: np.ndarray, probabilities: np.ndarray, truth: np.ndarray, f1: Callable[..., float]
) -> tuple[float, float]:
    answers = classes[probabilities.argmax(axis=1)]
    top2 = classes[np.argsort(-probabilities, axis=1)[:, :2]]
    reports = [i for i, t in enumerate(truth) if t in HELPDESKS]
    top2_accuracy = sum(truth[i] in top2[i] for i in reports) / len(reports)
    return float(f1(truth, answers, labels=list(HELPDESKS), average="macro")), top2_accuracy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compare", action="store_true", help="cross-validate every candidate variant")
    args = parser.parse_args()
    bench_load()
    bench_quality_and_latency()
    if args.compare:
        compare_variants()


if __name__ == "__main__":
    main()
