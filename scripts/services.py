"""Starts Front Door's four services, waits until each is healthy, and stops them together.

``make run`` runs this in the foreground (Ctrl-C stops everything); the end-to-end tests use
``Stack`` to start the same services on free ports.

    action server  .venv/app   python -m rasa_sdk            GET /health
    Rasa server    .venv/rasa  python bot/serve.py run       GET /status
    web app        .venv/app   gunicorn 'admin:create_app()' GET /healthz
    outbox worker  .venv/app   python -m content.referrals   GET /health   (referral e-mail and webhook)
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_PY = ROOT / ".venv" / "app" / "bin" / "python"
RASA_PY = ROOT / ".venv" / "rasa" / "bin" / "python"
MODEL = ROOT / "models" / "frontdoor.tar.gz"


@dataclass
class Ports:
    rasa: int = int(os.environ.get("RASA_PORT", 5005))
    actions: int = int(os.environ.get("ACTION_PORT", 5055))
    web: int = int(os.environ.get("WEB_PORT", 8000))
    worker: int = int(os.environ.get("WORKER_PORT", 5056))


@dataclass
class Service:
    name: str
    argv: list[str]
    cwd: Path
    health: str
    process: subprocess.Popen | None = field(default=None, repr=False)


def environment(ports: Ports, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "PYTHONPATH": str(ROOT),
        "ACTION_SERVER_URL": f"http://localhost:{ports.actions}/webhook",
        "RASA_TRACKER_DB": str(ROOT / "var" / "conversations.db"),
        "FRONTDOOR_RASA_URL": env.get("FRONTDOOR_RASA_URL", f"http://localhost:{ports.rasa}"),
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    })
    env.update(extra or {})
    return env


def services(ports: Ports, model: Path = MODEL) -> list[Service]:
    cors = os.environ.get("FRONTDOOR_CORS_ORIGINS", f"http://localhost:{ports.web}")
    return [
        Service("actions", [str(APP_PY), "-m", "rasa_sdk", "--actions", "actions", "--port", str(ports.actions)],
                ROOT, f"http://localhost:{ports.actions}/health"),
        Service("rasa", [str(RASA_PY), "serve.py", "run", "--model", str(model), "--port", str(ports.rasa),
                         "--credentials", "credentials.yml", "--endpoints", "endpoints.yml", "--cors", *cors.split(",")],
                ROOT / "bot", f"http://localhost:{ports.rasa}/status"),
        Service("web", [str(APP_PY), "-m", "gunicorn", "--bind", f"127.0.0.1:{ports.web}", "--workers", "2",
                        "--access-logfile", "-", "admin:create_app()"],
                ROOT, f"http://localhost:{ports.web}/healthz"),
        Service("outbox", [str(APP_PY), "-m", "content.referrals", "worker", "--interval", "5",
                           "--port", str(ports.worker)],
                ROOT, f"http://localhost:{ports.worker}/health"),
    ]


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as reply:
            return reply.status == 200
    except OSError:
        return False


def _relay(name: str, stream, sink) -> None:
    for line in iter(stream.readline, b""):
        sink.write(f"[{name}] {line.decode(errors='replace')}")
        sink.flush()


class Stack:
    """The running services. Output goes to the terminal, prefixed, or to files in log_dir."""

    def __init__(self, ports: Ports, env: dict[str, str], log_dir: Path | None = None, model: Path = MODEL):
        self.ports, self.env, self.log_dir = ports, env, log_dir
        self.services = services(ports, model)

    def start(self, timeout: float = 180) -> "Stack":
        for service in self.services:
            if self.log_dir:
                self.log_dir.mkdir(parents=True, exist_ok=True)
                out = open(self.log_dir / f"{service.name}.log", "wb")
                service.process = subprocess.Popen(service.argv, cwd=service.cwd, env=self.env, stdout=out,
                                                   stderr=subprocess.STDOUT, start_new_session=True)
            else:
                service.process = subprocess.Popen(service.argv, cwd=service.cwd, env=self.env, stdout=subprocess.PIPE,
                                                   stderr=subprocess.STDOUT, start_new_session=True)
                threading.Thread(target=_relay, args=(service.name, service.process.stdout, sys.stdout),
                                 daemon=True).start()
        deadline = time.monotonic() + timeout
        for service in self.services:
            while not healthy(service.health):
                if service.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"{service.name} did not start (see its output above or its log)")
                time.sleep(0.5)
        return self

    def stop(self) -> None:
        for service in self.services:
            if service.process and service.process.poll() is None:
                os.killpg(service.process.pid, signal.SIGTERM)
        for service in self.services:
            if service.process:
                try:
                    service.process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(service.process.pid, signal.SIGKILL)

    def __enter__(self) -> "Stack":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def wait(self) -> int:
        """Blocks until Ctrl-C or until a service dies; then stops them all."""
        try:
            while all(s.process.poll() is None for s in self.services):
                time.sleep(0.5)
            dead = [s.name for s in self.services if s.process.poll() is not None]
            print(f"stopped because {', '.join(dead)} exited", file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            return 0
        finally:
            self.stop()


def _interrupt(*_) -> None:
    raise KeyboardInterrupt


def main() -> int:
    ports = Ports()
    signal.signal(signal.SIGTERM, _interrupt)
    stack = Stack(ports, environment(ports)).start()
    print(f"\nFront Door is running:\n  web page and chat   http://localhost:{ports.web}/\n"
          f"  staff admin         http://localhost:{ports.web}/admin\n"
          f"  Rasa server         http://localhost:{ports.rasa}/status\n"
          f"  action server       http://localhost:{ports.actions}/health\n"
          f"  referral worker     http://localhost:{ports.worker}/health\nPress Ctrl-C to stop.\n", flush=True)
    return stack.wait()


if __name__ == "__main__":
    sys.exit(main())
