"""`python -m invgate_sim`: serve the simulator and print its API and board URLs."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from invgate_sim.app import create_app
from invgate_sim.config import config_from_env
from invgate_sim.mail.rules import parse_event
from invgate_sim.serve import bind, say, serve, url_of
from invgate_sim.store import SeedError


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    env = os.environ
    parser = argparse.ArgumentParser(prog="python -m invgate_sim", description="Simulated InvGate instance")
    parser.add_argument("--host", default=env.get("INVGATE_SIM_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(env.get("INVGATE_SIM_PORT", "8081")))
    parser.add_argument("--seed", type=Path, help="seed JSON file (default: the bundled one)")
    parser.add_argument("--smtp-host", help="SMTP server for customer mails (none: mails are only listed)")
    parser.add_argument("--smtp-port", type=int)
    parser.add_argument("--mail-from")
    parser.add_argument("--api-user")
    parser.add_argument("--api-key", help="prefer INVGATE_SIM_API_KEY: arguments are visible to other users")
    parser.add_argument("--base-url", help="public URL used in ticket links (default: the served URL)")
    parser.add_argument("--admin", action="store_true", default=None, help="enable the /_sim/ admin API")
    parser.add_argument("--no-rate-limits", action="store_true", help="switch the per-minute limits off")
    parser.add_argument(
        "--notify",
        action="append",
        default=[],
        metavar="EVENT=on|off",
        help="switch one customer-mail rule, e.g. ticket_created=off (repeatable)",
    )
    parser.add_argument("--log-level", default="warning")
    return parser.parse_args(argv)


def parse_notify(switches: Sequence[str]) -> dict[str, bool]:
    """`["ticket_created=off"]` → `{"ticket_created": False}`; event names are checked by `SimConfig`."""
    rules: dict[str, bool] = {}
    for switch in switches:
        event, _, value = switch.partition("=")
        if value.lower() not in {"on", "off"}:
            raise ValueError(f"--notify expects EVENT=on|off, got {switch!r}")
        rules[parse_event(event.strip()).value] = value.lower() == "on"
    return rules


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    sock = bind(args.host, args.port)
    url = url_of(sock)
    overrides: dict[str, object] = {
        "seed_path": args.seed,
        "smtp_host": args.smtp_host,
        "smtp_port": args.smtp_port,
        "mail_from": args.mail_from,
        "api_user": args.api_user,
        "api_key": args.api_key,
        "base_url": args.base_url,
        "admin_enabled": args.admin,
    }
    try:
        notifications = parse_notify(args.notify)
    except ValueError as exc:
        sys.exit(f"invgate_sim: {exc}")
    if notifications:
        overrides["notifications"] = notifications
    config = config_from_env(overrides)
    if args.no_rate_limits:
        config = config.with_changes(rate_limits=None)
    if args.base_url is None and "INVGATE_SIM_BASE_URL" not in os.environ:
        config = config.with_changes(base_url=url)
    try:
        app = create_app(config)
    except SeedError as exc:
        sock.close()
        sys.exit(f"invgate_sim: {exc}")
    say(f"InvGate simulator API: {url}/api/v1/")
    say(f"Board: {url}/")
    if config.admin_enabled:
        say(f"Admin API: {url}/_sim/")
    try:
        serve(app, sock, log_level=args.log_level)
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
