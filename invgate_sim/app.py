"""The composition root: `create_app(config)` builds one simulated InvGate instance."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import Response

from invgate_sim.admin import install_admin
from invgate_sim.board.routes import install_board
from invgate_sim.config import SimConfig
from invgate_sim.endpoints import build_registry
from invgate_sim.oauth import install_oauth
from invgate_sim.simulator import Simulator
from invgate_sim.transport import handle_api_call

API_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


def create_app(config: SimConfig | None = None) -> FastAPI:
    """A fresh app with its own `Simulator` at `app.state.sim`; nothing depends on lifespan events."""
    sim = Simulator(config or SimConfig())
    registry = build_registry()
    app = FastAPI(title="InvGate simulator", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.sim = sim
    app.state.registry = registry

    async def api(request: Request, endpoint: str) -> Response:
        return await handle_api_call(request, registry, endpoint)

    app.add_api_route("/api/v1/{endpoint:path}", api, methods=API_METHODS, include_in_schema=False)
    install_oauth(app)
    install_board(app)
    if sim.config.admin_enabled:
        install_admin(app)
    return app
