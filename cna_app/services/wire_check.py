"""Check that JSON from the relay has the shape of a contract TypedDict before the app trusts it.

The relay is ours, but a proxy, a half-deployed version or an attacker on a captive portal can
answer anything; a wrong type must become `RelayUnavailable`, never a crash deep in a view.
Extra keys are allowed so an older app keeps working against a newer relay.
"""

from __future__ import annotations

import types
from typing import (
    Any,
    Literal,
    NotRequired,
    Required,
    TypeVar,
    Union,
    cast,
    get_args,
    get_origin,
    get_type_hints,
)

from typing_extensions import is_typeddict

T = TypeVar("T")


class WireShapeError(ValueError):
    """The value does not match the expected contract shape; `str()` names the path."""


def check_wire(value: object, shape: type[T]) -> T:
    """`value` typed as `shape` when it conforms, else `WireShapeError`."""
    _check(value, shape, "$")
    return cast(T, value)


def _check(value: object, shape: Any, path: str) -> None:
    if is_typeddict(shape):
        _check_typeddict(value, shape, path)
        return
    origin = get_origin(shape)
    if origin is Literal:
        if value not in get_args(shape):
            raise WireShapeError(f"{path}: not one of {get_args(shape)}")
        return
    if origin in (Union, types.UnionType):
        _check_union(value, shape, path)
        return
    if origin is list:
        if not isinstance(value, list):
            raise WireShapeError(f"{path}: expected a list")
        for index, item in enumerate(value):
            _check(item, get_args(shape)[0], f"{path}[{index}]")
        return
    if origin is dict or shape is dict:
        if not isinstance(value, dict):
            raise WireShapeError(f"{path}: expected an object")
        return
    _check_scalar(value, shape, path)


def _check_typeddict(value: object, shape: Any, path: str) -> None:
    if not isinstance(value, dict):
        raise WireShapeError(f"{path}: expected an object")
    # Required-ness is read from the annotations: with postponed annotations (the contract uses
    # `from __future__ import annotations`) `__required_keys__` lists NotRequired keys too.
    for key, hint in get_type_hints(shape, include_extras=True).items():
        marker = get_origin(hint)
        if marker in (NotRequired, Required):
            hint = get_args(hint)[0]
        if key in value:
            _check(value[key], hint, f"{path}.{key}")
        elif marker is Required or (marker is not NotRequired and shape.__total__):
            raise WireShapeError(f"{path}.{key}: missing")


def _check_union(value: object, shape: Any, path: str) -> None:
    for option in get_args(shape):
        try:
            _check(value, option, path)
        except WireShapeError:
            continue
        return
    raise WireShapeError(f"{path}: unexpected type {type(value).__name__}")


def _check_scalar(value: object, shape: Any, path: str) -> None:
    if shape is type(None):
        ok = value is None
    elif shape is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    elif shape is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif shape in (str, bool):
        ok = isinstance(value, shape)
    elif shape is Any:
        ok = True
    else:
        raise TypeError(f"wire_check does not know how to check {shape!r}")
    if not ok:
        raise WireShapeError(f"{path}: expected {getattr(shape, '__name__', shape)}")
