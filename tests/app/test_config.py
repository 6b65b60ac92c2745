"""Client settings: defaults, baked settings for mobile builds, environment on desktop and web."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cna_app.config import (
    DEFAULT_RELAY_URL,
    ClientConfig,
    ConfigError,
    bake,
    load_client_config,
    read_baked_settings,
    validate_relay_url,
)


def test_defaults_are_the_development_relay_and_port() -> None:
    config = load_client_config({}, has_display=True)
    assert config.relay_url == DEFAULT_RELAY_URL
    assert config.port == 8550
    assert config.web is False


def test_environment_overrides_and_no_display_forces_web_mode() -> None:
    config = load_client_config(
        {"CNA_RELAY_URL": "https://meldingen.zonnebeke.be/", "CNA_APP_PORT": " 9000 "}, has_display=False
    )
    assert config.relay_url == "https://meldingen.zonnebeke.be"
    assert config.port == 9000
    assert config.web is True
    assert load_client_config({"CNA_APP_WEB": "1"}, has_display=True).web is True
    assert load_client_config({"CNA_APP_WEB": "0"}, has_display=True).web is False


@pytest.mark.parametrize("port", ["abc", "-1", "0", "70000", "80.5"])
def test_a_broken_port_fails_at_start(port: str) -> None:
    with pytest.raises(ConfigError):
        load_client_config({"CNA_APP_PORT": port}, has_display=True)


@pytest.mark.parametrize(
    "url",
    [
        "ftp://relay.example",
        "relay.example",
        "http://relay.example",  # plain http outside this machine
        "https://",
        "https://user:pw@relay.example",
        "https://relay.example/?x=1",
        "javascript:alert(1)",
        "",
    ],
)
def test_relay_url_must_be_https_or_local(url: str) -> None:
    with pytest.raises(ConfigError):
        validate_relay_url(url)


def test_local_http_is_allowed_for_development() -> None:
    assert validate_relay_url(" http://localhost:8080/ ") == "http://localhost:8080"
    assert ClientConfig(relay_url="http://127.0.0.1:1").relay_url == "http://127.0.0.1:1"


def test_the_config_is_frozen() -> None:
    config = ClientConfig()
    with pytest.raises(AttributeError):
        config.relay_url = "https://elsewhere.example"  # type: ignore[misc]


def test_bake_writes_a_file_the_loader_understands(tmp_path: Path) -> None:
    written = bake("https://meldingen.gemeente.be", package_dir=tmp_path)
    assert json.loads(written.read_text()) == {"relay_url": "https://meldingen.gemeente.be"}
    with pytest.raises(ConfigError):
        bake("http://not-local.example", package_dir=tmp_path)


def test_no_baked_settings_ship_in_the_repository() -> None:
    # A development checkout must not silently point at some production relay.
    assert read_baked_settings() == {}


def test_an_upload_signing_key_is_made_only_when_none_is_set() -> None:
    from cna_app.app import ensure_upload_secret

    environ: dict[str, str] = {}
    ensure_upload_secret(environ)
    made = environ["FLET_SECRET_KEY"]
    assert len(made) >= 32
    ensure_upload_secret(environ)
    assert environ["FLET_SECRET_KEY"] == made
    shared = {"FLET_SECRET_KEY": "set-by-the-deployment"}
    ensure_upload_secret(shared)
    assert shared["FLET_SECRET_KEY"] == "set-by-the-deployment"


def test_the_upload_folder_comes_from_the_environment() -> None:
    assert load_client_config({}, has_display=True).upload_dir is None
    assert (
        load_client_config({"CNA_APP_UPLOAD_DIR": "/srv/uploads"}, has_display=True).upload_dir
        == "/srv/uploads"
    )


def test_report_drafts_go_to_the_configured_or_the_mobile_storage_folder() -> None:
    assert load_client_config({}, has_display=True).storage_dir is None
    mobile = load_client_config({"FLET_APP_STORAGE_DATA": "/data/app/files"}, has_display=True)
    assert mobile.storage_dir == "/data/app/files"
    both = {"FLET_APP_STORAGE_DATA": "/data/app/files", "CNA_APP_STORAGE_DIR": "/srv/drafts"}
    assert load_client_config(both, has_display=True).storage_dir == "/srv/drafts"


def test_the_outbox_schedule_can_be_set_and_is_checked() -> None:
    assert load_client_config({}, has_display=True).outbox_retry_s is None
    config = load_client_config({"CNA_APP_OUTBOX_RETRY_S": "1, 2.5,30"}, has_display=True)
    assert config.outbox_retry_s == (1.0, 2.5, 30.0)
    for broken in ("", "a,b", "0", "-1,2", "5000"):
        if not broken:
            assert (
                load_client_config({"CNA_APP_OUTBOX_RETRY_S": broken}, has_display=True).outbox_retry_s
                is None
            )
            continue
        with pytest.raises(ConfigError):
            load_client_config({"CNA_APP_OUTBOX_RETRY_S": broken}, has_display=True)


def test_web_mode_always_has_an_upload_folder_and_a_size_cap(tmp_path: Path) -> None:
    from cna_app.app import with_upload_folder
    from cna_app.services.photos import MAX_RAW_IMAGE_BYTES

    environ: dict[str, str] = {}
    made = with_upload_folder(ClientConfig(web=True), environ)
    assert made.upload_dir is not None and Path(made.upload_dir).is_dir()
    assert environ["FLET_MAX_UPLOAD_SIZE"] == str(MAX_RAW_IMAGE_BYTES)
    Path(made.upload_dir).rmdir()
    kept = with_upload_folder(ClientConfig(web=True, upload_dir=str(tmp_path)), {"FLET_MAX_UPLOAD_SIZE": "1"})
    assert kept.upload_dir == str(tmp_path)
