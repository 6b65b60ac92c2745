"""How the simulator refuses a call, translated to HTTP in one place (`transport.py`).

ApiError                 non-2xx with body {"error": message, "status": code}
├── MissingParameter     428 (missing or mistyped required parameter)
├── Refused              409 (business rule refused the action)
└── (401, 403, 404, 405, 429, 5xx are raised as ApiError with their status)
LogicalError             HTTP 200 with {"status": "ERROR", "info": message}
"""

from __future__ import annotations


class ApiError(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


class MissingParameter(ApiError):
    def __init__(self, message: str) -> None:
        super().__init__(428, message)


class Refused(ApiError):
    def __init__(self, message: str) -> None:
        super().__init__(409, message)


class LogicalError(Exception):
    """A documented logical failure: InvGate answers these with HTTP 200 and `status: "ERROR"`."""

    def __init__(self, info: str, *, key: str = "info") -> None:
        super().__init__(info)
        self.info = info
        self.key = key  # `incident.comment` names its message `error`, most others `info`
