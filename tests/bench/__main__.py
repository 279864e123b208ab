"""``make bench``: how well and how fast Front Door understands, measured.

1. Held-out NLU accuracy per intent (tests/nlu/heldout_*.yml, never used for training).
2. Crisis detection on the test corpora: misses, false alarms, time per message.
3. For each candidate configuration (bot/config.yml, and tests/bench/candidates/*.yml): train,
   then measure held-out accuracy, end-to-end turn latency through the REST channel with the real
   action server, and the Rasa server's memory.

Targets (checked, and printed as PASS or FAIL): held-out accuracy of the chosen config >= 95%;
every crisis line caught and no ordinary line flagged as crisis; median turn <= 100 ms and
95th percentile <= 250 ms on this machine; Rasa server resident memory <= 1,500 MB.

Usage: python -m tests.bench [--skip-candidates | --candidates NAME ...] [--turns N]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "bot"))

import services  # noqa: E402

from components.crisis import CrisisDetector  # noqa: E402
from content import db, store  # noqa: E402

RASA = ROOT / ".venv" / "rasa" / "bin" / "rasa"
OUT = ROOT / "bench-results"
HELDOUT = sorted((ROOT / "tests" / "nlu").glob("heldout_*.yml"))
CRISIS_DATA = ROOT / "bot" / "components" / "crisis_corpus"
HELDOUT_DIRS = sorted((ROOT / "tests" / "data" / "crisis").glob("heldout*"))
CRISIS_LOCALE_DIRS = sorted(d for d in (ROOT / "tests" / "data" / "crisis").iterdir()
                            if d.is_dir() and not d.name.startswith("heldout"))
ENV = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "2"}
TURNS = ["hello", "how do i get a stairlift", "can my dad get a pendant alarm", "what is a carers assessment",
         "do i have to pay for care", "can i speak to a person", "bins", "help", "thanks", "bye"]
results: list[tuple[str, bool]] = []


def check(label: str, ok: bool) -> None:
    results.append((label, ok))
    print(f"  [{'PASS' if ok else 'FAIL'}] {label}")


def rasa(*args: str) -> None:
    subprocess.run([str(RASA), *args], cwd=ROOT / "bot", env=ENV, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def train(config: Path, name: str) -> Path:
    out = OUT / "models"
    rasa("train", "--config", str(config), "--domain", "domain.yml", "--data", "data",
         "--out", str(out), "--fixed-model-name", name)
    return out / f"{name}.tar.gz"


def heldout_report(model: Path, name: str) -> dict:
    reports = {}
    for path in HELDOUT:
        out = OUT / f"nlu-{name}-{path.stem}"
        rasa("test", "nlu", "--model", str(model), "--nlu", str(path), "--out", str(out))
        reports[path.stem] = json.loads((out / "intent_report.json").read_text())
    return reports


def print_report(reports: dict) -> float:
    accuracy = 0.0
    for name, report in reports.items():
        accuracy = report["accuracy"]
        print(f"\n  {name}: accuracy {accuracy:.1%}, weighted F1 {report['weighted avg']['f1-score']:.3f}")
        print(f"  {'intent':<22}{'precision':>10}{'recall':>8}{'f1':>7}{'n':>5}")
        for intent, row in sorted(report.items()):
            if isinstance(row, dict) and "support" in row and intent not in ("macro avg", "weighted avg", "micro avg"):
                print(f"  {intent:<22}{row['precision']:>10.2f}{row['recall']:>8.2f}{row['f1-score']:>7.2f}{row['support']:>5}")
    return accuracy


def crisis_sets() -> list[tuple[str, Path]]:
    """The tuning corpus (the detector learns from it), the held-out sets (never tuned on) and each
    locale's set (written alongside that language's rules: a check, not a blind measure)."""
    return ([("tuning corpus", CRISIS_DATA)] + [(f"held out: {d.name}", d) for d in HELDOUT_DIRS]
            + [(f"locale {d.name}", d) for d in CRISIS_LOCALE_DIRS])


def crisis_bench() -> None:
    print("\n== Crisis detection ==")
    detector = CrisisDetector()
    for label, folder in crisis_sets():
        for path in sorted(folder.glob("*_crisis.txt")):
            lines = [l.split("|", 1)[-1] for l in path.read_text().splitlines() if l.strip() and not l.startswith("#")]
            levels = [detector.assess(l).level for l in lines]
            crisis, concern = levels.count("crisis"), levels.count("concern")
            print(f"  {label} {path.name}: {crisis}/{len(lines)} crisis ({crisis / len(lines):.1%}), "
                  f"{concern} more shown the numbers as a concern, {levels.count('none')} missed")
            for line, level in zip(lines, levels):
                if level == "none":
                    print(f"    missed: {line}")
            if label == "tuning corpus":
                check(f"{path.name}: every crisis in the tuning corpus caught", crisis == len(lines))
            else:
                check(f"{label}: at least 97% of crises shown the numbers", (crisis + concern) / len(lines) >= 0.97)
        for path in sorted(folder.glob("*_ordinary.txt")):
            lines = [l for l in path.read_text().splitlines() if l.strip() and not l.startswith("#")]
            levels = [detector.assess(l).level for l in lines]
            flagged = levels.count("crisis")
            print(f"  {label} {path.name}: {flagged}/{len(lines)} wrongly crisis ({flagged / len(lines):.1%}), "
                  f"{levels.count('concern')} shown the numbers as a concern")
            check(f"{label} {path.name}: at most 2% of ordinary messages taken for a crisis",
                  flagged / len(lines) <= 0.02)
    sample = [l for p in CRISIS_DATA.glob("*.txt") for l in p.read_text().splitlines()]
    start = time.perf_counter()
    for _ in range(5):
        for line in sample:
            detector.assess(line)
    per = (time.perf_counter() - start) / (5 * len(sample)) * 1e6
    print(f"  {per:.0f} microseconds per message ({len(sample)} messages x 5)")


def rss_mb(pid: int) -> float:
    total = 0
    for child in [pid] + [int(p) for p in subprocess.run(["pgrep", "-P", str(pid)], capture_output=True,
                                                         text=True).stdout.split()]:
        try:
            for line in Path(f"/proc/{child}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total / 1024


def latency_bench(model: Path, turns: int) -> tuple[float, float, float]:
    home = Path(tempfile.mkdtemp(prefix="frontdoor-bench-"))
    url = f"sqlite:///{home / 'frontdoor.db'}"
    db.migrate(url)
    with db.session_scope(db.engine_for(url)) as session:
        store.load_if_empty(session)
    ports = services.Ports(rasa=15005, actions=15055, web=18000, worker=15056)
    env = services.environment(ports, {"DATABASE_URL": url, "RASA_TRACKER_DB": str(home / "conv.db")})
    with services.Stack(ports, env, log_dir=home / "logs", model=model) as stack:
        endpoint = f"http://localhost:{ports.rasa}/webhooks/rest/webhook"
        session = requests.Session()
        for text in TURNS:  # warm up
            session.post(endpoint, json={"sender": "warm", "message": text}, timeout=30)
        times = []
        for index in range(turns):
            sender = uuid.uuid4().hex if index % len(TURNS) == 0 else sender
            start = time.perf_counter()
            session.post(endpoint, json={"sender": sender, "message": TURNS[index % len(TURNS)]}, timeout=30)
            times.append((time.perf_counter() - start) * 1000)
        rasa_pid = next(s.process.pid for s in stack.services if s.name == "rasa")
        memory = rss_mb(rasa_pid)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], memory


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-candidates", action="store_true", help="measure only bot/config.yml")
    parser.add_argument("--candidates", nargs="*", help="only these candidates (file names without .yml)")
    parser.add_argument("--turns", type=int, default=200)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    crisis_bench()
    candidates = [("chosen", ROOT / "bot" / "config.yml")]
    if not args.skip_candidates:
        candidates += [(p.stem, p) for p in sorted((Path(__file__).parent / "candidates").glob("*.yml"))
                       if not args.candidates or p.stem in args.candidates]
    summary = []
    for name, config in candidates:
        print(f"\n== {name}: {config.relative_to(ROOT)} ==")
        start = time.perf_counter()
        model = services.MODEL if name == "chosen" else train(config, name)
        trained = time.perf_counter() - start
        accuracy = print_report(heldout_report(model, name))
        median, p95, memory = latency_bench(model, args.turns)
        print(f"\n  turn latency over {args.turns} turns: median {median:.0f} ms, 95th percentile {p95:.0f} ms;"
              f" Rasa server memory {memory:.0f} MB")
        summary.append((name, accuracy, median, p95, memory, trained))
        if name == "chosen":
            check("held-out accuracy >= 95%", accuracy >= 0.95)
            check("median turn <= 100 ms", median <= 100)
            check("95th percentile turn <= 250 ms", p95 <= 250)
            check("Rasa server memory <= 1500 MB", memory <= 1500)
    print(f"\n== Summary ==\n  {'config':<10}{'accuracy':>10}{'median ms':>11}{'p95 ms':>8}{'RSS MB':>8}")
    for name, accuracy, median, p95, memory, _ in summary:
        print(f"  {name:<10}{accuracy:>10.1%}{median:>11.0f}{p95:>8.0f}{memory:>8.0f}")
    failed = [label for label, ok in results if not ok]
    print(f"\n{len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
