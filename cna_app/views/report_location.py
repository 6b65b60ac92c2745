"""The report form's location section: what is chosen (as text, for everyone and for screen
readers), "Gebruik mijn locatie", the address search with its results, and the map."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import flet as ft

from cna_app.contract.wire import Place
from cna_app.i18n import Translator
from cna_app.services.geo import format_point
from cna_app.viewmodels.report_location import ChosenLocation, LocationPicker
from cna_app.views.report_map import MapPanel
from cna_app.views.screens.base import ViewContext, set_value
from cna_app.views.widgets import (
    BUTTON_PADDING,
    BUTTON_TEXT,
    LiveText,
    body,
    busy_ring,
    button_row,
    heading,
    secondary_button,
    text_field,
)


class LocationPanel:
    def __init__(
        self, ctx: ViewContext, picker: LocationPicker, *, paste: Callable[..., object] | None
    ) -> None:
        t = ctx.t
        self._t, self._picker = t, picker
        self.status = ft.Text("", key="report-location-status", size=16)
        self.refusal = LiveText("report-location-refusal", error=True)
        self.gps = secondary_button("report-gps", t("report.location.gps"), on_click=picker.use_my_location)
        self.gps.icon = ft.Icons.MY_LOCATION
        self.gps_busy = busy_ring(t("report.location.gps_busy"))
        self.gps_note = LiveText("report-gps-note")
        self.address = _address_field(t, picker, self._search, paste)
        self.search = secondary_button("report-search", t("report.location.search"), on_click=self._search)
        self.search_busy = busy_ring(t("report.location.searching"))
        self.search_note = LiveText("report-search-note")
        self.results = ft.Column(spacing=4, key="report-results")
        self.map = MapPanel(ctx, picker, ctx.shell.report.rules().boundary)
        self.controls: list[ft.Control] = [
            heading(t("report.location.title"), level=2),
            ft.Semantics(live_region=True, content=self.status),
            self.refusal.control,
            button_row(self.gps, self.gps_busy),
            self.gps_note.control,
            self.address,
            button_row(self.search, self.search_busy),
            self.search_note.control,
            self.results,
            body(t("report.map.help"), muted=True),
            self.map.control,
        ]
        self._results_shown: list[Place] | None = None

    async def _search(self) -> None:
        await self._picker.search()

    def refresh(self) -> None:
        t, picker = self._t, self._picker
        self.status.value = location_text(t, picker.chosen)
        self.refusal.show(picker.refusal.render(t) if picker.refusal else None)
        self.gps.disabled = picker.locating
        self.gps_busy.visible = picker.locating
        self.gps_note.show(picker.locate_note.render(t) if picker.locate_note else None)
        set_value(self.address, picker.query)
        self.search.disabled = picker.searching or picker.needs_connection
        self.search_busy.visible = picker.searching
        note = picker.search_message
        self.search_note.show(note.render(t) if note else None)
        if picker.results is not self._results_shown:
            self._results_shown = picker.results
            self.results.controls = [self._result(i, place) for i, place in enumerate(picker.results)]
        self.map.refresh()

    def _result(self, index: int, place: Place) -> ft.Control:
        return ft.TextButton(
            content=place["label"],
            key=f"report-result-{index}",
            icon=ft.Icons.PLACE,
            on_click=_chooser(self._picker, index),
            style=ft.ButtonStyle(padding=BUTTON_PADDING, text_style=BUTTON_TEXT),
        )


def _address_field(
    t: Translator,
    picker: LocationPicker,
    search: Callable[[], Awaitable[None]],
    paste: Callable[..., object] | None,
) -> ft.TextField:
    field = text_field(
        "report-address",
        t("report.location.address"),
        keyboard=ft.KeyboardType.STREET_ADDRESS,
        autofill=ft.AutofillHint.FULL_STREET_ADDRESS,
        on_change=lambda e: picker.set_query(e.control.value),
        on_submit=search,
    )
    field.on_paste_files = paste
    return field


def location_text(t: Translator, chosen: ChosenLocation | None) -> str:
    """The chosen place in words: how it was chosen, its address (or why there is none), and
    its coordinates. This is also what a screen reader says instead of the map."""
    if chosen is None:
        return t("report.location.none")
    if chosen.origin == "device" and chosen.accuracy_m is not None:
        origin = t("report.location.origin.device_accuracy", meters=round(chosen.accuracy_m))
    else:
        origin = t(f"report.location.origin.{chosen.origin}")
    address = chosen.address if chosen.address_state == "found" and chosen.address else ""
    if not address and chosen.address_state != "none":
        address = t(f"report.location.address_state.{chosen.address_state}")
    point = format_point(chosen.point)
    if not address:
        return t("report.location.chosen_bare", origin=origin, point=point)
    return t("report.location.chosen", origin=origin, address=address, point=point)


def _chooser(picker: LocationPicker, index: int) -> Callable[[], None]:
    return lambda: picker.choose(index)
