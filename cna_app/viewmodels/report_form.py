"""The report form ("Melding maken"): description, attachments, location, and sending it.

State lives here, not in the view, and is written to the device's draft store while the citizen
types (debounced), so neither a closed app, a dead battery nor an expired session loses a report.
The draft's UUID is made once and travels with it: the form's own attempt and every later
attempt from the outbox use it, so the relay files the report exactly once.

"Melding verzenden" is possible once the description is there (within the relay's limit) and a
location inside the municipality is chosen, and while no file is still being prepared. Then:

- the relay accepts          → the confirmation (reference, "you will get an e-mail"), a new form;
- the relay is unreachable   → the report moves to the outbox ("wacht op verzending"), a new form
                               (in offline mode at once, without waiting for a timeout);
- the session expired        → log in again, then back here with everything still filled in;
- the relay refuses          → everything stays, and the reason shows where it belongs.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from cna_app.contract.wire import Receipt
from cna_app.services.drafts import DraftStore, ReportDraft, new_report_id
from cna_app.services.errors import RelayError, RelayProblem, RelayUnavailable
from cna_app.services.location import Locator
from cna_app.services.photos import IncomingFile
from cna_app.viewmodels.forms import FormState, field_text, problem_text
from cna_app.viewmodels.navigation import Route
from cna_app.viewmodels.report_attachments import AttachmentList
from cna_app.viewmodels.report_context import ReportShellPort, RulesSource
from cna_app.viewmodels.report_keeper import DraftKeeper
from cna_app.viewmodels.report_location import LocationPicker
from cna_app.viewmodels.report_outbox import RETRY_DELAYS_S, ProgressMeter, ReportOutbox
from cna_app.viewmodels.report_sending import failure_kind, send_draft
from cna_app.viewmodels.report_text import clean_text
from cna_app.viewmodels.texts import UserText

FIELDS = ("description", "location", "attachments")


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the confirmation dialog says: delivered (with the reference) or kept for later."""

    kind: Literal["delivered", "queued"]
    reference: str | None = None
    stored: bool = True


