"""FastAPI dependencies as `Annotated` aliases, so route signatures stay short."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from cna_relay.context import RelayContext
from cna_relay.problems import request_language


def get_context(request: Request) -> RelayContext:
    context = request.app.state.context
    assert isinstance(context, RelayContext)
    return context


def get_language(request: Request) -> str:
    return request_language(request)


def client_ip(request: Request) -> str:
    """The caller's address for abuse limits; `X-Forwarded-For` only behind a trusted proxy."""
    context = get_context(request)
    if context.settings.trust_forwarded_for:
        forwarded = request.headers.get("x-forwarded-for", "")
        if forwarded:
            return forwarded.split(",")[0].strip()[:64]
    return request.client.host if request.client else "unknown"


Context = Annotated[RelayContext, Depends(get_context)]
Language = Annotated[str, Depends(get_language)]
ClientIp = Annotated[str, Depends(client_ip)]
