"""A faithful simulator of InvGate Service Management's REST API v1, with the customer e-mails ESM
sends, plus the development mail sink and map-tile server: the simulated municipality back office.

Build an instance with `create_app(SimConfig(...))`; its state is `app.state.sim` (a `Simulator`).
"""

from __future__ import annotations

from invgate_sim.app import create_app
from invgate_sim.config import OAuthClient, SimConfig
from invgate_sim.simulator import Simulator

__all__ = ["OAuthClient", "SimConfig", "Simulator", "create_app"]
