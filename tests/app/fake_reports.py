"""The report and place endpoints of `FakeRelay`, faithful to `docs/api.md` where the app's view
models depend on the behaviour: a UUID sent again with the same content returns the first
receipt (200), with other content 409 `report_id_conflict`; the description and attachment limits
and the boundary are the relay's.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PIL import Image

from cna_app.contract.wire import (
    GeocodeResults,
    Place,
    Receipt,
    ReportIn,
    ReportPage,
    ReportView,
    ReverseResult,
)
from cna_app.services.errors import FieldProblem, RelayProblem, RelayUnavailable
from cna_app.services.geo import GeoPoint, parse_boundary
from cna_app.services.multipart import Progress, UploadFile

PLACES: list[Place] = [
    {"label": "Ieperstraat 12, 8980 Zonnebeke", "lat": 50.8712, "lon": 2.9832, "inside": True},
    {"label": "Kerkstraat, 8980 Zonnebeke", "lat": 50.8722, "lon": 2.9868, "inside": True},
    {"label": "Kerkstraat, 8900 Ieper", "lat": 50.8512, "lon": 2.8851, "inside": False},
]


@dataclass
class StoredReport:
    account_id: str
    report: ReportIn
    files: list[UploadFile]
    content_hash: str
    receipt: Receipt


class ReportEndpoints:
    """Mixed into `FakeRelay` (which calls `_init_reports`); uses its `_enter`, `_account_for`
    and `config_view`."""

    def _init_reports(self) -> None:
        self.reports: dict[str, StoredReport] = {}
        self.places: list[Place] = list(PLACES)
        # Reports filed whose answer then "gets lost" (the connection drops after the relay stored it).
        self.lose_replies = 0

    async def submit_report(
        self,
        access_token: str,
        report: ReportIn,
        files: Sequence[UploadFile],
        *,
        progress: Progress | None = None,
    ) -> Receipt:
        await self._enter("submit_report")  # type: ignore[attr-defined]
        account = self._account_for(access_token)  # type: ignore[attr-defined]
        total = len(json.dumps(report)) + sum(len(item.data) for item in files)
        if progress is not None:
            progress(0, total)
            progress(total, total)
        self._check_report(report, files)
        digest = _content_hash(report, files)
        existing = self.reports.get(report["id"])
        if existing is not None:
            if existing.account_id != account.id or existing.content_hash != digest:
                raise RelayProblem(status=409, code="report_id_conflict", detail="Start een nieuwe melding.")
            return existing.receipt
        number = len(self.reports) + 1
        receipt: Receipt = {
            "id": report["id"],
            "reference": f"CNA-2026-{number:06d}",
            "status": "received",
            "status_url": f"/v1/reports/{report['id']}",
            "created_at": f"2026-12-03T10:{number % 60:02d}:00+00:00",
        }
        self.reports[report["id"]] = StoredReport(account.id, report, list(files), digest, receipt)
        if self.lose_replies:
            self.lose_replies -= 1
            raise RelayUnavailable("POST /v1/reports: ReadTimeout")
        return receipt

    async def list_reports(self, access_token: str, *, limit: int, cursor: str | None = None) -> ReportPage:
        await self._enter("list_reports")  # type: ignore[attr-defined]
        account = self._account_for(access_token)  # type: ignore[attr-defined]
        mine = [self._view(item) for item in reversed(self.reports.values()) if item.account_id == account.id]
        start = int(cursor or 0)
        page = mine[start : start + limit]
        more = start + limit < len(mine)
        return {"items": page, "next_cursor": str(start + limit) if more else None}

    async def get_report(self, access_token: str, report_id: str) -> ReportView:
        await self._enter("get_report")  # type: ignore[attr-defined]
        return self._view(self.reports[report_id])

    async def report_thumbnail(self, access_token: str, path: str) -> bytes:
        await self._enter("report_thumbnail")  # type: ignore[attr-defined]
        out = io.BytesIO()
        Image.new("RGB", (32, 24), (200, 30, 30)).save(out, "JPEG")
        return out.getvalue()

    async def geocode(self, access_token: str, query: str, *, limit: int = 5) -> GeocodeResults:
        await self._enter("geocode")  # type: ignore[attr-defined]
        self._account_for(access_token)  # type: ignore[attr-defined]
        words = query.casefold().split()
        hits = [p for p in self.places if all(word in p["label"].casefold() for word in words)]
        return {"results": hits[:limit]}

    async def reverse(self, access_token: str, lat: float, lon: float) -> ReverseResult:
        await self._enter("reverse")  # type: ignore[attr-defined]
        self._account_for(access_token)  # type: ignore[attr-defined]
        near = [p for p in self.places if math.hypot(p["lat"] - lat, p["lon"] - lon) <= 0.002]
        return {"label": near[0]["label"] if near else None, "lat": lat, "lon": lon}

    # ---- the relay's rules ---------------------------------------------------------------

    def _check_report(self, report: ReportIn, files: Sequence[UploadFile]) -> None:
        limits = self.config_view["report"]  # type: ignore[attr-defined]
        if len(files) > limits["max_attachments"]:
            raise RelayProblem(status=422, code="too_many_attachments", detail="Te veel bijlagen.")
        text = report["description"].strip()
        if not text or len(text) > limits["description_max_length"]:
            code = "required" if not text else "too_long"
            errors = (FieldProblem("description", code, "Kijk de beschrijving na."),)
            raise RelayProblem(status=422, code="validation_error", detail="Controleer.", errors=errors)
        boundary = parse_boundary(self.config_view["boundary"])  # type: ignore[attr-defined]
        point = GeoPoint(report["location"]["lat"], report["location"]["lon"])
        if boundary is not None and not boundary.accepts(
            point, accuracy_m=report["location"].get("accuracy_m")
        ):
            errors = (FieldProblem("location", "outside_municipality", "Buiten de gemeente."),)
            raise RelayProblem(
                status=422,
                code="outside_municipality",
                detail="Deze locatie ligt buiten Zonnebeke.",
                errors=errors,
            )

    def _view(self, item: StoredReport) -> ReportView:
        location = item.report["location"]
        has_image = any(f.content_type.startswith("image/") for f in item.files)
        return {
            "id": item.report["id"],
            "reference": item.receipt["reference"],
            "created_at": item.receipt["created_at"],
            "description": item.report["description"],
            "location": {
                "lat": location["lat"],
                "lon": location["lon"],
                "source": location["source"],
                "accuracy_m": location.get("accuracy_m"),
                "address": location.get("address"),
            },
            "attachments": [
                {"name": f.name, "content_type": f.content_type, "size": len(f.data)} for f in item.files
            ],
            "delivery": "forwarded",
            "ticket_pretty_id": "#1001",
            "helpdesk": "Wegen",
            "thumbnail_url": f"/v1/reports/{item.report['id']}/thumbnail" if has_image else None,
        }


def _content_hash(report: ReportIn, files: Sequence[UploadFile]) -> str:
    document: dict[str, Any] = {
        "description": report["description"].strip(),
        "location": [report["location"][k] for k in ("lat", "lon", "source")]
        + [report["location"].get("address")],
        "files": [hashlib.sha256(item.data).hexdigest() for item in files],
    }
    return hashlib.sha256(json.dumps(document, sort_keys=True).encode()).hexdigest()
