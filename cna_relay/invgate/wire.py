"""InvGate's HTTP rules, and the one place where httpx and HTTP outcomes become `InvGateError`s.

Request encoding (reference §1):
- GET, PUT and DELETE carry every parameter in the query string (InvGate ignores a PUT body:
  an `id` sent only there comes back as 428);
- POST sends `application/x-www-form-urlencoded`, or `multipart/form-data` when there are files,
  each file as one part named `attachments[]` (form-encoded files are silently dropped).

Outcome translation: `sending()` turns httpx exceptions into transient errors, `interpret()` turns
statuses and `"status": "ERROR"` bodies into the tree of `cna_relay.invgate.errors`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

from cna_relay.invgate.credentials import Secret
from cna_relay.invgate.endpoints import Call
from cna_relay.invgate.errors import (
    InvGateAuthError,
    InvGateConflict,
    InvGateConnectionError,
    InvGateError,
    InvGateForbidden,
    InvGateLogicalError,
    InvGateMethodNotAllowed,
    InvGateMissingParameter,
    InvGateNotFound,
    InvGatePermanentError,
    InvGateRateLimited,
    InvGateRejected,
    InvGateTimeout,
    InvGateUnavailable,
    InvGateUnexpectedResponse,
)
from cna_relay.invgate.models import Attachment

_PERMANENT_BY_STATUS: dict[int, type[InvGatePermanentError]] = {
    401: InvGateAuthError,
    403: InvGateForbidden,
    404: InvGateNotFound,
    405: InvGateMethodNotAllowed,
    409: InvGateConflict,
    428: InvGateMissingParameter,
}
_DETAIL_LIMIT = 300
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
_DELAY_SECONDS = re.compile(r"[0-9]{1,12}(\.[0-9]{1,6})?")
# A Retry-After further out than this is treated as this: an outbox row must come back some day.
MAX_RETRY_AFTER = 3600.0


def build_request(
    client: httpx.AsyncClient,
    call: Call,
    pairs: Sequence[tuple[str, str]],
    files: Sequence[Attachment],
    headers: dict[str, str],
) -> httpx.Request:
    """The HTTP request for one call, encoded by InvGate's rules for its method."""
    if call.method != "POST":
        if files:
            raise ValueError(f"{call.method} {call.endpoint} cannot carry files")
        return client.build_request(call.method, call.endpoint, params=list(pairs), headers=headers)
    form = _grouped(pairs)
    if not files:
        return client.build_request("POST", call.endpoint, data=form, headers=headers)
    parts = [("attachments[]", (file.filename, file.content, file.content_type)) for file in files]
    return client.build_request("POST", call.endpoint, data=form, files=parts, headers=headers)


def _grouped(pairs: Sequence[tuple[str, str]]) -> dict[str, str | list[str]]:
    """httpx takes form data as a mapping; repeated (array) names become lists, order kept."""
    arrays: dict[str, list[str]] = {}
    form: dict[str, str | list[str]] = {}
    for name, value in pairs:
        if name.endswith("[]"):
            form[name] = arrays.setdefault(name, [])
            arrays[name].append(value)
        else:
            form[name] = value
    return form


@contextlib.contextmanager
def sending(call: Call, *, deadline: float) -> Iterator[None]:
    """Translate what can go wrong while a request is on the wire. Use around `await send(...)`
    inside `asyncio.timeout(deadline)`; `deadline` only names the limit in the message."""
    try:
        yield
    except (TimeoutError, httpx.TimeoutException) as exc:
        raise InvGateTimeout(
            f"no complete reply ({type(exc).__name__}, deadline {deadline:g} s)",
            endpoint=call.endpoint,
            method=call.method,
        ) from _without_frames(exc)
    except httpx.RequestError as exc:
        raise InvGateConnectionError(
            f"connection failed ({type(exc).__name__})", endpoint=call.endpoint, method=call.method
        ) from _without_frames(exc)