class ReportFlow:
    def __init__(
        self,
        shell: ReportShellPort,
        *,
        drafts: DraftStore,
        locator: Locator,
        outbox_delays_s: Sequence[float] | None = None,
    ) -> None:
        self._shell = shell
        self.rules = RulesSource(shell)
        self.attachments = AttachmentList(shell, self.rules, on_change=self._edited)
        self.location = LocationPicker(shell, self.rules, locator, on_change=self._edited)
        self.outbox = ReportOutbox(
            shell, drafts, on_delivered=self._delivered_later, delays_s=outbox_delays_s or RETRY_DELAYS_S
        )
        self.form = FormState()
        self.description = ""
        self.sending = False
        self.progress: tuple[int, int] | None = None
        self.outcome: Outcome | None = None
        # Bumped whenever a report reached the relay, so "Mijn meldingen" knows to reload.
        self.deliveries = 0
        self._draft_id = new_report_id()
        self._created_at = _now()
        self._account: str | None = None
        self.keeper = DraftKeeper(
            drafts, shell.clock, snapshot=self._to_keep, on_saved=lambda: self._shell.changes.notify()
        )

    # ---- the device's copy ---------------------------------------------------------------

    async def resume(self) -> None:
        """After log-in or start-up: pick up this account's unfinished and waiting reports."""
        account = self._shell.session.account
        if account is None:
            return
        if account["id"] == self._account:
            self.outbox.unpause()  # the same citizen logged in again after the session expired
            return
        self._account = account["id"]
        drafts = await self.keeper.load(account["id"])
        composing = [d for d in drafts if d.state == "composing"]
        if composing and self.blank:
            self._load(composing[-1])
        self.outbox.open([d for d in drafts if d.state != "composing"])
        self._shell.changes.notify()

    def discard_draft(self) -> None:
        """Log-out, or another account: nothing of this report stays visible or on the device."""
        draft = self.draft() if self._account else None
        self._reset()
        self.outbox.close()
        self._account = None
        if draft is not None:
            asyncio.get_running_loop().create_task(self.keeper.forget(draft))

    def draft(self) -> ReportDraft:
        """The form as a draft (what is saved, and what is sent)."""
        chosen = self.location.chosen
        return ReportDraft(
            id=self._draft_id,
            account_id=self._account or "",
            created_at=self._created_at,
            description=clean_text(self.description),
            location=None if chosen is None else chosen.to_wire(),
            attachments=self.attachments.for_draft(),
        )

    @property
    def blank(self) -> bool:
        return self.draft().empty and not self.attachments.processing

    def _load(self, draft: ReportDraft) -> None:
        self._draft_id, self._created_at = draft.id, draft.created_at
        self.description = draft.description
        self.attachments.restore(draft.attachments)
        self.location.restore(draft.location)

    def _edited(self) -> None:
        self._shell.changes.notify()
        self.keeper.edited()

    def _to_keep(self) -> ReportDraft | None:
        return None if self._account is None or self.sending else self.draft()

    @property
    def storage_note(self) -> UserText | None:
        return self.keeper.note

    async def flush(self) -> None:
        """Write the form to the device now (the app is closing)."""
        await self.keeper.flush()

    # ---- editing -------------------------------------------------------------------------

    def set_description(self, text: str) -> None:
        self.description = text
        self.form.clear_field("description")
        self._edited()

    @property
    def description_length(self) -> int:
        return len(clean_text(self.description))

    @property
    def description_error(self) -> UserText | None:
        maximum = self.rules().description_max
        if self.description_length > maximum:
            return UserText.of("field.too_long", count=maximum)
        return self.form.errors.get("description")

    @property
    def missing(self) -> list[UserText]:
        """What still keeps "Melding verzenden" disabled, in the form's order."""
        needed = []
        if not self.description_length:
            needed.append(UserText.of("report.missing.description"))
        if self.location.chosen is None:
            needed.append(UserText.of("report.missing.location"))
        if self.attachments.processing:
            needed.append(UserText.of("report.missing.processing"))
        return needed

    @property
    def can_submit(self) -> bool:
        return not self.missing and self.description_error is None and not self.sending

    async def add_files(self, files: list[IncomingFile]) -> None:
        self.form.clear_field("attachments")
        await self.attachments.add(files)

    def remove_attachment(self, index: int) -> None:
        self.form.clear_field("attachments")
        self.attachments.remove(index)

    def use_photo_location(self) -> None:
        offer = self.attachments.take_offer()
        if offer is not None:
            self.form.clear_field("location")
            self.location.place(offer.point, "photo")

    def dismiss_photo_location(self) -> None:
        self.attachments.take_offer()

    # ---- sending -------------------------------------------------------------------------

    async def submit(self) -> None:
        if not self.can_submit:
            return
        self.keeper.hold()  # what is on its way is not saved as a draft any more
        self._account = self._account or _account_id(self._shell)
        draft = self.draft()
        self.form.clear()
        self.sending, self.progress = True, None
        self._shell.changes.notify()
        meter = ProgressMeter(lambda p: setattr(self, "progress", p), self._shell.changes.notify)
        try:
            receipt = await self._send(draft, meter)
        except RelayError as error:
            self.sending = False
            await self._not_sent(draft.with_state("composing", attempts=1), error)
        else:
            self.sending = False
            await self.keeper.forget(draft)
            self._finished(Outcome("delivered", receipt["reference"]))
        finally:
            self.sending, self.progress = False, None
            self._shell.changes.notify()

    async def _send(self, draft: ReportDraft, meter: ProgressMeter) -> Receipt:
        if self._shell.offline:
            # Known to be unreachable: to the outbox now rather than after a connection timeout.
            raise RelayUnavailable("offline mode")
        return await send_draft(self._shell, draft, meter)

    async def _not_sent(self, draft: ReportDraft, error: RelayError) -> None:
        kind = failure_kind(error)
        if kind == "transient":
            stored = await self.outbox.add(draft, because=error)
            self._finished(Outcome("queued", stored=stored))
        elif kind == "session":
            await self.keeper.save_now()
            await self._shell.session_expired(Route.REPORT)
        else:
            self._show_refusal(error)
            await self.keeper.save_now()

    def _show_refusal(self, error: RelayError) -> None:
        if isinstance(error, RelayProblem) and error.code == "report_id_conflict":
            # This UUID names another report on the relay: this text goes out as a new one.
            self._draft_id = new_report_id()
        self.form.show(error, fields=FIELDS)
        if isinstance(error, RelayProblem):
            for problem in error.errors:
                if problem.root == "attachments":
                    self.form.errors["attachments"] = field_text(problem)
            if error.code in ("too_many_attachments", "attachment_too_large", "payload_too_large"):
                self.form.errors.setdefault("attachments", problem_text(error))
            if error.code == "outside_municipality":
                self.form.errors.setdefault("location", problem_text(error))
            if self.form.errors:
                self.form.banner = UserText.of("report.check_form")

    def _finished(self, outcome: Outcome) -> None:
        self.outcome = outcome
        if outcome.kind == "delivered":
            self.deliveries += 1
            self.outbox.poke()
        self._reset()

    def _reset(self) -> None:
        self.keeper.hold()
        self.description = ""
        self.attachments.clear()
        self.location.clear()
        self.form.clear()
        self._draft_id, self._created_at = new_report_id(), _now()

    def _delivered_later(self, draft: ReportDraft, receipt: Receipt) -> None:
        self.deliveries += 1
        self._shell.relay_answered()
        self._shell.flash(UserText.of("outbox.delivered", reference=receipt["reference"]))

    async def reconnected(self) -> None:
        """The relay answers again: this account's drafts (if the account was not known
        offline), the waiting reports out now, and names for pins placed offline."""
        await self.resume()
        self.outbox.poke()
        self.location.reconnected()

    def close_outcome(self, route: Route = Route.START) -> None:
        self.outcome = None
        self._shell.nav.go(route)

    def close(self) -> None:
        """The page is gone: stop background work."""
        self.keeper.close()
        self.location.close()
        self.outbox.close()


def _account_id(shell: ReportShellPort) -> str | None:
    account = shell.session.account
    return account["id"] if account else None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
