"""Report tests run the simulator with ESM's "ticket created" mail off, as CNA deployments do
(docs/adr/0007-confirmation-mail.md): the citizen's only mail about a new report is ours."""

from __future__ import annotations

import pytest

from invgate_sim import SimConfig
from invgate_sim.mailsink import MailSink
from tests.support.sim_fixtures import sim_config_for


@pytest.fixture
def sim_config(mail_sink: MailSink) -> SimConfig:
    return sim_config_for(mail_sink, notifications={"ticket_created": False})
