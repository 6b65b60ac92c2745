"""Tolerant, typed reading of single JSON fields as InvGate sends them.

InvGate is loose with types: ids arrive as numbers or numeric strings, booleans as `true`, `1`
or `"1"`, unset values as `null` (sometimes `false` or `""`). Each reader accepts exactly those
forms and raises `InvGateUnexpectedResponse` naming the field for anything else, so a changed
API shows up as one clear error instead of a `KeyError` deep in the relay.

Text rule: the client never sends `decoded_special_characters=1` (several list endpoints do not
take it), so rich text (`description`, comment `message`) always arrives HTML-entity-encoded and
`text(..., entities=True)` decodes it here, once.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Mapping
from datetime import UTC, datetime

from cna_relay.invgate.errors import InvGateUnexpectedResponse

JsonObject = Mapping[str, object]
_INTEGER = re.compile(r"-?[0-9]{1,18}")


def is_unset(value: object) -> bool:
    """InvGate's ways of saying "no value". `0` is a value (a rejected approval, epoch zero)."""
    return value is None or value is False or value == ""


def shape_error(what: str, problem: str) -> InvGateUnexpectedResponse:
    return InvGateUnexpectedResponse(f"{what}: {problem}")


def as_object(value: object, what: str) -> JsonObject:
    if not isinstance(value, Mapping) or not all(isinstance(key, str) for key in value):
        raise shape_error(what, f"expected an object, got {type(value).__name__}")
    return value


def as_list(value: object, what: str) -> list[object]:
    if not isinstance(value, list):
        raise shape_error(what, f"expected a list, got {type(value).__name__}")
    return value


def to_int(value: object, what: str) -> int:
    if isinstance(value, bool):
        raise shape_error(what, "expected an integer, got a boolean")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
        return int(value.strip())
    raise shape_error(what, "expected an integer")


def integer(obj: JsonObject, key: str, what: str) -> int:
    if key not in obj:
        raise shape_error(what, f"missing {key!r}")
    return to_int(obj[key], f"{what}.{key}")


def optional_integer(obj: JsonObject, key: str, what: str) -> int | None:
    value = obj.get(key)
    return None if is_unset(value) else to_int(value, f"{what}.{key}")


def integers(obj: JsonObject, key: str, what: str) -> tuple[int, ...]:
    """A list of ids; items may be ids or objects carrying an `id`."""
    value = obj.get(key)
    if is_unset(value) or value == {}:
        return ()
    items = list(as_object(value, f"{what}.{key}").values()) if isinstance(value, Mapping) else value
    return tuple(_id_of(item, f"{what}.{key}[]") for item in as_list(items, f"{what}.{key}"))


def _id_of(item: object, what: str) -> int:
    if isinstance(item, Mapping):
        return integer(as_object(item, what), "id", what)
    return to_int(item, what)


def boolean(obj: JsonObject, key: str, what: str, *, default: bool | None = None) -> bool:
    value = obj.get(key)
    if value is None and default is not None:
        return default
    if value in (True, 1, "1", "true", "True"):
        return True
    if value in (False, 0, "0", "false", "False"):
        return False
    raise shape_error(what, f"{key!r} is not a boolean")


def optional_boolean(obj: JsonObject, key: str, what: str) -> bool | None:
    return None if obj.get(key) is None else boolean(obj, key, what)


def text(obj: JsonObject, key: str, what: str, *, entities: bool = False) -> str:
    value = obj.get(key)
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)  # e.g. a numeric username
    if not isinstance(value, str):
        raise shape_error(what, f"{key!r} is not text")
    return html.unescape(value) if entities else value


def optional_text(obj: JsonObject, key: str, what: str, *, entities: bool = False) -> str | None:
    return None if is_unset(obj.get(key)) else text(obj, key, what, entities=entities)


def moment(obj: JsonObject, key: str, what: str) -> datetime | None:
    """An epoch-seconds date as an aware UTC datetime; unset → None."""
    value = obj.get(key)
    if is_unset(value):
        return None
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            raise shape_error(what, f"{key!r} is not an epoch date") from None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise shape_error(what, f"{key!r} is not an epoch date")
    try:
        return datetime.fromtimestamp(value, tz=UTC)
    except (OverflowError, OSError, ValueError):
        raise shape_error(what, f"{key!r} is out of range") from None
