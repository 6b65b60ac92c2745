"""Choosing the confidence threshold below which a report goes to the triage desk.

The threshold is picked on out-of-fold predictions over the training set (never on the frozen
test split) by minimising the expected handling cost: a report routed to the wrong helpdesk costs
`MISROUTE_COST` (it waits in the wrong queue for days, then still needs a person to move it), a
report sent to triage costs `TRIAGE_COST` (one person reads and assigns it). Non-reports routed to
a helpdesk are misroutes; non-reports sent to triage cost nothing extra.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from cna_relay.routing.helpdesks import TRIAGE

MISROUTE_COST = 2.0
TRIAGE_COST = 1.0
# Candidate thresholds; below 0.2 nothing is ever triaged by confidence, above 0.8 most reports are.
CANDIDATES: NDArray[np.float64] = np.round(np.arange(0.20, 0.81, 0.01), 2)


def decide(labels: Sequence[str], probabilities: NDArray[np.float64], threshold: float) -> list[str]:
    """The helpdesk answered for each row of class `probabilities` under `threshold`."""
    best = probabilities.argmax(axis=1)
    answers = []
    for row, index in enumerate(best):
        label = labels[index]
        answers.append(TRIAGE if probabilities[row, index] < threshold else label)
    return answers


def handling_cost(truth: Sequence[str], answers: Sequence[str]) -> float:
    """Total cost of `answers` against `truth` under the cost model of this module."""
    cost = 0.0
    for expected, answered in zip(truth, answers, strict=True):
        if answered == expected:
            continue
        cost += TRIAGE_COST if answered == TRIAGE else MISROUTE_COST
    return cost


def choose_threshold(
    labels: Sequence[str], probabilities: NDArray[np.float64], truth: Sequence[str]
) -> float:
    """The candidate threshold with the lowest handling cost (the lowest one on ties)."""
    costs = [handling_cost(truth, decide(labels, probabilities, float(t))) for t in CANDIDATES]
    return float(CANDIDATES[int(np.argmin(costs))])


def coverage_curve(
    labels: Sequence[str], probabilities: NDArray[np.float64], truth: Sequence[str]
) -> list[tuple[float, float, float]]:
    """(threshold, share auto-routed, accuracy of the auto-routed share) per candidate, for docs."""
    curve = []
    for t in CANDIDATES:
        answers = decide(labels, probabilities, float(t))
        routed = [(a, e) for a, e in zip(answers, truth, strict=True) if a != TRIAGE]
        correct = sum(1 for a, e in routed if a == e)
        accuracy = correct / len(routed) if routed else 1.0
        curve.append((float(t), len(routed) / len(truth), accuracy))
    return curve
