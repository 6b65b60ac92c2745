"""Relay settings: read once from the environment (`CNA_RELAY_*`) and passed explicitly.

Tests build `RelaySettings(...)` directly; nothing reads the environment after start-up.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from cna_app.contract.password import PasswordPolicy

# A placeholder the production validator refuses; it only works against the local simulator.
_DEV_SECRET = "dev-only-not-secret"  # noqa: S105


class RelaySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CNA_RELAY_", extra="ignore", frozen=True)

    environment: Literal["dev", "test", "production"] = "dev"
    database_url: str = "sqlite+aiosqlite:///var/cna-relay.db"
    auto_migrate: bool = True
    # Where citizens open the app; used in links inside e-mails.
    app_url: str = "http://127.0.0.1:8550"
    public_url: str = "http://127.0.0.1:8080"
    cors_origins: list[str] = Field(default_factory=lambda: ["*"])
    trust_forwarded_for: bool = False

    # InvGate
    invgate_url: str = "http://127.0.0.1:8081/api/v1/"
    invgate_api_user: str = "cna-relay"
    invgate_api_key: SecretStr = SecretStr(_DEV_SECRET)
    invgate_timeout_s: float = 15.0
    # The InvGate agent the relay acts as (ticket creator, comment author), found by e-mail at start.
    invgate_integration_user_email: str = "cna-integratie@gemeente.example"
    invgate_source_name: str = "CNA app"
    invgate_counter_source_name: str = "Loket"
    invgate_triage_helpdesk: str = "Algemeen Onthaal"
    invgate_priority_id: int = 2
    invgate_type_id: int = 1
    # POST incident per minute allowed by the InvGate plan (Pro: 100, Starter: 50); the relay paces below it.
    invgate_ticket_rate_per_minute: float = 50.0

    # Mail
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False
    smtp_timeout_s: float = 10.0
    mail_from: str = "CNA Meldingen <meldingen@gemeente.example>"

    # Municipality and map
    municipality_name: str = "Gemeente Zonnebeke"
    municipality_color: str = "#0B5C8E"
    municipality_logo_url: str | None = None
    municipality_website: str | None = None
    boundary_path: Path | None = None  # None: the bundled demo boundary
    tile_url: str = "http://127.0.0.1:8090/{z}/{x}/{y}.png"
    tile_attribution: str = "Kaart: demo-tegels (offline)"
    map_zoom: int = 14  # the map's opening zoom only when set explicitly; else fitted to the boundary
    # The tile server's deepest level (OSM and GRB stop at 19-20); the app never asks beyond it.
    map_max_zoom: int = 19

    # Geocoding (see cna_relay/geo): provider, where it lives, and how politely we call it.
    geocoder: Literal["nominatim", "flemish"] = "nominatim"
    # None: the provider's public service (nominatim.openstreetmap.org or geo.api.vlaanderen.be).
    geocoder_domain: str | None = None
    geocoder_scheme: Literal["http", "https"] = "https"
    geocoder_user_agent: str = "cna-relay/0.1 (+https://github.com/cna; meldingen@gemeente.example)"
    geocoder_min_interval_s: float = 1.0
    geocoder_timeout_s: float = 5.0
    geocoder_cache_ttl_s: int = 7 * 24 * 3600
    # "Nothing found" is cached too, but shorter: a new street may appear in OSM any day.
    geocoder_negative_cache_ttl_s: int = 24 * 3600
    # A request waits at most this long for its turn at the provider, then gets 503 + Retry-After.
    geocoder_max_wait_s: float = 3.0
    # Outgoing proxy for the geocoder (e.g. "http://proxy:3128"); None: direct, environment ignored.
    geocoder_proxy: str | None = None

    # Accounts
    access_token_ttl_s: int = 15 * 60
    refresh_token_ttl_s: int = 30 * 24 * 3600
    # argon2id at OWASP's floor (19 MiB, 2 passes): ~25-40 ms a check on the 2-core reference host,
    # where 64 MiB x 3 took ~200-380 ms (bench/login.py; docs/adr/0003-accounts-and-sessions.md).
    argon2_time_cost: int = 2
    argon2_memory_kib: int = 19 * 1024
    argon2_parallelism: int = 1
    verification_code_ttl_s: int = 15 * 60
    verification_code_attempts: int = 5
    resend_cooldown_s: int = 60
    password_policy: PasswordPolicy = PasswordPolicy()

    # Reports
    description_max_length: int = 4000
    max_attachments: int = 3
    max_attachment_bytes: int = 15 * 1024 * 1024
    image_max_side_px: int = 2048
    # Decompression-bomb guard: pixels decoded per image (80 MP covers 64 MP phone cameras).
    image_max_pixels: int = 80_000_000
    reference_prefix: str = "CNA"
    # Link to the spot on a public map, in tickets and confirmation mails ({lat}, {lon}).
    map_link_template: str = "https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=18/{lat}/{lon}"

    # Outbox and dispatcher
    embedded_worker: bool = True
    worker_concurrency: int = 4
    worker_poll_interval_s: float = 0.5
    outbox_lease_s: float = 120.0
    outbox_max_attempts: int = 12
    outbox_backoff_base_s: float = 2.0
    outbox_backoff_cap_s: float = 15 * 60.0
    # Housekeeping: delivered outbox entries are kept this long for operators, then deleted.
    outbox_sent_retention_days: int = 30
    housekeeping_interval_s: float = 6 * 3600.0

    # Routing (docs/routing.md). `python -m cna_relay.routing train` writes models here and
    # running relays switch to a newly activated one; until then the shipped default applies.
    routing_registry_dir: Path = Path("var/routing")
    # How often the helpdesk of each CNA ticket is read back from InvGate (0 switches it off).
    routing_readback_interval_s: float = Field(default=3600.0, ge=0)
    # Tickets forwarded longer ago are no longer read: whatever desk holds them by then is final.
    routing_readback_max_age_days: float = Field(default=60.0, gt=0)
    # Ticket ids per `GET incidents` call, and calls per run (the rest waits for the next run).
    routing_readback_batch_size: int = Field(default=50, ge=1, le=200)
    routing_readback_max_batches: int = Field(default=20, ge=1)
    # The read-back's share of InvGate's `GET incidents` budget (Starter plan: 50 a minute).
    routing_readback_calls_per_minute: float = Field(default=20.0, gt=0)
    # InvGate's default ids of Closed, Rejected, Cancelled: such tickets are read no more.
    routing_readback_final_status_ids: list[int] = Field(default_factory=lambda: [6, 7, 8])

    @model_validator(mode="after")
    def _refuse_dev_secrets_in_production(self) -> RelaySettings:
        if self.environment != "production":
            return self
        if self.invgate_api_key.get_secret_value() == _DEV_SECRET:
            raise ValueError("CNA_RELAY_INVGATE_API_KEY must be set in production")
        if self.database_url.startswith("sqlite") and "memory" in self.database_url:
            raise ValueError("an in-memory database loses reports; set CNA_RELAY_DATABASE_URL")
        if "*" in self.cors_origins:
            raise ValueError("set CNA_RELAY_CORS_ORIGINS to the app's origin in production")
        return self
