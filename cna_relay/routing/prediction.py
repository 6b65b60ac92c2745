"""What the classifier answers for one report text."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Prediction:
    """The helpdesk a report goes to, how sure the model is, and the full ranking.

    `confidence` is always the model's probability for `helpdesk` itself (never for another
    class): for a report sent to triage because no helpdesk was probable enough, it is the
    probability of the triage class. Texts with no words at all get confidence 0 and an empty
    ranking. `ranking` lists every class the model knows, most probable first, so staff can be
    shown the top two suggestions.
    """

    helpdesk: str
    confidence: float
    ranking: list[tuple[str, float]] = field(default_factory=list)
