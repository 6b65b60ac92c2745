"""The report's attachments: at most the relay's maximum, each prepared on the device first.

Files arrive from the picker, a paste or a drop. Each is prepared off the UI thread (upright,
metadata stripped, resized: `cna_app.services.photos`); what the relay would refuse is refused
here with the relay's limits and wording, named per file. A photo that carries a position inside
the municipality leads to an offer: "use the photo's location?".
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from cna_app.services.drafts import DraftAttachment
from cna_app.services.geo import GeoPoint
from cna_app.services.photos import (
    AttachmentLimits,
    AttachmentRefused,
    IncomingFile,
    PreparedAttachment,
    display_name,
    prepare_attachment_async,
)
from cna_app.viewmodels.report_context import ReportRules, ReportShellPort
from cna_app.viewmodels.texts import UserText

logger = logging.getLogger(__name__)
# Refusal reasons with a sentence of their own (the relay's field codes); others read as corrupt.
REASONS = frozenset({"file_too_large", "empty_file", "unsupported_type", "corrupt_file", "image_too_large"})


@dataclass(frozen=True, slots=True)
class PhotoOffer:
    """ "Locatie uit de foto gebruiken?" for the photo called `name`."""

    point: GeoPoint
    name: str


class AttachmentList:
    def __init__(
        self, shell: ReportShellPort, rules: Callable[[], ReportRules], *, on_change: Callable[[], None]
    ) -> None:
        self._shell = shell
        self._rules = rules
        self._on_change = on_change
        self.items: list[PreparedAttachment] = []
        self.processing = 0
        self.notes: list[UserText] = []
        self.offer: PhotoOffer | None = None

    @property
    def room(self) -> int:
        return max(0, self._rules().limits.max_attachments - len(self.items) - self.processing)

    @property
    def full(self) -> bool:
        return self.room == 0

    async def add(self, files: Sequence[IncomingFile]) -> None:
        """Prepare and keep as many of `files` as there is room for; say why others are refused."""
        limits = self._rules().limits
        room = self.room
        taken, extra = list(files[:room]), files[room:]
        self.notes = [UserText.of("attachment.too_many", max=limits.max_attachments)] if extra else []
        self.processing += len(taken)
        self._shell.changes.notify()
        for incoming in taken:
            prepared = await self._prepare(incoming, limits)
            self.processing -= 1
            if prepared is not None:
                self.items.append(prepared)
                self._consider_offer(prepared)
            self._on_change()
        self._shell.changes.notify()

    async def _prepare(self, incoming: IncomingFile, limits: AttachmentLimits) -> PreparedAttachment | None:
        name = display_name(incoming.name)
        try:
            return await prepare_attachment_async(incoming, limits)
        except AttachmentRefused as refused:
            self.notes.append(_refusal(refused, name, limits))
        except Exception:  # a decoder choking on a hostile file must not take the form down
            logger.exception("could not prepare an attachment")
            self.notes.append(UserText.of("attachment.corrupt_file", name=name))
        return None

    def _consider_offer(self, prepared: PreparedAttachment) -> None:
        point = prepared.position
        if point is None:
            return
        rules = self._rules()
        if rules.boundary is not None and not rules.boundary.covers(point):
            self.notes.append(
                UserText.of(
                    "attachment.position_outside", name=prepared.name, municipality=rules.municipality
                )
            )
            return
        self.offer = PhotoOffer(point, prepared.name)

    def remove(self, index: int) -> None:
        if 0 <= index < len(self.items):
            removed = self.items.pop(index)
            if self.offer is not None and self.offer.name == removed.name:
                self.offer = None
            self.notes = []
            self._on_change()

    def take_offer(self) -> PhotoOffer | None:
        offer, self.offer = self.offer, None
        self._shell.changes.notify()
        return offer

    def restore(self, attachments: Sequence[DraftAttachment]) -> None:
        self.items = [
            PreparedAttachment(item.name, item.content_type, item.data, len(item.data), item.preview)
            for item in attachments
        ]
        self.notes, self.offer = [], None

    def clear(self) -> None:
        self.items, self.notes, self.offer = [], [], None

    def for_draft(self) -> tuple[DraftAttachment, ...]:
        return tuple(DraftAttachment(a.name, a.content_type, a.data, a.preview) for a in self.items)


def _refusal(refused: AttachmentRefused, name: str, limits: AttachmentLimits) -> UserText:
    if refused.code == "attachment_too_large":
        return UserText.of("attachment.file_too_large", name=name, max_mb=limits.max_mb)
    reason = refused.reason if refused.reason in REASONS else "corrupt_file"
    return UserText.of(f"attachment.{reason}", name=name)
