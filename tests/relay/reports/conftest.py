"""Report tests run the simulator with ESM's "ticket created" mail off, as CNA deployments do
(docs/adr/0007-confirmation-mail.md): the citizen's only mail about a new report is ours."""

from __future__ import annotations

import pytest

from invgate_sim import SimConfig
from invgate_sim.mailsink import MailSink
from tests.support.sim_fixtures import SIM_API_KEY, SIM_API_USER, SIM_BASE


@pytest.fixture
def sim_config(mail_sink: MailSink) -> SimConfig:
    return SimConfig(
        api_user=SIM_API_USER,
        api_key=SIM_API_KEY,
        base_url=SIM_BASE,
        smtp_host="127.0.0.1",
        smtp_port=mail_sink.smtp_port,
        admin_enabled=True,
        notifications={"ticket_created": False},
    )
