"""Production refuses a short or guessable SECRET_KEY (issue 16, finding 11).

With `SECRET_KEY=x` production started (only a `check --deploy` warning), and a participant
cookie forged with that key read another participant's data. Each case starts a fresh
interpreter, since settings are read once, at import.
"""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests.config.test_deploy_settings import PRODUCTION_ENV, ROOT, _manage

GENERATE = "python -c 'import secrets; print(secrets.token_urlsafe(50))'"


@pytest.mark.parametrize(
    "key",
    [
        "x",
        "a" * 80,
        "abcdefghij" * 6,  # long, many characters, but a pattern
        "polity-insecure-development-key-do-not-use-in-production-0123456789",
        "django-insecure-" + secrets.token_urlsafe(50),
        "collectstatic-only",
    ],
)
def test_secret_key_short_or_well_known_is_refused_in_production(key):
    result = _manage("check", SECRET_KEY=key, **PRODUCTION_ENV)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert GENERATE in result.stderr  # the message says how to make a good one


@pytest.mark.parametrize("key", [secrets.token_urlsafe(50), secrets.token_hex(32)])
def test_secret_key_generated_at_random_is_accepted_in_production(key):
    result = _manage("check", SECRET_KEY=key, **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr


def test_secret_key_is_not_checked_in_development():
    # DEBUG on (the embedded default and the test suites) keeps whatever key it is given.
    result = _manage("check", SECRET_KEY="x", DEBUG="true")
    assert result.returncode == 0, result.stderr


def test_secret_key_dockerfile_build_step_runs_with_production_settings(tmp_path):
    """Replays the Dockerfile's collectstatic step, under the key it sets, as the build does."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    step = re.search(r"&& (DEBUG=false .*?collectstatic --noinput)", dockerfile, re.S).group(1)
    venv_bin = str(Path(sys.executable).parent)
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV and k != "SECRET_KEY"}
    result = subprocess.run(  # noqa: S603 - the Dockerfile's own command, run by a shell
        ["/bin/sh", "-c", step],
        cwd=ROOT,
        env={**clean, "PATH": venv_bin + os.pathsep + clean["PATH"], "STATIC_ROOT": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "staticfiles.json").exists()


def test_secret_key_compose_generator_gives_a_key_production_accepts():
    compose = (ROOT / "docker-compose.yml").read_text()
    assert "secrets.token_urlsafe(50)" in compose  # the command compose's comment tells you to run
    generated = subprocess.run(
        [sys.executable, "-c", "import secrets; print(secrets.token_urlsafe(50))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert _manage("check", SECRET_KEY=generated, **PRODUCTION_ENV).returncode == 0
