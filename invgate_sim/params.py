"""Request parameters the way InvGate's PHP back end sees them.

Parameters are merged from the query string, a form-urlencoded or multipart body and, on POST only, a
JSON body. Arrays are PHP style (`ids[]=1&ids[]=2` or `ids[0]=1`); a plain `ids=1,2` is a string where
an array is required and is refused with 428, as on the real API.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from starlette.datastructures import UploadFile
from starlette.requests import Request

from invgate_sim.errors import ApiError, MissingParameter

_ARRAY_KEY = re.compile(r"^(?P<name>[^\[\]]+)\[(?P<index>[0-9]*)\]$")
_INTEGER = re.compile(r"^\s*-?[0-9]{1,18}\s*$")
_TRUE = {"1", "true"}
_FALSE = {"0", "false", ""}
MAX_FORM_PART_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class Upload:
    filename: str
    content: bytes
    content_type: str


@dataclass
class Params:
    """Merged scalar and array parameters of one call, plus uploaded files by array name."""

    scalars: dict[str, str] = field(default_factory=dict)
    arrays: dict[str, list[str]] = field(default_factory=dict)
    files: dict[str, list[Upload]] = field(default_factory=dict)
    # File parts not named as an array (`attachments` instead of `attachments[]`): logged, never stored.
    stray_files: list[Upload] = field(default_factory=list)
    query_keys: set[str] = field(default_factory=set)
    body_kind: str = "none"

    def add(self, key: str, value: str) -> None:
        match = _ARRAY_KEY.match(key)
        if match:
            self.arrays.setdefault(match["name"], []).append(value)
        else:
            self.scalars[key] = value

    def has(self, name: str) -> bool:
        return name in self.scalars or name in self.arrays

    def as_log(self) -> dict[str, str | list[str]]:
        logged: dict[str, str | list[str]] = dict(self.scalars)
        logged.update({name: list(values) for name, values in self.arrays.items()})
        return logged

    # ---- typed access ------------------------------------------------------------------------

    def string(self, name: str, *, required: bool = False) -> str | None:
        value = self.scalars.get(name)
        if value is None or (required and value.strip() == ""):
            if required:
                raise MissingParameter(f"The parameter {name} is required")
            return None
        return value

    def integer(self, name: str, *, required: bool = False) -> int | None:
        value = self.scalars.get(name)
        if value is None or value.strip() == "":
            if required:
                raise MissingParameter(f"The parameter {name} is required")
            return None
        if not _INTEGER.match(value):
            raise MissingParameter(f"The parameter {name} must be an INTEGER")
        return int(value)

    def require_int(self, name: str) -> int:
        value = self.integer(name, required=True)
        assert value is not None
        return value

    def require_str(self, name: str) -> str:
        value = self.string(name, required=True)
        assert value is not None
        return value

    def boolean(self, name: str, *, default: bool = False) -> bool:
        value = self.scalars.get(name)
        if value is None:
            return default
        normalised = value.strip().lower()
        if normalised in _TRUE:
            return True
        if normalised in _FALSE:
            return False
        raise MissingParameter(f"The parameter {name} must be a BOOLEAN")

    def int_array(self, name: str, *, required: bool = False) -> list[int]:
        if name in self.arrays:
            values = [value for value in self.arrays[name] if value.strip() != ""]
            if not all(_INTEGER.match(value) for value in values):
                raise MissingParameter(f"The parameter {name} must be an ARRAY of INTEGER")
            if required and not values:
                raise MissingParameter(f"The parameter {name} is required")
            return [int(value) for value in values]
        if name in self.scalars:
            # What InvGate answers to `ids=1,2`: the string type passed is invalid for an array.
            raise MissingParameter(
                f"The parameter {name} must be an ARRAY; the string type passed is invalid"
            )
        if required:
            raise MissingParameter(f"The parameter {name} is required")
        return []

    def uploads(self, name: str = "attachments") -> list[Upload]:
        return list(self.files.get(name, []))

    def file_names(self) -> list[str]:
        stored = [upload.filename for uploads in self.files.values() for upload in uploads]
        return stored + [upload.filename for upload in self.stray_files]


async def read_params(request: Request, *, max_body_bytes: int) -> Params:
    """Merge query string and body into `Params`; a malformed body is a 400."""
    params = Params()
    for key, value in request.query_params.multi_items():
        params.add(key, value)
        params.query_keys.add(_ARRAY_KEY.sub(r"\g<name>", key))
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_body_bytes:
        raise ApiError(413, "Request entity too large")
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/x-www-form-urlencoded":
        params.body_kind = "form"
        body = (await request.body()).decode("utf-8", errors="replace")
        for key, value in parse_qsl(body, keep_blank_values=True):
            params.add(key, value)
    elif content_type == "multipart/form-data":
        params.body_kind = "multipart"
        await _read_multipart(request, params)
    elif content_type == "application/json" and request.method == "POST":
        params.body_kind = "json"
        _read_json(await request.body(), params)
    return params


async def _read_multipart(request: Request, params: Params) -> None:
    try:
        form = await request.form(max_files=100, max_fields=1000, max_part_size=MAX_FORM_PART_BYTES)
    except Exception as exc:  # starlette raises its own MultiPartException or an HTTPException
        raise ApiError(400, "Malformed multipart body") from exc
    for key, value in form.multi_items():
        if isinstance(value, UploadFile):
            upload = Upload(
                filename=_safe_name(value.filename or "file"),
                content=await value.read(),
                content_type=value.content_type or "application/octet-stream",
            )
            match = _ARRAY_KEY.match(key)
            if match:
                params.files.setdefault(match["name"], []).append(upload)
            else:
                params.stray_files.append(upload)
        else:
            params.add(key, value)
    await form.close()


def _read_json(body: bytes, params: Params) -> None:
    try:
        data = json.loads(body or b"{}")
    except ValueError as exc:
        raise ApiError(400, "Malformed JSON body") from exc
    if not isinstance(data, dict):
        raise ApiError(400, "A JSON body must be an object")
    for key, value in data.items():
        if isinstance(value, list):
            params.arrays[str(key)] = [_json_scalar(item) for item in value]
        elif not isinstance(value, dict):
            params.scalars[str(key)] = _json_scalar(value)


def _json_scalar(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return "" if value is None else str(value)


def _safe_name(filename: str) -> str:
    """Keep only the last path segment: a client-supplied name must never act as a path."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip().replace("\x00", "")
    return name[:255] or "file"
