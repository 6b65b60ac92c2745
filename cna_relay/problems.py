"""Every error the API answers, as RFC 9457 `application/problem+json` in the caller's language.

Routes and services raise `RelayError` (or a subclass); `install_error_handlers` turns it, and
FastAPI's own validation and HTTP errors, into a problem document in one place. Nothing else
builds error responses, and no exception text from inside the relay reaches a client.

    RelayError(code, status)            a problem the caller can act on
    ├── ValidationFailed  422           per-field errors (`errors[]`)
    ├── Unauthorized      401           with `WWW-Authenticate: Bearer`
    ├── Forbidden         403
    ├── NotFound          404
    ├── Conflict          409
    ├── PayloadTooLarge   413
    └── RateLimited       429           with `Retry-After`
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from cna_relay.i18n import Catalog, negotiate_language

log = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"


@dataclass(frozen=True, slots=True)
class FieldError:
    field: str
    code: str
    params: dict[str, Any] = dataclasses.field(default_factory=dict)


class RelayError(Exception):
    status: int = 400

    def __init__(
        self,
        code: str,
        *,
        status: int | None = None,
        params: dict[str, Any] | None = None,
        errors: list[FieldError] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(code)
        self.code = code
        if status is not None:
            self.status = status
        self.params = params or {}
        self.errors = errors or []
        self.headers = headers or {}


class ValidationFailed(RelayError):
    status = 422

    def __init__(self, errors: list[FieldError], *, code: str = "validation_error", **params: Any) -> None:
        super().__init__(code, errors=errors, params=params)


class Unauthorized(RelayError):
    status = 401

    def __init__(self, code: str = "unauthorized") -> None:
        super().__init__(code, headers={"WWW-Authenticate": "Bearer"})


class Forbidden(RelayError):
    status = 403

    def __init__(self, code: str = "forbidden") -> None:
        super().__init__(code)


class NotFound(RelayError):
    status = 404

    def __init__(self, code: str = "not_found") -> None:
        super().__init__(code)


class Conflict(RelayError):
    status = 409


class PayloadTooLarge(RelayError):
    status = 413


class RateLimited(RelayError):
    status = 429

    def __init__(self, retry_after: float) -> None:
        seconds = max(1, int(retry_after + 0.999))
        super().__init__(
            "rate_limited", params={"retry_after": seconds}, headers={"Retry-After": str(seconds)}
        )


def request_language(request: Request) -> str:
    return negotiate_language(request.headers.get("accept-language"))


def problem_body(error: RelayError, language: str, catalog: Catalog) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": f"urn:cna:problem:{error.code}",
        "title": catalog.text(language, f"problem.{error.code}.title", **error.params),
        "status": error.status,
        "detail": catalog.text(language, f"problem.{error.code}.detail", **error.params),
        "code": error.code,
    }
    if error.errors:
        body["errors"] = [
            {"field": item.field, "code": item.code, "message": _field_message(catalog, language, item)}
            for item in error.errors
        ]
    return body


def _field_message(catalog: Catalog, language: str, item: FieldError) -> str:
    key = f"field.{item.code}"
    return catalog.text(language, key if catalog.has(key) else "field.invalid", **item.params)


def problem_response(request: Request, error: RelayError) -> JSONResponse:
    language = request_language(request)
    return JSONResponse(
        problem_body(error, language, Catalog.bundled()),
        status_code=error.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers={**error.headers, "Content-Language": language},
    )


# pydantic error types → our field error codes
_PYDANTIC_CODES = {
    "missing": "required",
    "string_too_short": "too_short",
    "string_too_long": "too_long",
    "too_short": "too_short",
    "too_long": "too_long",
    "float_parsing": "not_a_number",
    "float_type": "not_a_number",
    "int_parsing": "not_a_number",
    "int_type": "not_a_number",
    "finite_number": "not_a_number",
    "greater_than_equal": "out_of_range",
    "less_than_equal": "out_of_range",
    "greater_than": "out_of_range",
    "less_than": "out_of_range",
    "literal_error": "must_be_one_of",
    "enum": "must_be_one_of",
    "uuid_parsing": "invalid_uuid",
    "uuid_type": "invalid_uuid",
    "value_error": "invalid",
    "extra_forbidden": "unknown_field",
    "json_invalid": "invalid",
}


def field_errors_from_pydantic(errors: list[Any]) -> list[FieldError]:
    result = []
    for error in errors:
        location = [
            str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path", "header")
        ]
        context = error.get("ctx") or {}
        params = {
            "min": context.get("min_length", ""),
            "max": context.get("max_length", ""),
        }
        result.append(
            FieldError(
                ".".join(location) or "body", _PYDANTIC_CODES.get(error.get("type", ""), "invalid"), params
            )
        )
    return result


def install_error_handlers(app: FastAPI) -> None:
    async def on_relay_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RelayError)
        return problem_response(request, exc)

    async def on_validation_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        errors = list(exc.errors())
        if any(error.get("type") == "json_invalid" for error in errors):
            return problem_response(request, RelayError("malformed_request", status=400))
        return problem_response(request, ValidationFailed(field_errors_from_pydantic(errors)))

    async def on_http_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        code = {
            404: "not_found",
            405: "method_not_allowed",
            413: "payload_too_large",
            401: "unauthorized",
        }.get(exc.status_code, "malformed_request")
        return problem_response(request, RelayError(code, status=exc.status_code))

    async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Log the traceback for operators; the client gets a plain sentence, never internals.
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem_response(request, RelayError("internal_error", status=500))

    app.add_exception_handler(RelayError, on_relay_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(Exception, on_unexpected)