def _without_frames(exc: BaseException) -> BaseException:
    """Drop the stack frames of an httpx failure and of everything chained to it.

    Frames deep in httpx, httpcore or an ASGI app hold the request headers (our Authorization)
    as local variables, and error reporters that capture locals would publish them. The chain
    of exception types and messages stays, which is what an operator needs.
    """
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        current.with_traceback(None)
        current = current.__cause__ or current.__context__
    return exc


async def send(
    client: httpx.AsyncClient, call: Call, request: httpx.Request, *, deadline: float
) -> httpx.Response:
    """Send under an overall deadline (httpx's own timeouts are per phase, and not every
    transport enforces them), translating every failure on the wire."""
    with sending(call, deadline=deadline):
        async with asyncio.timeout(deadline):
            return await client.send(request)


def interpret(call: Call, response: httpx.Response, *, redact: Iterable[Secret] = ()) -> object:
    """The decoded JSON body of a successful reply, or the matching `InvGateError`."""
    error = error_for_status(call, response, redact=redact)
    if error is not None:
        raise error
    body = json_body(call, response)
    if isinstance(body, dict) and body.get("status") == "ERROR":
        raise InvGateLogicalError(
            _detail(body, "", redact), endpoint=call.endpoint, method=call.method, status_code=200
        )
    return body


def error_for_status(
    call: Call, response: httpx.Response, *, redact: Iterable[Secret] = ()
) -> InvGateError | None:
    """Map a non-2xx status to an error (None for 2xx)."""
    status = response.status_code
    if 200 <= status < 300:
        return None
    detail = _detail(_maybe_json(response), response.text, redact)
    if status == 429 or status >= 500 or status == 408:
        transient = InvGateRateLimited if status == 429 else InvGateUnavailable
        return transient(
            detail,
            endpoint=call.endpoint,
            method=call.method,
            status_code=status,
            retry_after=retry_after_of(response),
        )
    # 1xx/3xx are unexpected: redirects are never followed (a login page is not an answer).
    default = InvGateRejected if 400 <= status < 500 else InvGateUnexpectedResponse
    error_class = _PERMANENT_BY_STATUS.get(status, default)
    return error_class(detail, endpoint=call.endpoint, method=call.method, status_code=status)


def json_body(call: Call, response: httpx.Response) -> object:
    """The reply's JSON; InvGate may answer a login page in HTML instead, which is not an answer."""
    try:
        return json.loads(response.content)
    except (ValueError, UnicodeDecodeError) as exc:
        kind = response.headers.get("content-type", "no content type")
        raise InvGateUnexpectedResponse(
            f"reply is not JSON ({_clean(kind)[:60]})",
            endpoint=call.endpoint,
            method=call.method,
            status_code=response.status_code,
        ) from exc


def retry_after_of(response: httpx.Response, *, now: datetime | None = None) -> float | None:
    return parse_retry_after(response.headers.get("retry-after"), now=now or datetime.now(UTC))


def parse_retry_after(value: str | None, *, now: datetime) -> float | None:
    """`Retry-After` as seconds to wait: delay-seconds or an HTTP-date; None if absent or bogus.

    Capped at `MAX_RETRY_AFTER`; a date in the past means "now" (0).
    """
    if value is None or not value.strip():
        return None
    value = value.strip()
    if _DELAY_SECONDS.fullmatch(value):
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # RFC 9110 dates are GMT
        when = when.replace(tzinfo=UTC)
    seconds = (when - now).total_seconds()
    return min(max(seconds, 0.0), MAX_RETRY_AFTER) if math.isfinite(seconds) else None


def _maybe_json(response: httpx.Response) -> object:
    try:
        return json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        return None


def _detail(body: object, fallback: str, redact: Iterable[Secret]) -> str:
    """InvGate's error text (`error`, else `info`), bounded, on one line, with secrets masked."""
    text = ""
    if isinstance(body, dict):
        for key in ("error", "info", "message"):
            if isinstance(body.get(key), str) and body[key].strip():
                text = body[key]
                break
    text = text or fallback.strip() or "no details"
    for secret in redact:
        if secret:
            text = text.replace(secret.reveal(), "**********")
    return _clean(text)[:_DETAIL_LIMIT]


def _clean(text: str) -> str:
    return _CONTROL.sub(" ", text).strip()
