"""The candidate learners: TF-IDF features over normalised text and a linear model on top.

Every variant maps already-normalised text to class probabilities (`predict_proba`). The comparison
between them is in docs/routing.md (`python bench/routing.py --compare` reproduces it); the default
is the one the evidence chose.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.naive_bayes import ComplementNB
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

DEFAULT_VARIANT = "word_char_svc_calibrated"
# Words keep one-letter tokens and the '?' / '!' marks that normalisation leaves standing.
_WORD_TOKENS = r"(?u)\b\w+\b|[?!]"


def _word_tfidf() -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer="word", token_pattern=_WORD_TOKENS, ngram_range=(1, 2), sublinear_tf=True, min_df=1
    )


def _char_tfidf() -> TfidfVectorizer:
    # char_wb n-grams catch Dutch compounds ("straatlamp", "rioolputdeksel") and typos.
    return TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)


def _word_char() -> FeatureUnion:
    return FeatureUnion([("word", _word_tfidf()), ("char", _char_tfidf())])


def _logistic(seed: int) -> LogisticRegression:
    return LogisticRegression(C=20.0, max_iter=2000, random_state=seed)


def _calibrated_svc(seed: int) -> CalibratedClassifierCV:
    # ensemble=False: one SVC on all rows plus sigmoid calibrators fitted on out-of-fold scores;
    # a fifth of the size and of the latency of the five-model ensemble, with the same quality.
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
    return CalibratedClassifierCV(
        LinearSVC(C=0.5, random_state=seed), method="sigmoid", cv=folds, ensemble=False
    )


def _counts() -> FeatureUnion:
    return FeatureUnion(
        [
            ("word", CountVectorizer(token_pattern=_WORD_TOKENS, ngram_range=(1, 2))),
            ("char", CountVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2)),
        ]
    )


_VARIANTS: dict[str, Callable[[int], list[tuple[str, Any]]]] = {
    "word_char_lr": lambda seed: [("features", _word_char()), ("model", _logistic(seed))],
    "word_char_svc_calibrated": lambda seed: [("features", _word_char()), ("model", _calibrated_svc(seed))],
    "char_lr": lambda seed: [("features", _char_tfidf()), ("model", _logistic(seed))],
    "word_lr": lambda seed: [("features", _word_tfidf()), ("model", _logistic(seed))],
    "word_char_complement_nb": lambda seed: [("features", _counts()), ("model", ComplementNB(alpha=0.3))],
}
VARIANTS: tuple[str, ...] = tuple(_VARIANTS)


def build_pipeline(variant: str = DEFAULT_VARIANT, *, seed: int) -> Pipeline:
    """A fresh, unfitted pipeline for `variant` (one of `VARIANTS`), seeded for reproducibility."""
    try:
        steps = _VARIANTS[variant](seed)
    except KeyError:
        raise ValueError(f"unknown variant {variant!r}; expected one of {', '.join(VARIANTS)}") from None
    return Pipeline(steps)
