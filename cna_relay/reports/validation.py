"""Validate the `report` part of `POST /v1/reports` (shape from the contract, then domain rules).

Every problem is collected, so the citizen sees all fields that need attention at once.
"""

from __future__ import annotations

import json
import math
import uuid
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter, ValidationError

from cna_app.contract.wire import ReportIn
from cna_relay.geo.points import GeoPoint, parse_point
from cna_relay.problems import FieldError, RelayError, ValidationFailed, field_errors_from_pydantic
from cna_relay.text import clean_text

_REPORT_IN = TypeAdapter(ReportIn)
ADDRESS_MAX = 300
NAME_MAX = 100
MAX_ACCURACY_M = 100_000.0


@dataclass(frozen=True, slots=True)
class ValidLocation:
    latitude: float
    longitude: float
    source: str
    accuracy_m: float | None
    address: str | None


@dataclass(frozen=True, slots=True)
class WalkInCitizen:
    first_name: str
    last_name: str
    email: str | None
    phone: str | None

    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True, slots=True)
class ValidReport:
    id: str
    description: str
    location: ValidLocation
    on_behalf_of: WalkInCitizen | None
    channel: str


def parse_report_json(raw: str | bytes, *, description_max: int) -> ValidReport:
    try:
        document = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise RelayError("malformed_request", status=400) from exc
    try:
        shaped = _REPORT_IN.validate_python(document, strict=False)
    except ValidationError as exc:
        raise ValidationFailed(field_errors_from_pydantic(list(exc.errors()))) from exc
    return validate_report(shaped, description_max=description_max)


def validate_report(report: ReportIn, *, description_max: int) -> ValidReport:
    errors: list[FieldError] = []
    report_id = _report_id(report["id"], errors)
    description = clean_text(
        errors,
        "description",
        report["description"],
        max_length=description_max,
        multiline=True,
        required=True,
    )
    location = _location(report["location"], errors)
    citizen = _citizen(report.get("on_behalf_of"), errors)
    channel = report.get("channel") or ("counter" if citizen else "app")
    if errors:
        raise ValidationFailed(errors)
    assert description is not None and location is not None
    return ValidReport(
        id=report_id, description=description, location=location, on_behalf_of=citizen, channel=channel
    )


def _report_id(value: str, errors: list[FieldError]) -> str:
    try:
        return str(uuid.UUID(value))
    except (ValueError, AttributeError, TypeError):
        errors.append(FieldError("id", "invalid_uuid"))
        return ""


def _location(location: Any, errors: list[FieldError]) -> ValidLocation | None:
    point = _point(location, errors)
    accuracy = location.get("accuracy_m")
    if accuracy is not None and (not math.isfinite(accuracy) or not 0 <= accuracy <= MAX_ACCURACY_M):
        errors.append(FieldError("location.accuracy_m", "out_of_range"))
        accuracy = None
    address = clean_text(
        errors, "location.address", location.get("address"), max_length=ADDRESS_MAX, required=False
    )
    if point is None:
        return None
    return ValidLocation(point.lat, point.lon, location["source"], accuracy, address)


def _point(location: Any, errors: list[FieldError]) -> GeoPoint | None:
    try:
        return parse_point(location["lat"], location["lon"], field="location")
    except ValidationFailed as exc:
        errors.extend(exc.errors)
        return None


def _citizen(citizen: Any, errors: list[FieldError]) -> WalkInCitizen | None:
    if not citizen:
        return None
    first = clean_text(
        errors, "on_behalf_of.first_name", citizen.get("first_name"), max_length=NAME_MAX, required=True
    )
    last = clean_text(
        errors, "on_behalf_of.last_name", citizen.get("last_name"), max_length=NAME_MAX, required=True
    )
    email = clean_text(errors, "on_behalf_of.email", citizen.get("email"), max_length=254, required=False)
    phone = clean_text(errors, "on_behalf_of.phone", citizen.get("phone"), max_length=40, required=False)
    if email is not None and ("@" not in email or " " in email):
        errors.append(FieldError("on_behalf_of.email", "invalid_email"))
    return WalkInCitizen(first or "", last or "", email, phone)
