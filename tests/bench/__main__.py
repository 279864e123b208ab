"""``make bench``: how well and how fast Front Door understands, measured.

1. Held-out NLU accuracy per intent (tests/nlu/heldout_*.yml, never used for training), for
   English and for every other locale: accuracy, weighted F1, the share production understands
   (a fallback counts as wrong there), and each locale's worst intents.
2. Language detection (content.language_detection.detect_locale) on every held-out set: the share
   of messages given their own locale, given none ("cannot say"), or given another locale.
3. Crisis detection on the test corpora: misses, false alarms, time per message.
4. The chosen configuration (bot/config.yml, the model `make train` built), then each candidate in
   tests/bench/candidates/*.yml: held-out accuracy, end-to-end turn latency through the REST
   channel with the real action server, and the Rasa server's memory. Candidates are compared
   like for like with the chosen configuration trained on the English data alone and scored on
   the English held-out sets: Rasa's default pipeline (DIET, TED, UnexpecTED) needs over an hour
   of CPU on all eleven locales' data, a quarter of an hour on English. With
   --candidates-on-every-locale they are trained on every locale's data instead.
5. For the chosen configuration, English held-out accuracy trained with and without the other
   locales' data (bot/data/nlu/<locale>/), so adding a language is seen not to cost English.
6. With --per-locale-models: one model per locale trained on that locale's data alone, against
   the one multilingual model, on each locale's held-out set.

Targets (checked, and printed as PASS or FAIL): held-out accuracy of the chosen config >= 95%
(English) and each locale's floor in tests/test_nlu_locales.py; every crisis line caught and no
ordinary line flagged as crisis; median turn <= 100 ms and 95th percentile <= 250 ms on this
machine; Rasa server resident memory <= 1,500 MB.

Every training takes /tmp/frontdoor-train.lock first, as `flock /tmp/frontdoor-train.lock make
train` does, so benches and trainings on a shared machine run one at a time.

Usage: python -m tests.bench [--skip-candidates | --candidates NAME ...] [--turns N]
                             [--skip-locale-effect] [--per-locale-models] [--candidates-on-every-locale]
"""
from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import requests
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "bot"))

import services  # noqa: E402

from components.crisis import CrisisDetector  # noqa: E402
from content import db, store  # noqa: E402
from tests.test_nlu_locales import FLOORS, LOCALES  # noqa: E402

RASA = ROOT / ".venv" / "rasa" / "bin" / "rasa"
RASA_PY = ROOT / ".venv" / "rasa" / "bin" / "python"
NLU_EVAL = Path(__file__).with_name("nlu_eval.py")
TRAIN_LOCK = Path("/tmp/frontdoor-train.lock")
OUT = ROOT / "bench-results"
ORDER = ["en"] + LOCALES  # English first, then the other locales in the reply contract's order


def locale_of(path: Path) -> str:
    """heldout_en_blind.yml -> "en"."""
    return path.stem.split("_")[1]


HELDOUT = sorted((ROOT / "tests" / "nlu").glob("heldout_*.yml"),
                 key=lambda p: (ORDER.index(locale_of(p)) if locale_of(p) in ORDER else len(ORDER), p.stem))
ENGLISH_HELDOUT = [p for p in HELDOUT if locale_of(p) == "en"]
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


