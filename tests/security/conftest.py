import pytest
from django.db import transaction

from tests.browser.conftest import chromium, open_page  # noqa: F401 - browser fixtures
from tests.constitutions.conftest import thaw_after  # noqa: F401 - frees published versions
from tests.security.world import make_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One world per test module (building it runs two analyses, a few seconds).

    It is written inside a transaction that is rolled back after the module; each test's own
    `db` transaction nests in it as a savepoint, so tests still cannot see each other's writes.
    Not for live-server tests: another connection cannot see the uncommitted world.
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield make_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
