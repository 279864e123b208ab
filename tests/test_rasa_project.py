"""The Rasa project itself: its data is valid and the trained model follows the test stories."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RASA = ROOT / ".venv" / "rasa" / "bin" / "rasa"
MODEL = ROOT / "models" / "frontdoor.tar.gz"
ENV = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "PYTHONPATH": str(ROOT),
       # endpoints.yml names these; the tests' own values keep the developer's files untouched
       "ACTION_SERVER_URL": "http://localhost:9/webhook", "RASA_TRACKER_DB": "/tmp/frontdoor-rasa-test.db"}


def rasa(*args: str, cwd: Path = ROOT / "bot") -> subprocess.CompletedProcess:
    return subprocess.run([str(RASA), *args], cwd=cwd, env=ENV, capture_output=True, text=True, timeout=600)


def test_rasa_data_validate_passes():
    result = rasa("data", "validate", "--domain", "domain.yml", "--data", "data", "--config", "config.yml")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_the_model_follows_every_test_story(tmp_path):
    result = rasa("test", "core", "--model", str(MODEL), "--stories", "tests/test_stories.yml",
                  "--out", str(tmp_path), "--fail-on-prediction-errors")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    failed = (tmp_path / "failed_test_stories.yml").read_text()
    assert "story:" not in failed, failed