@contextlib.contextmanager
def train_lock():
    """One training at a time on this machine (the lock `flock /tmp/frontdoor-train.lock` takes)."""
    with open(TRAIN_LOCK, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def train(config: Path, name: str, data: Path = ROOT / "bot" / "data") -> Path:
    out = OUT / "models"
    with train_lock():
        rasa("train", "--config", str(config), "--domain", "domain.yml", "--data", str(data),
             "--out", str(out), "--fixed-model-name", name)
    return out / f"{name}.tar.gz"


def train_nlu(config: Path, name: str, nlu: Path) -> Path:
    """An NLU-only model on the training data in ``nlu`` (a folder), for the comparisons below."""
    out = OUT / "models"
    with train_lock():
        rasa("train", "nlu", "--config", str(config), "--nlu", str(nlu), "--domain", "domain.yml",
             "--out", str(out), "--fixed-model-name", name)
    return out / f"{name}.tar.gz"


def heldout_report(model: Path, name: str, files: list[Path] | None = None) -> dict:
    """Every held-out set's results for one model (tests/bench/nlu_eval.py loads it once)."""
    out = OUT / f"nlu-{name}.json"
    subprocess.run([str(RASA_PY), str(NLU_EVAL), "--model", str(model), "--out", str(out),
                    *map(str, files or HELDOUT)],
                   cwd=ROOT / "bot", env=ENV, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return json.loads(out.read_text(encoding="utf-8"))


def intent_rows(report: dict) -> list[tuple[str, dict]]:
    return [(intent, row) for intent, row in sorted(report.items())
            if isinstance(row, dict) and "support" in row and intent not in ("macro avg", "weighted avg", "micro avg")]


def worst_intents(result: dict, count: int = 4) -> str:
    rows = sorted((row["f1-score"], intent) for intent, row in intent_rows(result["report"]) if row["support"])
    return ", ".join(f"{intent} {f1:.2f}" for f1, intent in rows[:count])


def print_report(reports: dict) -> float:
    """Prints every held-out set's results; returns the English accuracy."""
    for name, result in reports.items():
        print(f"\n  {name}: accuracy {result['accuracy']:.1%}, weighted F1 {result['weighted_f1']:.3f}, "
              f"understood in production {result['understood']:.1%} ({result['fallbacks']} of {result['n']} "
              f"not understood)")
        if name.startswith("heldout_en"):
            print(f"  {'intent':<22}{'precision':>10}{'recall':>8}{'f1':>7}{'n':>5}")
            for intent, row in intent_rows(result["report"]):
                print(f"  {intent:<22}{row['precision']:>10.2f}{row['recall']:>8.2f}{row['f1-score']:>7.2f}{row['support']:>5}")
        else:
            print(f"  worst intents (F1): {worst_intents(result)}")
    trained = training_lines()
    print(f"\n  {'held-out set':<14}{'n':>5}{'accuracy':>10}{'weighted F1':>13}{'understood':>12}"
          f"{'in training':>13}  worst intents (F1)")
    for name, result in reports.items():
        path = ROOT / "tests" / "nlu" / f"{name}.yml"
        leaked = sum(line.strip().casefold() in trained for line in nlu_lines(path)) if path.exists() else 0
        print(f"  {name[8:]:<14}{result['n']:>5}{result['accuracy']:>10.1%}{result['weighted_f1']:>13.3f}"
              f"{result['understood']:>12.1%}{leaked:>13}  {worst_intents(result, 3)}")
    print("  (in training: held-out lines that are also, word for word, training lines; they flatter accuracy)")
    return reports["heldout_en"]["accuracy"]


def training_lines() -> set[str]:
    """Every training line in bot/data/nlu and its locale folders, lower case."""
    return {line.strip().casefold() for path in (ROOT / "bot" / "data" / "nlu").rglob("*.yml")
            for line in nlu_lines(path)}


def nlu_lines(path: Path) -> list[str]:
    """The example lines of an NLU file (training or held out), in order."""
    lines = []
    for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
        lines += [line[2:].strip() for line in str(block.get("examples", "")).splitlines() if line.startswith("- ")]
    return lines


def language_detection_bench() -> None:
    """How often detect_locale names each held-out set's own locale, names none, or another."""
    print("\n== Language detection on the held-out sets ==")
    try:
        from content.language_detection import detect_locale
    except ImportError as error:
        print(f"  not available: content.language_detection cannot be imported ({error})")
        return
    print(f"  {'locale':<8}{'n':>5}{'right':>8}{'none':>8}{'wrong':>8}  taken for")
    for path in HELDOUT:
        locale = locale_of(path)
        found = [detect_locale(line) for line in nlu_lines(path)]
        right, none = found.count(locale), found.count(None)
        others = sorted({f for f in found if f not in (locale, None)}, key=lambda f: -found.count(f))
        wrong = len(found) - right - none
        print(f"  {path.stem[8:]:<8}{len(found):>5}{right / len(found):>8.1%}{none / len(found):>8.1%}"
              f"{wrong / len(found):>8.1%}  {', '.join(f'{o} {found.count(o)}' for o in others)}")


def english_only_data() -> Path:
    """A copy of bot/data without the other locales' folders (bot/data/nlu/<locale>/)."""
    data = OUT / "data-en-only"
    shutil.rmtree(data, ignore_errors=True)
    shutil.copytree(ROOT / "bot" / "data", data, ignore=lambda folder, names: [
        n for n in names if Path(folder).name == "nlu" and n in LOCALES])
    return data / "nlu"


def measure(name: str, model: Path, files: list[Path] | None, turns: int,
            trained: float | None) -> tuple[dict, tuple]:
    """One model's held-out results, turn latency and memory; prints them and returns the reports
    and a summary row."""
    reports = heldout_report(model, name, files)
    accuracy = print_report(reports)
    median, p95, memory = latency_bench(model, turns)
    print(f"\n  turn latency over {turns} turns: median {median:.0f} ms, 95th percentile {p95:.0f} ms;"
          f" Rasa server memory {memory:.0f} MB")
    return reports, (name, accuracy, median, p95, memory, trained)


def check_targets(reports: dict, row: tuple) -> None:
    """The chosen model against the targets in this module's docstring."""
    _, accuracy, median, p95, memory, _ = row
    check("held-out accuracy >= 95%", accuracy >= 0.95)
    for locale, floor in FLOORS.items():
        if f"heldout_{locale}" in reports:
            check(f"{locale} held-out accuracy >= its floor {floor:.0%}", reports[f"heldout_{locale}"]["accuracy"] >= floor)
    check("median turn <= 100 ms", median <= 100)
    check("95th percentile turn <= 250 ms", p95 <= 250)
    check("Rasa server memory <= 1500 MB", memory <= 1500)


def compare_candidates(chosen: Path, names: list[str] | None, every_locale: bool, turns: int) -> list[tuple]:
    """Each candidate beside the chosen configuration, trained on the same data."""
    data = ROOT / "bot" / "data" if every_locale else english_only_data().parent
    files = None if every_locale else ENGLISH_HELDOUT
    configs = [] if every_locale else [("chosen-en", chosen)]  # on every locale, the chosen row is it
    configs += [(p.stem, p) for p in sorted((Path(__file__).parent / "candidates").glob("*.yml"))
                if not names or p.stem in names]
    rows = []
    for name, config in configs:
        print(f"\n== {name}: {config.relative_to(ROOT)}, trained on "
              f"{'every locale' if every_locale else 'the English data alone'} ==")
        start = time.perf_counter()
        model = train(config, name if every_locale else f"{name}-en-only", data)
        rows.append(measure(name, model, files, turns, time.perf_counter() - start)[1])
    return rows


def locale_effect(config: Path, chosen: dict) -> None:
    """English held-out accuracy of the chosen model against the same config on English data only."""
    print("\n== English with and without the other locales' training data ==")
    model = train_nlu(config, "english-only", english_only_data())
    alone = heldout_report(model, "english-only", ENGLISH_HELDOUT)
    for name, result in alone.items():
        both = chosen[name]
        print(f"  {name}:")
        for label, r in (("with every locale (the chosen model)", both), ("English training data only", result)):
            print(f"    {label:<38} accuracy {r['accuracy']:.1%}, weighted F1 {r['weighted_f1']:.3f}, "
                  f"understood {r['understood']:.1%}")
        print(f"    difference: {both['accuracy'] - result['accuracy']:+.1%} accuracy")


def per_locale_models(config: Path, chosen: dict) -> None:
    """Each locale alone, in a model of its own, against the one multilingual model."""
    print("\n== One model per locale (that locale's training data alone) against one model for all ==")
    print(f"  {'locale':<8}{'multilingual':>14}{'per locale':>12}{'difference':>12}")
    for locale in LOCALES:
        path = ROOT / "tests" / "nlu" / f"heldout_{locale}.yml"
        if not path.exists() or not (ROOT / "bot" / "data" / "nlu" / locale).is_dir():
            continue
        model = train_nlu(config, f"only-{locale}", ROOT / "bot" / "data" / "nlu" / locale)
        alone = heldout_report(model, f"only-{locale}", [path])[path.stem]
        both = chosen[path.stem]
        print(f"  {locale:<8}{both['accuracy']:>14.1%}{alone['accuracy']:>12.1%}"
              f"{alone['accuracy'] - both['accuracy']:>+12.1%}")


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
    parser.add_argument("--skip-locale-effect", action="store_true",
                        help="do not train the chosen config on English data alone")
    parser.add_argument("--per-locale-models", action="store_true",
                        help="also train one model per locale and compare it with the multilingual one")
    parser.add_argument("--candidates-on-every-locale", action="store_true",
                        help="train the candidates on every locale's data, not the English data alone (slow)")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    language_detection_bench()
    crisis_bench()
    config = ROOT / "bot" / "config.yml"
    print(f"\n== chosen: {config.relative_to(ROOT)}, the model `make train` built ==")
    reports, row = measure("chosen", services.MODEL, None, args.turns, None)
    check_targets(reports, row)
    if not args.skip_locale_effect:
        locale_effect(config, reports)
    if args.per_locale_models:
        per_locale_models(config, reports)
    summary = [row]
    if not args.skip_candidates:
        summary += compare_candidates(config, args.candidates, args.candidates_on_every_locale, args.turns)
    print(f"\n== Summary (accuracy: tests/nlu/heldout_en.yml) ==\n  {'config':<10}{'accuracy':>10}{'median ms':>11}"
          f"{'p95 ms':>8}{'RSS MB':>8}{'train s':>9}")
    for name, accuracy, median, p95, memory, trained in summary:
        took = f"{trained:>9.0f}" if trained else f"{'(make train)':>13}"
        print(f"  {name:<10}{accuracy:>10.1%}{median:>11.0f}{p95:>8.0f}{memory:>8.0f}{took}")
    failed = [label for label, ok in results if not ok]
    print(f"\n{len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
