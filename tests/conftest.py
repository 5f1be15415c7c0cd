"""Shared fixtures: the people who use Polity (participant, facilitator, researcher), their world.

Also the two markers that need something outside Python (declared in pyproject.toml):
- `services`: needs the real PostgreSQL and/or Redis (`@pytest.mark.services("postgres")`,
  `("redis")`, or both when no argument is given). Skipped when DATABASE_URL / REDIS_URL is unset,
  except where POLITY_REQUIRE_SERVICES=1 (CI), where that is a failure.
- `browser`: drives Debian's Chromium at /usr/bin/chromium. Skipped when it is missing, except in
  CI (CI is set), where that is a failure: a green CI must have run the browser tests.
"""

import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from tests.factories import make_context, make_conversation, make_participant, make_statement

LOCALE = Path(__file__).resolve().parents[1] / "locale"


def pytest_sessionstart(session):
    # The compiled catalogues are built, never committed (`make messages`). A plain `pytest` after a
    # .po changed (a merge, a new translation) compiles them the same way first, so no test reads
    # stale or missing translations.
    stale = [
        po
        for po in LOCALE.glob("*/LC_MESSAGES/django.po")
        if not po.with_suffix(".mo").exists()
        or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]
    if stale:
        from babel.messages.frontend import CommandLineInterface

        arguments = ["compile", "--domain", "django", "--directory", str(LOCALE)]
        CommandLineInterface().run(["pybabel", "--quiet", *arguments])


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The production hasher is slow by design; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate-limit counters live in the cache; each test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def context(db):
    return make_context()


@pytest.fixture
def conversation(context):
    return make_conversation(context)


@pytest.fixture
def statements(conversation):
    return [
        make_statement(conversation, f"The assistant should do thing number {i}.") for i in range(5)
    ]


@pytest.fixture
def participant(conversation):
    return make_participant(conversation)


@pytest.fixture
def facilitator(context):
    user = get_user_model().objects.create_user(
        "facilitator", password="a-long-facilitator-password"
    )
    context.facilitators.add(user)
    return user


@pytest.fixture
def other_facilitator(db):
    """A facilitator of another context, who must see nothing of `context`."""
    other = make_context(slug="other-context", title="Another context")
    user = get_user_model().objects.create_user("outsider", password="a-long-outsider-password")
    other.facilitators.add(user)
    return user


@pytest.fixture
def facilitator_client(client, facilitator):
    client.force_login(facilitator)
    return client


SERVICE_VARIABLES = {"postgres": "DATABASE_URL", "redis": "REDIS_URL"}
CHROMIUM = "/usr/bin/chromium"


def _flag(name: str) -> bool:
    return os.environ.get(name, "").lower() not in {"", "0", "false", "no"}


def _skip_unless_required(reason: str, *, required: bool) -> None:
    if required:
        pytest.fail(f"{reason}, which this run requires", pytrace=False)
    pytest.skip(reason)


def pytest_runtest_setup(item):
    services = item.get_closest_marker("services")
    if services is not None:
        needed = services.args or tuple(SERVICE_VARIABLES)
        missing = [
            SERVICE_VARIABLES[name]
            for name in needed
            if not os.environ.get(SERVICE_VARIABLES[name])
        ]
        if missing:
            _skip_unless_required(
                f"needs {' and '.join(missing)}", required=_flag("POLITY_REQUIRE_SERVICES")
            )
    if item.get_closest_marker("browser") is not None and not os.path.exists(CHROMIUM):
        _skip_unless_required(f"needs Chromium at {CHROMIUM}", required=_flag("CI"))


@pytest.fixture
def task_worker(transactional_db):
    """A real Celery worker consuming from Redis, in threads of this process, for task tests.

    Use with `@pytest.mark.services`: with REDIS_URL set tasks are not eager, so `.delay()` goes
    through the broker to this worker. It shares the test database (in another connection), so the
    test must commit what the task reads: hence `transactional_db`.
    """
    from celery.contrib.testing.worker import start_worker
    from django.db import connections

    from config.celery import app

    with start_worker(
        app,
        pool="threads",
        concurrency=2,
        perform_ping_check=False,
        queues=["default", "analysis-large"],
    ):
        yield app
    # The worker's threads opened their own connections; close them before the database is flushed.
    connections.close_all()
