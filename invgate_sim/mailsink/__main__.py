"""`python -m invgate_sim.mailsink --smtp-port 1025 --http-port 8025`: run the sink standalone."""

from __future__ import annotations

import argparse
import signal
import threading
from collections.abc import Sequence

from invgate_sim.mailsink.sink import MailSink
from invgate_sim.serve import say


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m invgate_sim.mailsink", description="Development mail sink"
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--smtp-port", type=int, default=1025)
    parser.add_argument("--http-port", type=int, default=8025)
    args = parser.parse_args(argv)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with MailSink(args.host, args.smtp_port, args.http_port) as sink:
        say(f"SMTP: {sink.host}:{sink.smtp_port}")
        say(f"Web: {sink.http_url}/")
        say(f"API: {sink.http_url}/api/messages")
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
