"""Accept a report: validate, process attachments, store everything in one transaction, answer.

Nothing here talks to InvGate or SMTP: the report and its two outbox entries (`create_ticket`,
`send_confirmation`) are committed together, then the dispatcher takes over. The client's UUID
makes a retried submission return the first receipt instead of filing a second report.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from cna_app.contract.wire import Receipt
from cna_relay.accounts.deps import AuthSession
from cna_relay.context import RelayContext
from cna_relay.geo import Boundary, GeoPoint, gps_tolerance
from cna_relay.problems import Conflict, Forbidden, RelayError
from cna_relay.reports.attachments import ProcessedAttachment, make_thumbnail, process_attachment_async
from cna_relay.reports.models import Report, ReportAttachment
from cna_relay.reports.references import next_reference
from cna_relay.reports.validation import ValidReport
from cna_relay.reports.views import receipt_of


@dataclass(frozen=True, slots=True)
class IncomingFile:
    filename: str
    data: bytes


async def accept_report(
    context: RelayContext,
    auth: AuthSession,
    report: ValidReport,
    files: list[IncomingFile],
    *,
    boundary: Boundary,
    language: str,
) -> tuple[Receipt, bool]:
    """The receipt, and whether this call created the report (False for a replay)."""
    _check_permissions(auth, report)
    _check_attachment_count(context, files)
    _check_location(boundary, report)
    content_hash = _content_hash(report, files)
    existing = await _replay(context, auth, report.id, content_hash)
    if existing is not None:
        return existing, False
    processed = await asyncio.gather(
        *(
            process_attachment_async(
                item.filename, item.data, settings=context.settings, field=f"attachments.{index}"
            )
            for index, item in enumerate(files)
        )
    )
    try:
        receipt = await _store(context, auth, report, list(processed), content_hash, language)
    except IntegrityError:
        # The same UUID was stored by a concurrent request between our check and our insert.
        replay = await _replay(context, auth, report.id, content_hash)
        if replay is None:
            raise
        return replay, False
    context.wake_dispatcher()
    return receipt, True


def _check_permissions(auth: AuthSession, report: ValidReport) -> None:
    if report.on_behalf_of is not None and auth.role != "staff":
        raise Forbidden()
    if report.channel != "app" and auth.role != "staff":
        raise Forbidden()


def _check_attachment_count(context: RelayContext, files: list[IncomingFile]) -> None:
    maximum = context.settings.max_attachments
    if len(files) > maximum:
        raise RelayError("too_many_attachments", status=422, params={"max": maximum})


def _check_location(boundary: Boundary, report: ValidReport) -> None:
    location = report.location
    tolerance = gps_tolerance(location.accuracy_m) if location.source == "gps" else 0.0
    boundary.ensure_inside(GeoPoint(location.latitude, location.longitude), tolerance_m=tolerance)


def _content_hash(report: ValidReport, files: list[IncomingFile]) -> str:
    location = report.location
    document = {
        "description": report.description,
        "location": [location.latitude, location.longitude, location.source, location.address],
        "citizen": None if report.on_behalf_of is None else report.on_behalf_of.display_name(),
        "files": [hashlib.sha256(item.data).hexdigest() for item in files],
    }
    return hashlib.sha256(json.dumps(document, sort_keys=True).encode()).hexdigest()


async def _replay(
    context: RelayContext, auth: AuthSession, report_id: str, content_hash: str
) -> Receipt | None:
    async with context.db.sessions() as session:
        existing = await session.get(Report, report_id)
    if existing is None:
        return None
    if existing.account_id != auth.account_id or existing.content_hash != content_hash:
        # Same id, other content (or someone else's report): never reveal or overwrite it.
        raise Conflict("report_id_conflict")
    return receipt_of(existing)


async def _store(
    context: RelayContext,
    auth: AuthSession,
    report: ValidReport,
    processed: list[ProcessedAttachment],
    content_hash: str,
    language: str,
) -> Receipt:
    now = context.clock.now()
    images = [item for item in processed if item.content_type.startswith("image/")]
    thumbnail = await asyncio.to_thread(make_thumbnail, images[0]) if images else None
    async with context.db.transaction() as session:
        reference = await next_reference(session, prefix=context.settings.reference_prefix, year=now.year)
        row = _report_row(report, auth, reference, content_hash, language, now)
        row.thumbnail = thumbnail
        row.attachments = [_attachment_row(position, item) for position, item in enumerate(processed)]
        session.add(row)
        await session.flush()
        await _enqueue_delivery(context, session, row)
        return receipt_of(row)


def _report_row(
    report: ValidReport, auth: AuthSession, reference: str, content_hash: str, language: str, now: datetime
) -> Report:
    location = report.location
    citizen = report.on_behalf_of
    return Report(
        id=report.id,
        reference=reference,
        account_id=auth.account_id,
        on_behalf_of=None
        if citizen is None
        else {
            "first_name": citizen.first_name,
            "last_name": citizen.last_name,
            "email": citizen.email,
            "phone": citizen.phone,
        },
        channel=report.channel,
        language=language,
        description=report.description,
        latitude=location.latitude,
        longitude=location.longitude,
        location_source=location.source,
        accuracy_m=location.accuracy_m,
        address=location.address,
        content_hash=content_hash,
        created_at=now,
        delivery="received",
    )


def _attachment_row(position: int, item: ProcessedAttachment) -> ReportAttachment:
    return ReportAttachment(
        position=position,
        filename=item.filename,
        content_type=item.content_type,
        size=len(item.data),
        sha256=item.sha256,
        width=item.width,
        height=item.height,
        data=item.data,
    )


async def _enqueue_delivery(context: RelayContext, session: AsyncSession, row: Report) -> None:
    payload = {"report_id": row.id}
    await context.outbox.enqueue(
        session,
        kind="create_ticket",
        dedupe_key=f"create_ticket:{row.id}",
        payload=payload,
        lock_key=customer_lock_key(row),
        subject_id=row.id,
    )
    await context.outbox.enqueue(
        session,
        kind="send_confirmation",
        dedupe_key=f"confirmation:{row.id}",
        payload=payload,
        subject_id=row.id,
    )


def customer_lock_key(row: Report) -> str | None:
    """Ticket creation for a citizen runs alone with that citizen's other InvGate customer work."""
    if row.on_behalf_of is None:
        return f"customer:{row.account_id}"
    email = (row.on_behalf_of or {}).get("email")
    return f"customer-email:{email.casefold()}" if email else None
