"""Lookups and small answers every endpoint area shares."""

from __future__ import annotations

import base64
import binascii
import hashlib
import mimetypes
from collections.abc import Sequence
from typing import Any, TypeVar

from invgate_sim.errors import LogicalError, MissingParameter
from invgate_sim.models import Attachment, Ticket, User
from invgate_sim.params import Upload
from invgate_sim.registry import Call

T = TypeVar("T")


def ok(info: str | None = None, **extra: Any) -> dict[str, Any]:
    answer: dict[str, Any] = {"status": "OK"}
    if info is not None:
        answer["info"] = info
    answer.update(extra)
    return answer


def ticket_of(call: Call, request_id: int) -> Ticket:
    ticket = call.sim.store.tickets.get(request_id)
    if ticket is None:
        raise LogicalError(f"The request {request_id} does not exist")
    return ticket


def user_of(call: Call, user_id: int, role: str = "user") -> User:
    user = call.sim.store.active_user(user_id)
    if user is None:
        raise LogicalError(f"The {role} {user_id} does not exist")
    return user


def store_uploads(call: Call, uploads: Sequence[Upload]) -> list[Attachment]:
    stored = []
    for upload in uploads:
        content_type = upload.content_type
        if content_type in ("", "application/octet-stream"):
            content_type = mimetypes.guess_type(upload.filename)[0] or "application/octet-stream"
        attachment = Attachment(
            id=call.sim.store.next_id("attachment"),
            name=upload.filename,
            content=upload.content,
            content_type=content_type,
            digest=hashlib.md5(upload.content, usedforsecurity=False).hexdigest(),
        )
        call.sim.store.attachments[attachment.id] = attachment
        stored.append(attachment)
    return stored


def epoch_param(call: Call, name: str) -> float | None:
    raw = call.params.string(name)
    if raw is None or raw.strip() == "":
        return None
    try:
        return float(int(raw.strip()))
    except ValueError:
        raise MissingParameter(f"The parameter {name} must be an epoch timestamp") from None


def limit_param(call: Call, default: int, maximum: int) -> int:
    limit = call.params.integer("limit")
    if limit is None:
        return default
    if limit < 1:
        raise MissingParameter("The parameter limit must be a positive INTEGER")
    return min(limit, maximum)


def keyset_page(call: Call, items: list[T], limit: int) -> tuple[list[T], str | None]:
    """`page_key` paging: an opaque key in, the next key out (None on the last page)."""
    start = _decode_page_key(call.params.string("page_key"))
    page = items[start : start + limit]
    following = start + limit
    next_key = (
        base64.urlsafe_b64encode(f"offset:{following}".encode()).decode() if following < len(items) else None
    )
    return page, next_key


def _decode_page_key(key: str | None) -> int:
    if not key:
        return 0
    try:
        label, _, offset = base64.urlsafe_b64decode(key.encode()).decode().partition(":")
        if label == "offset" and offset.isascii() and offset.isdigit():
            return int(offset)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise MissingParameter("The parameter page_key is invalid")
