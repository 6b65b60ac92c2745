"""Sending one report to the relay, and what a failure means for it.

The form and the outbox send the same way: the draft's UUID, text, location and prepared files,
through `AccountSession.authorized` (one silent token renewal). A failure is one of:

- `transient`  the relay was unreachable, overloaded or asked us to wait: keep the report on the
               device and try again later with the same UUID (never a duplicate: the relay
               answers a repeat with the first receipt);
- `session`    the session is gone: log in again, the report waits;
- `refused`    the relay said no for a reason that sending again will not change (outside the
               municipality, a file it will not take, a text too long): tell the user why.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from cna_app.contract.wire import Receipt, ReportIn
from cna_app.services.drafts import ReportDraft
from cna_app.services.errors import RelayError, RelayProblem, RelayUnavailable, SessionExpired
from cna_app.services.multipart import UploadFile
from cna_app.viewmodels.context import ShellPort
from cna_app.viewmodels.forms import field_text, problem_text
from cna_app.viewmodels.texts import UserText

Failure = Literal["transient", "session", "refused"]
Progress = Callable[[int, int], None]
# Codes that are about this moment, not about the report.
_TRANSIENT_CODES = frozenset(
    {"rate_limited", "internal_error", "geocoder_unavailable", "service_unavailable"}
)


def report_of(draft: ReportDraft) -> ReportIn:
    if draft.location is None:
        raise ValueError("a report needs a location")
    return ReportIn(id=draft.id, description=draft.description.strip(), location=draft.location)


async def send_draft(shell: ShellPort, draft: ReportDraft, progress: Progress | None = None) -> Receipt:
    """Send `draft` as it is; raises the relay's errors (see `failure_kind`)."""
    report = report_of(draft)
    files = [UploadFile(item.name, item.content_type, item.data) for item in draft.attachments]
    return await shell.session.authorized(
        lambda token: shell.relay.submit_report(token, report, files, progress=progress)
    )


def failure_kind(error: RelayError) -> Failure:
    if isinstance(error, SessionExpired):
        return "session"
    if isinstance(error, RelayUnavailable):
        return "transient"
    if isinstance(error, RelayProblem) and (error.status >= 500 or error.code in _TRANSIENT_CODES):
        return "transient"
    return "refused"


def refusal_text(error: RelayError) -> UserText:
    """One sentence for a refused report: the relay's field message when there is one."""
    if not isinstance(error, RelayProblem):
        return UserText.of("error.generic")
    # A validation problem's detail is generic ("not all fields are right"): the field says what.
    field_first = error.code in ("validation_error", "unsupported_attachment") or not error.detail.strip()
    if error.errors and field_first:
        return field_text(error.errors[0])
    return problem_text(error)


def waiting_note(error: RelayError) -> UserText:
    """Why a report waits: no connection at all, or a relay that asked for patience."""
    if isinstance(error, SessionExpired):
        return UserText.of("outbox.session")
    return UserText.of("outbox.offline" if isinstance(error, RelayUnavailable) else "outbox.busy")


def retry_after_s(error: RelayError) -> int | None:
    return error.retry_after_s if isinstance(error, RelayProblem) else None
