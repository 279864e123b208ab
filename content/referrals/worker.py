"""The delivery worker: moves spooled referrals into the database, delivers the outbox, and
once a day deletes what retention says must go.

    python -m content.referrals worker --interval 5 --port 5056

GET /health on the port answers 200 while the loop keeps turning (even when the database or
the mail server is down: restarting the worker would not bring those back; the body says
what failed), and 503 if the loop has stalled.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import signal
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

from sqlalchemy.orm import Session, sessionmaker

from content import conversations, db

from . import intake, outbox, retention
from .models import utcnow

PURGE_EVERY = dt.timedelta(days=1)

log = logging.getLogger(__name__)


def run_once(session_factory: Callable[[], Session] | None = None, now: dt.datetime | None = None,
             purge: bool = False) -> dict[str, int]:
    """One pass: import the spool, deliver what is due, and purge if asked. Returns counts:
    imported, delivered, failed (and purged, held, spool_removed, conversations_purged when
    purging)."""
    factory = session_factory or sessionmaker(bind=db.engine(), expire_on_commit=False)
    now = now or utcnow()
    stats = {"imported": intake.import_spooled(factory)}
    stats.update(outbox.deliver_due(factory, now))
    if purge:
        with factory() as session:
            stats.update(retention.purge(session, now))
            session.commit()
        stats.update(conversations.purge(now))
    return stats


class Health:
    """What the loop last did, for GET /health."""

    def __init__(self, interval: float):
        self.stale_after = max(3 * interval, 60)
        self.last_pass: float | None = None
        self.problem: str | None = None

    def passed(self, problem: str | None) -> None:
        self.last_pass, self.problem = time.monotonic(), problem

    def report(self) -> tuple[int, dict]:
        if self.last_pass is None:
            return 503, {"status": "starting"}
        if time.monotonic() - self.last_pass > self.stale_after:
            return 503, {"status": "stalled", "problem": self.problem}
        return 200, {"status": "ok", "problem": self.problem}


def serve_health(health: Health, host: str, port: int) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802  (http.server's naming)
            status, body = health.report() if self.path.rstrip("/") == "/health" else (404, {"status": "not found"})
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *_):  # health probes every few seconds would drown the log
            pass

    server = ThreadingHTTPServer((host, port), Handler)
    threading.Thread(target=server.serve_forever, name="health", daemon=True).start()
    return server


def run(interval: float, host: str, port: int | None) -> int:
    """The loop, until SIGTERM or Ctrl-C. Each pass finishes what it started first."""
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    health = Health(interval)
    server = serve_health(health, host, port) if port else None
    last_purge: dt.datetime | None = None
    log.info("referral worker started (every %ss)", interval)
    try:
        while not stopping.is_set():
            now = utcnow()
            purge = last_purge is None or now - last_purge >= PURGE_EVERY
            health.passed(_one_pass(now, purge))
            if purge and health.problem is None:
                last_purge = now
            stopping.wait(interval)
    except KeyboardInterrupt:
        pass
    finally:
        if server:
            server.shutdown()
    log.info("referral worker stopped")
    return 0


def _one_pass(now: dt.datetime, purge: bool) -> str | None:
    """Runs a pass; returns None, or the kind of error that stopped it (never its text, which
    can hold SQL parameters)."""
    try:
        stats = run_once(now=now, purge=purge)
    except Exception as exc:  # noqa: BLE001  the loop must outlive a database outage
        log.warning("referral worker pass failed: %s; trying again shortly", type(exc).__name__)
        return type(exc).__name__
    if any(stats.values()):
        log.info("referral worker: %s", ", ".join(f"{k} {v}" for k, v in stats.items()))
    return None
