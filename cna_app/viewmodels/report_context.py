"""What the report flows may ask of the app shell, and the relay limits and boundary they apply.

`ReportShellPort` extends the flows' `ShellPort` with the relay's configuration; `ReportRules`
reads the report limits, the municipality's name and its boundary from it (`RulesSource`
computes them once per configuration).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from cna_app.services.geo import Boundary, parse_boundary
from cna_app.services.photos import AttachmentLimits
from cna_app.services.relay_config import RelayConfig
from cna_app.viewmodels.context import ShellPort

DEFAULT_DESCRIPTION_MAX = 4000


class ReportShellPort(ShellPort, Protocol):
    @property
    def config(self) -> RelayConfig | None: ...


@dataclass(frozen=True, slots=True)
class ReportRules:
    description_max: int
    limits: AttachmentLimits
    boundary: Boundary | None
    municipality: str

    @classmethod
    def from_config(cls, config: RelayConfig | None) -> ReportRules:
        if config is None:
            return cls(DEFAULT_DESCRIPTION_MAX, AttachmentLimits(), None, "")
        report = config.raw["report"]
        maximum = report["description_max_length"]
        return cls(
            description_max=maximum if 0 < maximum <= 100_000 else DEFAULT_DESCRIPTION_MAX,
            limits=AttachmentLimits.from_wire(report),
            boundary=parse_boundary(config.raw.get("boundary")),
            municipality=config.municipality_name,
        )


class RulesSource:
    """The rules for whatever configuration the shell holds now, computed once per config."""

    def __init__(self, shell: ReportShellPort) -> None:
        self._shell = shell
        self._for: RelayConfig | None = None
        self._rules = ReportRules.from_config(None)

    def __call__(self) -> ReportRules:
        config = self._shell.config
        if config is not self._for:
            self._for, self._rules = config, ReportRules.from_config(config)
        return self._rules
