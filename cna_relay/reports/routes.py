"""`/v1/reports`: submit a report, list your own, read one (owner or staff), its thumbnail."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from cna_app.contract.wire import Receipt, ReportPage, ReportView
from cna_relay.accounts.deps import AuthSession, CurrentSession, VerifiedSession
from cna_relay.deps import Context, Language
from cna_relay.geo import Geo
from cna_relay.problems import FieldError, Forbidden, NotFound, ValidationFailed
from cna_relay.reports.intake import accept_report
from cna_relay.reports.models import Report
from cna_relay.reports.store import load_report
from cna_relay.reports.submission import read_submission
from cna_relay.reports.validation import parse_report_json
from cna_relay.reports.views import report_view

router = APIRouter(prefix="/v1/reports", tags=["reports"])


@router.post("", status_code=202, response_model=None)
async def submit_report(
    request: Request,
    response: Response,
    context: Context,
    geo: Geo,
    auth: VerifiedSession,
    language: Language,
) -> Receipt:
    """File a report; the same report UUID again returns the first receipt (200)."""
    submission = await read_submission(request, context.settings)
    report = parse_report_json(
        submission.report_json, description_max=context.settings.description_max_length
    )
    receipt, created = await accept_report(
        context, auth, report, submission.files, boundary=geo.boundary, language=language
    )
    response.status_code = 202 if created else 200
    response.headers["Location"] = receipt["status_url"]
    return receipt


@router.get("", response_model=None)
async def list_reports(
    context: Context,
    auth: CurrentSession,
    limit: Annotated[int, Query(ge=1, le=50)] = 20,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> ReportPage:
    """The caller's own reports, newest first."""
    query = (
        select(Report)
        .where(Report.account_id == auth.account_id)
        .order_by(Report.created_at.desc(), Report.id.desc())
        .limit(limit + 1)
    )
    if cursor is not None:
        created_at, report_id = _decode_cursor(cursor)
        query = query.where(
            or_(Report.created_at < created_at, and_(Report.created_at == created_at, Report.id < report_id))
        )
    async with context.db.sessions() as session:
        rows = list((await session.execute(query.options(selectinload(Report.attachments)))).scalars())
    page = rows[:limit]
    next_cursor = _encode_cursor(page[-1]) if len(rows) > limit else None
    return ReportPage(items=[_view(row) for row in page], next_cursor=next_cursor)


@router.get("/{report_id}", response_model=None)
async def get_report(report_id: str, context: Context, auth: CurrentSession) -> ReportView:
    return _view(await _readable_report(context, auth, report_id))


@router.get("/{report_id}/thumbnail", response_model=None)
async def get_thumbnail(report_id: str, context: Context, auth: CurrentSession) -> Response:
    report = await _readable_report(context, auth, report_id)
    async with context.db.sessions() as session:
        thumbnail = await session.scalar(select(Report.thumbnail).where(Report.id == report.id))
    if not thumbnail:
        raise NotFound()
    return Response(thumbnail, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=86400"})


async def _readable_report(context: Context, auth: AuthSession, report_id: str) -> Report:
    report = await load_report(context.db, report_id[:64])
    if report is None:
        raise NotFound()
    if report.account_id != auth.account_id and auth.role != "staff":
        # Someone else's report looks exactly like a missing one.
        raise NotFound()
    if auth.role == "staff" and not auth.email_verified:
        raise Forbidden("email_not_verified")
    return report


def _view(report: Report) -> ReportView:
    has_thumbnail = any(item.content_type.startswith("image/") for item in report.attachments)
    return report_view(report, has_thumbnail=has_thumbnail)


def _encode_cursor(report: Report) -> str:
    raw = f"{report.created_at.isoformat()}|{report.id}".encode()
    return base64.urlsafe_b64encode(raw).decode()


def _decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        created_at, report_id = base64.urlsafe_b64decode(cursor.encode()).decode().split("|", 1)
        return datetime.fromisoformat(created_at), report_id
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise ValidationFailed([FieldError("cursor", "invalid")]) from exc
