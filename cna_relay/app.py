"""`create_app(settings)`: the relay's HTTP API, built from explicit settings (no globals)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from cna_relay.bodylimit import BodySizeLimit
from cna_relay.clock import Clock
from cna_relay.context import RelayContext, build_context
from cna_relay.invgate import ServiceDesk
from cna_relay.problems import install_error_handlers
from cna_relay.routes import health
from cna_relay.settings import RelaySettings
from cna_relay.wiring import install_domains

# No JSON request of the API comes near this; anything larger is refused before it is parsed.
JSON_BODY_LIMIT = 2 * 1024 * 1024


def create_app(
    settings: RelaySettings | None = None,
    *,
    clock: Clock | None = None,
    service_desk: ServiceDesk | None = None,
    invgate_transport: httpx.AsyncBaseTransport | None = None,
    run_worker: bool | None = None,
) -> FastAPI:
    """The relay API. The lifespan migrates the database (when `auto_migrate`) and runs the
    outbox dispatcher in-process (when `embedded_worker`, or `run_worker`)."""
    settings = settings or RelaySettings()
    context = build_context(
        settings, clock=clock, service_desk=service_desk, invgate_transport=invgate_transport
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await context.start(run_worker=run_worker)
        try:
            yield
        finally:
            await context.stop()

    app = FastAPI(
        title="CNA relay",
        version="1",
        lifespan=lifespan,
        docs_url="/docs" if settings.environment != "production" else None,
        redoc_url=None,
    )
    app.state.context = context
    install_error_handlers(app)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "POST", "PATCH", "DELETE"],
        allow_headers=["Authorization", "Content-Type", "Accept-Language"],
        expose_headers=["Retry-After", "Content-Language", "Location"],
    )
    app.add_middleware(
        BodySizeLimit,
        default_limit=JSON_BODY_LIMIT,
        limits={"/v1/reports": settings.max_attachments * settings.max_attachment_bytes + 1024 * 1024},
    )
    app.include_router(health.router)
    install_domains(app, context)
    return app


def context_of(app: FastAPI) -> RelayContext:
    context = app.state.context
    assert isinstance(context, RelayContext)
    return context
