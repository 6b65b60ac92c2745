"""The exported array model scores exactly like the scikit-learn pipeline it came from."""

from __future__ import annotations

import io

import numpy as np
import pytest
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import ComplementNB
from sklearn.pipeline import Pipeline

from cna_relay.routing import Example
from cna_relay.routing.examples import training_rows
from cna_relay.routing.features import build_pipeline
from cna_relay.routing.learning import export_pipeline
from cna_relay.routing.linear import LinearTextModel, UnsupportedPipelineError
from cna_relay.routing.normalise import normalise

HOSTILE = ["", "a", "zz", "? ! ?", "x" * 3000, "één  twee\tdrie", "ǅ ß ﬁ İstanbul", "🙂 lamp 🙂", "0 0 0 0"]


@pytest.fixture(scope="module")
def rows_and_labels(seed_examples: list[Example]) -> tuple[list[str], list[str]]:
    rows = training_rows(seed_examples)
    return [row.text for row in rows], [row.helpdesk for row in rows]


@pytest.mark.parametrize("variant", ["word_char_svc_calibrated", "word_char_lr", "char_lr", "word_lr"])
def test_exported_model_reproduces_pipeline_probabilities(
    rows_and_labels: tuple[list[str], list[str]], test_examples: list[Example], variant: str
) -> None:
    texts, labels = rows_and_labels
    if variant != "word_char_svc_calibrated":  # the slower learners fit on a sample, enough to compare
        texts, labels = texts[::3], labels[::3]
    pipeline = build_pipeline(variant, seed=7).fit(texts, labels)
    exported = export_pipeline(pipeline)
    probe = texts + [normalise(example.text) for example in test_examples] + HOSTILE
    np.testing.assert_allclose(
        exported.predict_proba(probe), pipeline.predict_proba(probe), rtol=0, atol=1e-9
    )
    assert exported.labels == tuple(pipeline.classes_)


def test_array_form_round_trips_without_pickle(rows_and_labels: tuple[list[str], list[str]]) -> None:
    texts, labels = rows_and_labels
    exported = export_pipeline(build_pipeline(seed=3).fit(texts, labels))
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **exported.to_arrays())
    buffer.seek(0)
    with np.load(buffer, allow_pickle=False) as arrays:
        restored = LinearTextModel.from_arrays(arrays)
    probe = texts[:50] + HOSTILE
    np.testing.assert_array_equal(restored.predict_proba(probe), exported.predict_proba(probe))


def test_empty_batch_gives_an_empty_matrix(rows_and_labels: tuple[list[str], list[str]]) -> None:
    texts, labels = rows_and_labels
    exported = export_pipeline(build_pipeline(seed=3).fit(texts[::4], labels[::4]))
    assert exported.predict_proba([]).shape == (0, len(exported.labels))


@pytest.mark.parametrize(
    "pipeline",
    [
        Pipeline([("features", CountVectorizer()), ("model", LogisticRegression())]),
        Pipeline([("features", TfidfVectorizer(sublinear_tf=False)), ("model", LogisticRegression())]),
        Pipeline(
            [
                ("features", TfidfVectorizer(sublinear_tf=True, analyzer="char")),
                ("model", LogisticRegression()),
            ]
        ),
        Pipeline([("features", TfidfVectorizer(sublinear_tf=True)), ("model", LogisticRegression())]),
        Pipeline([("features", TfidfVectorizer(sublinear_tf=True)), ("model", ComplementNB())]),
    ],
)
def test_pipelines_it_cannot_reproduce_are_refused(
    rows_and_labels: tuple[list[str], list[str]], pipeline: Pipeline
) -> None:
    texts, labels = rows_and_labels
    pipeline.fit(texts[::4], labels[::4])
    with pytest.raises(UnsupportedPipelineError):
        export_pipeline(pipeline)


def test_two_class_models_are_refused(rows_and_labels: tuple[list[str], list[str]]) -> None:
    texts, labels = rows_and_labels
    pairs = [
        (t, label)
        for t, label in zip(texts, labels, strict=True)
        if label in ("Groen en Natuur", "Afval en Netheid")
    ]
    pipeline = build_pipeline("word_lr", seed=1).fit([t for t, _ in pairs], [label for _, label in pairs])
    with pytest.raises(UnsupportedPipelineError, match="at least 3 classes"):
        export_pipeline(pipeline)


def test_classifying_never_imports_scikit_learn() -> None:
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import sys\n"
        "from cna_relay.routing import HelpdeskClassifier, default_model_dir\n"
        "c = HelpdeskClassifier.load(default_model_dir())\n"
        "assert c.classify('Straatlamp brandt niet').helpdesk == 'Openbare Verlichting'\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sklearn', 'scipy', 'joblib')))\n"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
