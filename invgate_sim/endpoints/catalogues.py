"""Catalogues: helpdesks, levels, categories and the incident attributes; `sd.version`."""

from __future__ import annotations

from typing import Any

from invgate_sim.errors import LogicalError
from invgate_sim.models import Helpdesk
from invgate_sim.registry import Call, Route
from invgate_sim.store import Named

SIMULATED_VERSION = "7.6.0 (CNA simulator)"
CATEGORY_PAGE_DEFAULT, CATEGORY_PAGE_MAX = 20, 500


def _helpdesk(helpdesk: Helpdesk) -> dict[str, Any]:
    return {
        "id": helpdesk.id,
        "name": helpdesk.name,
        "engine_id": helpdesk.engine_id,
        "status_id": helpdesk.status_id,
        "parent_id": helpdesk.parent_id,
        "total_members": len(helpdesk.members),
    }


def _level(level: Helpdesk) -> dict[str, Any]:
    return {
        "id": level.id,
        "level_order": level.level_order,
        "engine_id": level.engine_id,
        "status_id": level.status_id,
        "parent_id": level.parent_id,
        "total_members": len(level.members),
        "members_ids": list(level.members),
    }


def _one_or_all(call: Call, items: list[Any], shape: Any, *, by_name: bool = False) -> Any:
    wanted_id = call.params.integer("id")
    wanted_name = call.params.string("name") if by_name else None
    if wanted_id is None and not wanted_name:
        return [shape(item) for item in items]
    for item in items:
        if item.id == wanted_id or (wanted_name and item.name.lower() == wanted_name.strip().lower()):
            return shape(item)
    raise LogicalError("No item matches the given id or name")


async def helpdesks(call: Call) -> Any:
    desks = [h for h in call.sim.store.helpdesks.values() if not h.is_level]
    return _one_or_all(call, desks, _helpdesk, by_name=True)


async def levels(call: Call) -> Any:
    return _one_or_all(call, [h for h in call.sim.store.helpdesks.values() if h.is_level], _level)


async def helpdesks_and_levels(call: Call) -> Any:
    unified = [_level(h) if h.is_level else _helpdesk(h) for h in call.sim.store.helpdesks.values()]
    wanted = call.params.integer("id")
    return [item for item in unified if wanted is None or item["id"] == wanted]


async def categories(call: Call) -> Any:
    found = list(call.sim.store.categories.values())
    wanted_id = call.params.integer("id")
    if wanted_id is not None:
        found = [category for category in found if category.id == wanted_id]
    search = (call.params.string("search") or "").strip().lower()
    if search:
        found = [category for category in found if search in category.name.lower()]
    page = max(call.params.integer("page") or 1, 1)
    size = min(max(call.params.integer("page_size") or CATEGORY_PAGE_DEFAULT, 1), CATEGORY_PAGE_MAX)
    chunk = found[(page - 1) * size : page * size]
    # Category ids arrive as strings on the real API; clients must not assume integers.
    return [{"id": str(c.id), "name": c.name, "parent_category_id": c.parent_category_id} for c in chunk]


def _attribute(pick: str) -> Any:
    async def attribute(call: Call) -> Any:
        catalogue: list[Named] = getattr(call.sim.store, pick)
        return _one_or_all(call, catalogue, lambda item: {"id": item.id, "name": item.name})

    attribute.__name__ = f"attribute_{pick}"
    return attribute


async def version(call: Call) -> Any:
    return {"version": SIMULATED_VERSION}


ROUTES: tuple[Route, ...] = (
    ("helpdesks", "GET", helpdesks),
    ("levels", "GET", levels),
    ("helpdesksandlevels", "GET", helpdesks_and_levels),
    ("categories", "GET", categories),
    ("incident.attributes.category", "GET", categories),
    ("incident.attributes.priority", "GET", _attribute("priorities")),
    ("incident.attributes.type", "GET", _attribute("types")),
    ("incident.attributes.source", "GET", _attribute("sources")),
    ("incident.attributes.status", "GET", _attribute("statuses")),
    ("incident.attributes.statuses", "GET", _attribute("statuses")),
    ("sd.version", "GET", version),
)
