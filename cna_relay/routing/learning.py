"""Training: seed examples and corrections in, a `TrainedModel` out (scikit-learn lives here).

The pipeline from `features.py` is fitted, then exported to a `LinearTextModel` of plain arrays
(`export_pipeline`), so the model that classifies no longer needs scikit-learn.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import Pipeline

from cna_relay.routing.examples import Correction, Example, TrainingRow, examples_digest, training_rows
from cna_relay.routing.features import DEFAULT_VARIANT, build_pipeline
from cna_relay.routing.linear import WORD_TOKENS, LinearTextModel, Link, TfidfBlock, UnsupportedPipelineError
from cna_relay.routing.model import DEFAULT_SEED, TrainedModel, TrainingSummary
from cna_relay.routing.threshold import choose_threshold

_THRESHOLD_FOLDS = 5
# Folds for the threshold, then calibration folds inside each: 10 leaves every inner fold a row.
MIN_EXAMPLES_PER_HELPDESK = 10
MIN_HELPDESKS = 3


class TrainingError(ValueError):
    """The examples cannot train a model (too few rows or classes)."""


def train_model(
    examples: Iterable[Example],
    *,
    seed: int = DEFAULT_SEED,
    corrections: Iterable[Correction] = (),
    threshold: float | None = None,
    variant: str = DEFAULT_VARIANT,
) -> TrainedModel:
    """Fit a classifier on seed `examples` plus staff `corrections`; deterministic for a given seed.

    Without an explicit `threshold` one is chosen from out-of-fold predictions on the same rows
    (see `threshold.py`), which costs five extra fits.
    """
    correction_list = list(corrections)
    rows = training_rows(examples, correction_list)
    texts, labels, weights = _columns(rows)
    _check_trainable(labels)
    if threshold is None:
        threshold = _threshold_from_folds(texts, labels, weights, seed=seed, variant=variant)
    pipeline = build_pipeline(variant, seed=seed)
    pipeline.fit(texts, labels, model__sample_weight=weights)
    return TrainedModel(
        scorer=export_pipeline(pipeline),
        threshold=threshold,
        variant=variant,
        seed=seed,
        training=_summary(rows, correction_list),
    )


def export_pipeline(pipeline: Pipeline) -> LinearTextModel:
    """The arrays of a fitted `features` + `model` pipeline; refuses what it cannot reproduce."""
    features, model = pipeline.named_steps["features"], pipeline.named_steps["model"]
    vectorisers = (
        [t for _, t in features.transformer_list] if hasattr(features, "transformer_list") else [features]
    )
    labels = tuple(str(label) for label in model.classes_)
    estimator, link, calibration = _linear_layer(model, len(labels))
    if [str(label) for label in estimator.classes_] != list(labels):
        raise UnsupportedPipelineError("estimator and calibrator disagree on the class order")
    return LinearTextModel(
        labels=labels,
        blocks=tuple(_block(vectoriser) for vectoriser in vectorisers),
        coef=np.asarray(estimator.coef_, dtype=np.float64),
        intercept=np.asarray(estimator.intercept_, dtype=np.float64),
        link=link,
        calibration=calibration,
    )


def _linear_layer(model: object, classes: int) -> tuple[Any, Link, NDArray[np.float64]]:
    if classes < MIN_HELPDESKS:
        raise UnsupportedPipelineError(f"need at least {MIN_HELPDESKS} classes, got {classes}")
    if isinstance(model, LogisticRegression):
        return model, "softmax", np.zeros((classes, 2))
    if isinstance(model, CalibratedClassifierCV) and model.method == "sigmoid":
        if len(model.calibrated_classifiers_) != 1:
            raise UnsupportedPipelineError("calibration must use ensemble=False (one estimator)")
        calibrated = model.calibrated_classifiers_[0]
        calibration = np.array([[c.a_, c.b_] for c in calibrated.calibrators], dtype=np.float64)
        return calibrated.estimator, "sigmoid_ovr", calibration
    raise UnsupportedPipelineError(f"cannot export a {type(model).__name__}")


def _block(vectoriser: object) -> TfidfBlock:
    if not isinstance(vectoriser, TfidfVectorizer):
        raise UnsupportedPipelineError(f"cannot export a {type(vectoriser).__name__}")
    settings = vectoriser.get_params()
    expected = {
        "lowercase": True, "preprocessor": None, "tokenizer": None, "stop_words": None,
        "strip_accents": None, "binary": False, "norm": "l2", "use_idf": True, "sublinear_tf": True,
    }  # fmt: skip
    differing = sorted(key for key, value in expected.items() if settings[key] != value)
    word_pattern_differs = settings["analyzer"] == "word" and settings["token_pattern"] != WORD_TOKENS.pattern
    if differing or word_pattern_differs or settings["analyzer"] not in ("word", "char_wb"):
        raise UnsupportedPipelineError(
            f"unsupported vectoriser settings: {differing or settings['analyzer']}"
        )
    return TfidfBlock(
        analyzer=settings["analyzer"],
        ngram_range=tuple(settings["ngram_range"]),
        vocabulary={str(term): int(index) for term, index in vectoriser.vocabulary_.items()},
        idf=np.asarray(vectoriser.idf_, dtype=np.float64),
    )


def _columns(rows: Sequence[TrainingRow]) -> tuple[list[str], NDArray[np.str_], NDArray[np.float64]]:
    texts = [row.text for row in rows]
    labels = np.array([row.helpdesk for row in rows])
    weights = np.array([row.weight for row in rows], dtype=np.float64)
    return texts, labels, weights


def _check_trainable(labels: NDArray[np.str_]) -> None:
    counts = Counter(labels.tolist())
    if len(counts) < MIN_HELPDESKS:
        raise TrainingError(f"training needs examples of at least {MIN_HELPDESKS} helpdesks")
    scarce = sorted(label for label, count in counts.items() if count < MIN_EXAMPLES_PER_HELPDESK)
    if scarce:
        raise TrainingError(
            f"each helpdesk needs at least {MIN_EXAMPLES_PER_HELPDESK} examples; too few: {scarce}"
        )


def _threshold_from_folds(
    texts: list[str], labels: NDArray[np.str_], weights: NDArray[np.float64], *, seed: int, variant: str
) -> float:
    folds = StratifiedKFold(n_splits=_THRESHOLD_FOLDS, shuffle=True, random_state=seed)
    probabilities = cross_val_predict(
        build_pipeline(variant, seed=seed),
        texts,
        labels,
        cv=folds,
        method="predict_proba",
        params={"model__sample_weight": weights},
    )
    classes = sorted(set(labels.tolist()))
    return choose_threshold(classes, probabilities, labels.tolist())


def _summary(rows: Sequence[TrainingRow], corrections: Sequence[Correction]) -> TrainingSummary:
    return TrainingSummary(
        digest=examples_digest(rows),
        rows=len(rows),
        per_helpdesk=dict(sorted(Counter(row.helpdesk for row in rows).items())),
        corrections=len(corrections),
        moved_corrections=sum(1 for c in corrections if c.moved),
    )
