"""What the report form refuses on the device it says in the relay's own words (so a file refused
before sending reads exactly like one refused after), and every text key the report screens
build at run time exists in all three languages."""

from __future__ import annotations

from typing import get_args

import pytest

from cna_app.contract.wire import Delivery
from cna_app.i18n import LANGUAGES, catalogue
from cna_app.services.location import Reason
from cna_app.viewmodels.report_attachments import REASONS
from cna_app.viewmodels.report_location import SOURCES
from cna_relay.i18n.catalog import Catalog

# Filling a relay text with these leaves its placeholders as they are, to compare with ours.
KEEP_PLACEHOLDERS = {"max": "{max}", "max_mb": "{max_mb}", "municipality": "{municipality}"}
# App key → relay key with the same sentence.
SAME_WORDS = {
    "attachment.too_many": "problem.too_many_attachments.detail",
    "location.outside": "problem.outside_municipality.detail",
    **{f"attachment.{reason}": f"field.{reason}" for reason in REASONS - {"transfer_failed"}},
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_refusals_on_the_device_use_the_relays_wording(language: str) -> None:
    relay = Catalog.bundled()
    app = catalogue(language)  # type: ignore[arg-type]
    for app_key, relay_key in SAME_WORDS.items():
        ours = app[app_key]
        # Per-file messages name the file first ("{name}: …"; French puts a space before the colon).
        for prefix in ("{name}: ", "{name} : "):
            ours = ours.removeprefix(prefix)
        assert ours == relay.text(language, relay_key, **KEEP_PLACEHOLDERS), app_key


@pytest.mark.parametrize("language", LANGUAGES)
def test_keys_built_at_run_time_exist(language: str) -> None:
    texts = catalogue(language)  # type: ignore[arg-type]
    built = [
        *(f"report.location.origin.{origin}" for origin in SOURCES),
        *(f"report.location.address_state.{state}" for state in ("looking", "unknown", "unavailable")),
        *(f"reports.delivery.{state}" for state in get_args(Delivery)),
        *(f"location.gps.{reason}" for reason in get_args(Reason)),
        *(f"attachment.{reason}" for reason in REASONS),
    ]
    assert [key for key in built if key not in texts] == []
