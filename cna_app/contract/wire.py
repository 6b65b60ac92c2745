"""JSON shapes of the relay's public API (`/v1`), as TypedDicts.

The relay validates request bodies against these with pydantic and returns them as responses;
the app builds and reads the same dicts. `docs/api.md` describes the endpoints that use them.
"""

from __future__ import annotations

from typing import Any, Literal, NotRequired

from typing_extensions import TypedDict

from cna_app.contract.password import PasswordPolicyWire

Language = Literal["nl", "fr", "en"]
LocationSource = Literal["pin", "gps", "address"]
Role = Literal["citizen", "staff"]
# What the citizen sees of the relay's work: stored, handed to InvGate, or stuck (operators alerted).
Delivery = Literal["received", "forwarded", "failed"]


class ProblemFieldError(TypedDict):
    field: str
    code: str
    message: str


class Problem(TypedDict):
    """RFC 9457 problem details; `title` and `detail` are in the request's language."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    errors: NotRequired[list[ProblemFieldError]]


# ---- configuration -------------------------------------------------------------------------


class MunicipalityView(TypedDict):
    name: str
    primary_color: str
    logo_url: str | None
    website: str | None


class LatLon(TypedDict):
    lat: float
    lon: float


class MapConfig(TypedDict):
    tile_url: str
    attribution: str
    center: LatLon
    zoom: int
    min_zoom: int
    max_zoom: int


class ReportLimits(TypedDict):
    description_max_length: int
    max_attachments: int
    max_attachment_bytes: int
    attachment_types: list[str]
    image_max_side_px: int


class ConfigView(TypedDict):
    municipality: MunicipalityView
    languages: list[Language]
    default_language: Language
    password_policy: PasswordPolicyWire
    report: ReportLimits
    map: MapConfig
    boundary: dict[str, Any]  # GeoJSON Polygon or MultiPolygon, WGS84 (lon, lat order)


# ---- accounts ------------------------------------------------------------------------------


class ProfileFields(TypedDict):
    first_name: str
    last_name: str
    phone: NotRequired[str | None]
    street: NotRequired[str | None]
    postcode: NotRequired[str | None]
    municipality: NotRequired[str | None]
    language: NotRequired[Language | None]


class SignUpIn(ProfileFields):
    email: str
    password: str


class SignUpAccepted(TypedDict):
    status: Literal["verification_sent"]
    email: str
    resend_after: int


class VerifyIn(TypedDict):
    email: str
    code: str


class EmailIn(TypedDict):
    email: str


class LoginIn(TypedDict):
    email: str
    password: str


class RefreshIn(TypedDict):
    refresh_token: str


class PasswordResetConfirmIn(TypedDict):
    email: str
    code: str
    new_password: str


class PasswordChangeIn(TypedDict):
    current_password: str
    new_password: str


class DeleteAccountIn(TypedDict):
    password: str


class ProfileUpdateIn(TypedDict, total=False):
    first_name: str
    last_name: str
    phone: str | None
    street: str | None
    postcode: str | None
    municipality: str | None
    language: Language | None


class AccountView(TypedDict):
    id: str
    email: str
    email_verified: bool
    role: Role
    first_name: str
    last_name: str
    phone: str | None
    street: str | None
    postcode: str | None
    municipality: str | None
    language: Language
    created_at: str


class TokenPair(TypedDict):
    access_token: str
    refresh_token: str
    token_type: Literal["Bearer"]
    expires_in: int
    refresh_expires_in: int
    account: AccountView


# ---- reports -------------------------------------------------------------------------------


class LocationIn(TypedDict):
    lat: float
    lon: float
    source: LocationSource
    accuracy_m: NotRequired[float | None]
    address: NotRequired[str | None]


class CitizenIn(TypedDict):
    """The walk-in citizen a counter clerk reports for (staff only)."""

    first_name: str
    last_name: str
    email: NotRequired[str | None]
    phone: NotRequired[str | None]


class ReportIn(TypedDict):
    """The `report` part of the multipart `POST /v1/reports`; files travel as `attachments` parts."""

    id: str  # a UUID the client generates once per report and reuses on every retry
    description: str
    location: LocationIn
    on_behalf_of: NotRequired[CitizenIn | None]
    channel: NotRequired[Literal["app", "counter", "phone", "email"] | None]


class Receipt(TypedDict):
    id: str
    reference: str
    status: Delivery
    status_url: str
    created_at: str


class AttachmentView(TypedDict):
    name: str
    content_type: str
    size: int


class LocationView(TypedDict):
    lat: float
    lon: float
    source: LocationSource
    accuracy_m: float | None
    address: str | None


class ReportView(TypedDict):
    id: str
    reference: str
    created_at: str
    description: str
    location: LocationView
    attachments: list[AttachmentView]
    delivery: Delivery
    ticket_pretty_id: str | None
    helpdesk: str | None
    thumbnail_url: str | None


class ReportPage(TypedDict):
    items: list[ReportView]
    next_cursor: str | None


# ---- geocoding -----------------------------------------------------------------------------


class Place(TypedDict):
    label: str
    lat: float
    lon: float
    inside: bool


class GeocodeResults(TypedDict):
    results: list[Place]


class ReverseResult(TypedDict):
    label: str | None
    lat: float
    lon: float
