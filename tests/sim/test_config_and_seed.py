"""Settings from the environment, the bundled seed and broken seeds, and no state at import time."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from invgate_sim import SimConfig, create_app
from invgate_sim.config import config_from_env
from invgate_sim.store import SeedError, default_seed_text, load_store


def test_environment_variables_configure_the_simulator(tmp_path: Path) -> None:
    seed = tmp_path / "seed.json"
    seed.write_text(default_seed_text(), encoding="utf-8")
    env = {
        "INVGATE_SIM_API_USER": "u",
        "INVGATE_SIM_API_KEY": "k",
        "INVGATE_SIM_SMTP_HOST": "mail.local",
        "INVGATE_SIM_SMTP_PORT": "2525",
        "INVGATE_SIM_ADMIN": "yes",
        "INVGATE_SIM_SEED": str(seed),
        "INVGATE_SIM_RATE_LIMITS": "off",
        "INVGATE_SIM_BASE_URL": "http://esm.local",
    }
    config = config_from_env(environ=env)
    assert (config.api_user, config.api_key, config.smtp_host, config.smtp_port) == (
        "u",
        "k",
        "mail.local",
        2525,
    )
    assert config.admin_enabled and config.rate_limits is None and config.seed_path == seed
    assert config.base_url == "http://esm.local"
    assert config_from_env({"api_user": "flag"}, environ=env).api_user == "flag"


def test_the_api_key_never_shows_in_the_config_repr() -> None:
    assert "super-secret" not in repr(SimConfig(api_key="super-secret"))


def test_the_bundled_seed_has_the_municipal_helpdesks_and_users() -> None:
    store = load_store(None)
    names = {desk.name for desk in store.helpdesks.values() if not desk.is_level}
    assert "Algemeen Onthaal" in names and len(names) == 7
    assert {category.helpdesk_id for category in store.categories.values()} == {
        desk.id for desk in store.helpdesks.values() if not desk.is_level
    }
    assert store.users[store.integration_agent_id].full_name == "CNA Integratie"
    assert {source.name for source in store.sources} >= {"CNA app", "Loket"}
    for desk in store.helpdesks.values():
        assert desk.is_level or len(desk.members) >= 2


@pytest.mark.parametrize(
    "mutate",
    [
        lambda seed: seed.pop("users"),
        lambda seed: seed["categories"].append({"id": 99, "name": "X", "helpdesk_id": 4242}),
        lambda seed: seed["helpdesks"][0]["members"].append(999_999),
        lambda seed: seed.update(integration_agent_id=999_999),
    ],
    ids=["no-users", "category-to-nowhere", "unknown-member", "unknown-agent"],
)
def test_an_inconsistent_seed_is_refused(tmp_path: Path, mutate: object) -> None:
    seed = json.loads(default_seed_text())
    mutate(seed)  # type: ignore[operator]
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(seed), encoding="utf-8")
    with pytest.raises(SeedError):
        create_app(SimConfig(seed_path=path))


def test_a_missing_seed_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SeedError):
        load_store(tmp_path / "absent.json")


def test_two_apps_share_no_state() -> None:
    first, second = create_app(), create_app()
    first.state.sim.faults.fail_next(1)
    first.state.sim.store.next_id("request")
    assert second.state.sim.faults.describe() == []
    assert second.state.sim.store.next_ids["request"] == 1001


def test_importing_the_package_starts_nothing() -> None:
    code = (
        "import threading, invgate_sim, invgate_sim.mailsink, invgate_sim.tiles;"
        "assert threading.active_count() == 1, threading.enumerate()"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
