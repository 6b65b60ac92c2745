"""The admin API under `/_sim/` for tests in another process and for demos. Never enable it on
anything reachable by others: it can reset the instance and read every ticket."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, Literal

from fastapi import APIRouter, FastAPI, HTTPException
from pydantic import BaseModel, Field
from starlette.requests import Request

from invgate_sim.dump import tickets_dump, users_dump
from invgate_sim.simulator import Simulator


class FaultSpec(BaseModel):
    kind: Literal["fail_next", "fail_randomly", "latency", "drop_reply", "outage"]
    n: int = Field(default=1, ge=1, le=100_000)
    status: int = Field(default=503, ge=400, le=599)
    endpoint: str | None = None
    method: str | None = None
    seconds: float | None = Field(default=None, ge=0, le=86_400)
    until: float | None = None
    rate: float | None = Field(default=None, gt=0, lt=1)
    seed: int | None = None


class ClockAdvance(BaseModel):
    advance_seconds: float = Field(gt=0, le=10 * 365 * 86_400)


def _sim(request: Request) -> Simulator:
    sim: Simulator = request.app.state.sim
    return sim


def _arm(sim: Simulator, spec: FaultSpec) -> None:
    faults = sim.faults
    if spec.kind == "fail_next":
        faults.fail_next(spec.n, spec.status, spec.endpoint, spec.method)
    elif spec.kind == "fail_randomly":
        faults.fail_randomly(spec.rate or 0.0, spec.status, spec.endpoint, spec.method, spec.seed)
    elif spec.kind == "latency":
        faults.add_latency(spec.seconds or 0.0, spec.endpoint)
    elif spec.kind == "drop_reply":
        faults.drop_reply_after_commit(spec.n, spec.endpoint, spec.method)
    elif spec.until is not None:
        faults.outage_until(spec.until)
    elif spec.seconds:
        faults.outage(spec.seconds)
    else:
        raise ValueError("an outage needs seconds or until")


def build_admin_router() -> APIRouter:
    router = APIRouter(prefix="/_sim")

    @router.post("/faults", status_code=201)
    async def add_fault(spec: FaultSpec, request: Request) -> dict[str, Any]:
        sim = _sim(request)
        try:
            _arm(sim, spec)
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from exc
        return {"armed": sim.faults.describe()}

    @router.get("/faults")
    async def list_faults(request: Request) -> list[dict[str, Any]]:
        return _sim(request).faults.describe()

    @router.delete("/faults")
    async def clear_faults(request: Request) -> dict[str, str]:
        _sim(request).faults.clear()
        return {"status": "cleared"}

    @router.get("/requests")
    async def requests(request: Request, endpoint: str | None = None, method: str | None = None) -> list[Any]:
        log = _sim(request).request_log
        return [
            entry.as_dict()
            for entry in log
            if (endpoint is None or entry.endpoint == endpoint)
            and (method is None or entry.method == method.upper())
        ]

    @router.delete("/requests")
    async def clear_requests(request: Request) -> dict[str, str]:
        _sim(request).request_log.clear()
        return {"status": "cleared"}

    @router.post("/reset")
    async def reset(request: Request) -> dict[str, str]:
        _sim(request).reset()
        return {"status": "reset"}

    @router.get("/tickets")
    async def tickets(request: Request) -> dict[str, Any]:
        return tickets_dump(_sim(request))

    @router.get("/users")
    async def users(request: Request) -> list[dict[str, Any]]:
        return users_dump(_sim(request))

    @router.get("/mails")
    async def mails(request: Request) -> list[dict[str, Any]]:
        return [asdict(record) for record in _sim(request).mails_sent]

    @router.get("/notifications")
    async def notifications(request: Request) -> dict[str, bool]:
        return {event.value: send for event, send in _sim(request).notifications.items()}

    @router.put("/notifications")
    async def switch_notifications(changes: dict[str, Any], request: Request) -> dict[str, bool]:
        """Either `{"event": "ticket_created", "send": false}` or `{"ticket_created": false, ...}`."""
        sim = _sim(request)
        if set(changes) == {"event", "send"}:
            changes = {str(changes["event"]): changes["send"]}
        if not all(isinstance(send, bool) for send in changes.values()):
            raise HTTPException(422, "every rule must be switched with a boolean")
        try:
            for event, send in changes.items():
                sim.set_notification(event, send)
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from exc
        return {event.value: send for event, send in sim.notifications.items()}

    @router.post("/clock")
    async def advance_clock(body: ClockAdvance, request: Request) -> dict[str, float]:
        sim = _sim(request)
        sim.advance_clock(body.advance_seconds)
        return {"now": sim.now()}

    return router


def install_admin(app: FastAPI) -> None:
    app.include_router(build_admin_router())
