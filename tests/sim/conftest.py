"""The simulator's own suite: the shared fixtures, with a mail sink that runs SMTP only (no web
page) because these tests read mails in-process; `test_mailsink.py` covers the web page and API."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from invgate_sim.mailsink import MailSink


@pytest.fixture
def mail_sink() -> Iterator[MailSink]:
    with MailSink(http_port=None) as sink:
        yield sink
