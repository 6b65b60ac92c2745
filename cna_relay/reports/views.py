"""Reports as the API shows them (`Receipt`, `ReportView`): only to their owner or to staff."""

from __future__ import annotations

from typing import cast

from cna_app.contract.wire import AttachmentView, Delivery, LocationSource, LocationView, Receipt, ReportView
from cna_relay.reports.models import Report

STATUS_PATH = "/v1/reports/{id}"


def receipt_of(report: Report) -> Receipt:
    return Receipt(
        id=report.id,
        reference=report.reference,
        status=_delivery(report),
        status_url=STATUS_PATH.format(id=report.id),
        created_at=report.created_at.isoformat(),
    )


def report_view(report: Report, *, has_thumbnail: bool) -> ReportView:
    return ReportView(
        id=report.id,
        reference=report.reference,
        created_at=report.created_at.isoformat(),
        description=report.description,
        location=LocationView(
            lat=report.latitude,
            lon=report.longitude,
            source=cast(LocationSource, report.location_source),
            accuracy_m=report.accuracy_m,
            address=report.address,
        ),
        attachments=[
            AttachmentView(name=item.filename, content_type=item.content_type, size=item.size)
            for item in report.attachments
        ],
        delivery=_delivery(report),
        ticket_pretty_id=report.ticket_pretty_id,
        helpdesk=report.helpdesk,
        thumbnail_url=f"{STATUS_PATH.format(id=report.id)}/thumbnail" if has_thumbnail else None,
    )


def _delivery(report: Report) -> Delivery:
    return cast(Delivery, report.delivery)
