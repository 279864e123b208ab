"""The worker process: `python -m content.referrals worker`, its /health, and its loop
outliving a database outage."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

from content.referrals import spool, submit, worker

from .conftest import details, free_port

ROOT = Path(__file__).resolve().parents[2]


def wait_for(check, timeout: float = 20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return True
        except requests.RequestException:
            pass
        time.sleep(0.1)
    return False


def test_the_worker_process_reports_health_imports_the_spool_and_stops_on_sigterm(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'down' / 'frontdoor.db'}")
    monkeypatch.setattr("content.referrals.PAUSE", 0)
    assert submit(details()).stored is False
    (tmp_path / "down").mkdir()
    url = f"sqlite:///{tmp_path / 'down' / 'frontdoor.db'}"
    subprocess.run([sys.executable, "-m", "content", "init"], cwd=ROOT, check=True, capture_output=True,
                   env={**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)})
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "content.referrals", "worker", "--interval", "0.2",
                                "--port", str(port)], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        assert wait_for(lambda: requests.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200)
        assert wait_for(lambda: spool.pending() == [])
        assert requests.get(f"http://127.0.0.1:{port}/health", timeout=1).json()["status"] == "ok"
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=15)[0].decode()
    assert process.returncode == 0, output
    assert "imported 1" in output and "Margaret" not in output


def test_a_pass_with_the_database_down_is_reported_not_fatal(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'no' / 'such' / 'frontdoor.db'}")
    assert worker._one_pass(worker.utcnow(), purge=True) == "OperationalError"


def test_health_says_starting_then_ok_then_stalled(monkeypatch):
    health = worker.Health(interval=5)
    assert health.report()[0] == 503
    health.passed("OperationalError")
    assert health.report() == (200, {"status": "ok", "problem": "OperationalError"})
    monkeypatch.setattr(worker.time, "monotonic", lambda: health.last_pass + 61)
    assert health.report()[0] == 503
