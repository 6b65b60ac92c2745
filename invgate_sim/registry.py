"""The table of dotted endpoint names and methods the simulated API answers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from invgate_sim.errors import ApiError
from invgate_sim.params import Params
from invgate_sim.render import Renderer
from invgate_sim.simulator import Simulator


@dataclass(frozen=True)
class Call:
    """What a handler gets: the simulator, the merged parameters and the per-call renderer."""

    sim: Simulator
    params: Params
    render: Renderer
    method: str
    endpoint: str

    @property
    def now(self) -> float:
        return self.sim.now()


Handler = Callable[[Call], Awaitable[Any]]
Route = tuple[str, str, Handler]


class Registry:
    def __init__(self, routes: Iterable[Route] = ()) -> None:
        self._routes: dict[str, dict[str, Handler]] = {}
        for endpoint, method, handler in routes:
            self.add(endpoint, method, handler)

    def add(self, endpoint: str, method: str, handler: Handler) -> None:
        methods = self._routes.setdefault(endpoint, {})
        if method in methods:
            raise ValueError(f"{method} {endpoint} is registered twice")
        methods[method] = handler

    def resolve(self, endpoint: str, method: str) -> Handler:
        methods = self._routes.get(endpoint)
        if methods is None:
            raise ApiError(404, f"The endpoint {endpoint} does not exist")
        if method not in methods:
            raise ApiError(
                405, f"Method {method} not allowed on {endpoint}", {"Allow": ", ".join(sorted(methods))}
            )
        return methods[method]

    def endpoints(self) -> dict[str, list[str]]:
        return {endpoint: sorted(methods) for endpoint, methods in sorted(self._routes.items())}
