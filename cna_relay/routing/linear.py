"""A fitted TF-IDF + linear classifier as plain arrays, scored with numpy alone.

Training uses scikit-learn; classification does not. `LinearTextModel.from_pipeline` copies what
a fitted pipeline needs to score text (vocabularies, idf weights, coefficients, calibration) into
arrays, and `predict_proba` reproduces the pipeline's `predict_proba` (tests compare the two on
every seed text). Why: a process that classifies never imports scikit-learn (about a second of
start-up on this hardware), one text scores in well under a millisecond, and the model file is an
`.npz` of arrays loaded with `allow_pickle=False`, so it cannot run code and does not depend on
the scikit-learn version that trained it.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

FORMAT_VERSION = 1
Link = Literal["sigmoid_ovr", "softmax"]
# Must equal the token pattern the word vectoriser was fitted with (features.py).
WORD_TOKENS = re.compile(r"(?u)\b\w+\b|[?!]")


class UnsupportedPipelineError(ValueError):
    """The pipeline is not TF-IDF blocks followed by a linear model this module can score."""


@dataclass(frozen=True, eq=False, slots=True)
class TfidfBlock:
    """One TF-IDF vectoriser: its analyser, n-gram range, vocabulary and idf weights."""

    analyzer: Literal["word", "char_wb"]
    ngram_range: tuple[int, int]
    vocabulary: dict[str, int]
    idf: NDArray[np.float64]

    def terms(self, text: str) -> list[str]:
        """The n-grams scikit-learn's analyser produces for `text` (same order, same duplicates)."""
        text = text.lower()
        low, high = self.ngram_range
        if self.analyzer == "word":
            return _word_ngrams(WORD_TOKENS.findall(text), low, high)
        return _char_wb_ngrams(text, low, high)

    def vector(self, text: str) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
        """Indices and values of the sublinear, L2-normalised TF-IDF vector of `text`."""
        counts = Counter(i for term in self.terms(text) if (i := self.vocabulary.get(term)) is not None)
        if not counts:
            return np.empty(0, dtype=np.intp), np.empty(0)
        indices = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
        values = (np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts))) + 1.0) * self.idf[
            indices
        ]
        return indices, values / np.sqrt(np.dot(values, values))


@dataclass(frozen=True, eq=False, slots=True)
class LinearTextModel:
    """TF-IDF blocks side by side, a linear layer, and the link that turns scores into probabilities."""

    labels: tuple[str, ...]
    blocks: tuple[TfidfBlock, ...]
    coef: NDArray[np.float64]
    intercept: NDArray[np.float64]
    link: Link
    calibration: NDArray[np.float64]

    def predict_proba(self, texts: Sequence[str]) -> NDArray[np.float64]:
        """Class probabilities per text, columns in `labels` order."""
        scores = (
            np.vstack([self._scores(text) for text in texts]) if texts else np.empty((0, len(self.labels)))
        )
        return _sigmoid_ovr(scores, self.calibration) if self.link == "sigmoid_ovr" else _softmax(scores)

    def _scores(self, text: str) -> NDArray[np.float64]:
        parts, offset = [], 0
        for block in self.blocks:
            indices, values = block.vector(text)
            parts.append((indices + offset, values))
            offset += block.idf.shape[0]
        indices = np.concatenate([p[0] for p in parts])
        values = np.concatenate([p[1] for p in parts])
        scores: NDArray[np.float64] = self.coef[:, indices] @ values + self.intercept
        return scores

    def to_arrays(self) -> dict[str, Any]:
        """Everything as named arrays for `numpy.savez_compressed` (no object arrays)."""
        config = {
            "format": FORMAT_VERSION,
            "link": self.link,
            "blocks": [{"analyzer": b.analyzer, "ngram_range": list(b.ngram_range)} for b in self.blocks],
        }
        arrays: dict[str, Any] = {
            "config": np.array(json.dumps(config)),
            "labels": np.array(self.labels),
            "coef": self.coef,
            "intercept": self.intercept,
            "calibration": self.calibration,
        }
        for n, block in enumerate(self.blocks):
            terms = sorted(block.vocabulary, key=block.vocabulary.__getitem__)
            arrays[f"terms_{n}"] = np.array(terms, dtype=str)
            arrays[f"idf_{n}"] = block.idf
        return arrays

    @classmethod
    def from_arrays(cls, arrays: Any) -> LinearTextModel:
        """The inverse of `to_arrays` (accepts the mapping `numpy.load` returns)."""
        config = json.loads(str(arrays["config"]))
        if config.get("format") != FORMAT_VERSION:
            raise UnsupportedPipelineError(f"model format {config.get('format')} != {FORMAT_VERSION}")
        blocks = tuple(
            TfidfBlock(
                analyzer=spec["analyzer"],
                ngram_range=(int(spec["ngram_range"][0]), int(spec["ngram_range"][1])),
                vocabulary={str(term): i for i, term in enumerate(arrays[f"terms_{n}"])},
                idf=np.asarray(arrays[f"idf_{n}"], dtype=np.float64),
            )
            for n, spec in enumerate(config["blocks"])
        )
        return cls(
            labels=tuple(str(label) for label in arrays["labels"]),
            blocks=blocks,
            coef=np.asarray(arrays["coef"], dtype=np.float64),
            intercept=np.asarray(arrays["intercept"], dtype=np.float64),
            link=config["link"],
            calibration=np.asarray(arrays["calibration"], dtype=np.float64),
        )


def _word_ngrams(tokens: list[str], low: int, high: int) -> list[str]:
    grams = list(tokens) if low == 1 else []
    for n in range(max(low, 2), min(high, len(tokens)) + 1):
        grams.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return grams


def _char_wb_ngrams(text: str, low: int, high: int) -> list[str]:
    grams = []
    for word in text.split():
        padded = f" {word} "
        for n in range(low, high + 1):
            if len(padded) <= n:  # a padded word shorter than n counts once, whole
                grams.append(padded)
                break
            grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return grams


def _sigmoid_ovr(scores: NDArray[np.float64], calibration: NDArray[np.float64]) -> NDArray[np.float64]:
    with np.errstate(over="ignore"):
        proba = 1.0 / (1.0 + np.exp(calibration[:, 0] * scores + calibration[:, 1]))
    total = proba.sum(axis=1, keepdims=True)
    uniform = np.full_like(proba, 1.0 / proba.shape[1])
    result: NDArray[np.float64] = np.divide(proba, total, out=uniform, where=total != 0)
    return result


def _softmax(scores: NDArray[np.float64]) -> NDArray[np.float64]:
    shifted = np.exp(scores - scores.max(axis=1, keepdims=True))
    result: NDArray[np.float64] = shifted / shifted.sum(axis=1, keepdims=True)
    return result
