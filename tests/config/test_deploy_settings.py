"""The production shape: settings that pass `check --deploy`, a compose file that holds together."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "false",
    "ALLOWED_HOSTS": "polity.example.org",
    "DATABASE_URL": "postgres://polity@db.example.org:5432/polity",
    "REDIS_URL": "redis://cache.example.org:6379/0",
}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # A fresh interpreter: settings are read from the environment once, at import.
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV and k != "SECRET_KEY"}
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_variables():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=secrets.token_urlsafe(50),
        **PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_settings_refuse_to_start_without_secret_key_when_debug_is_off():
    result = _manage("check", **PRODUCTION_ENV)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.fixture(scope="module")
def compose():
    yaml = pytest.importorskip("yaml")
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_web_waits_for_healthy_database_and_broker(compose):
    services = compose["services"]
    assert set(services) >= {"postgres", "redis", "web", "worker"}
    for name in ("postgres", "redis", "web"):
        assert services[name]["healthcheck"]["test"], name
    for name in ("web", "worker"):
        needs = services[name]["depends_on"]
        assert needs["postgres"]["condition"] == needs["redis"]["condition"] == "service_healthy"
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])


def test_compose_runs_production_settings_and_a_worker_per_queue(compose):
    services = compose["services"]
    for name in ("web", "worker"):
        environment = services[name]["environment"]
        assert environment["DEBUG"] == "false"
        assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS"} <= set(environment)
        # No secret key is committed: compose must refuse to start without one.
        assert environment["SECRET_KEY"].startswith("${SECRET_KEY:?")
    worker = services["worker"]["command"]
    assert worker[:4] == ["celery", "-A", "config", "worker"]
    assert worker[worker.index("-Q") + 1] == "default"
    assert "-B" in worker  # beat runs the sweeps
    large = services["worker-large"]["command"]
    assert large[large.index("-Q") + 1] == "analysis-large"
    assert "migrate" in " ".join(services["web"]["command"])


def test_dockerfile_runs_as_non_root_after_collecting_static_files():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert dockerfile.startswith("#") and "FROM python:3.11-slim" in dockerfile
    assert "collectstatic" in dockerfile
    user_line = dockerfile.index("\nUSER polity")
    assert user_line > dockerfile.index("collectstatic")
    assert dockerfile.index("CMD") > user_line
