"""Liveness and readiness for load balancers and the demo launcher."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

from cna_relay.deps import Context

router = APIRouter()


@router.get("/healthz", include_in_schema=False)
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", include_in_schema=False)
async def readyz(context: Context) -> dict[str, object]:
    async with context.db.sessions() as session:
        await session.execute(text("SELECT 1"))
    return {"status": "ok", "outbox": await context.outbox.counts()}
