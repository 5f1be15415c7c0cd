import os
from importlib import import_module
from types import SimpleNamespace

import pytest
from django.db import connection

from tests.browser.conftest import chromium, open_page, page  # noqa: F401 - browser fixtures

# The `datasets` library is the consumer of the jsonl format and the dataset folder; it must
# read them without a network (set before it is first imported: it reads these at import).
os.environ["HF_DATASETS_OFFLINE"] = "1"
os.environ["HF_HUB_OFFLINE"] = "1"

FREEZE = import_module("constitutions.migrations.0002_freeze_published_versions")
FREEZE_SCENARIOS = import_module("constitutions.migrations.0006_freeze_published_scenarios")
APPEND_ONLY = import_module("constitutions.migrations.0007_adherence_reports_append_only")
TABLES = (
    "constitutions_adherenceresult",
    "constitutions_adherencereport",
    "constitutions_scenarioproposal",
    "constitutions_scenario",
    "constitutions_ratificationvote",
    "constitutions_ratificationround",
    "constitutions_weightingdecision",
    "constitutions_webhookdelivery",
    "constitutions_consumption",
    "constitutions_editorialstep",
    "constitutions_principlesource",
    "constitutions_principle",
    "constitutions_constitutionversion",
)


@pytest.fixture
def thaw_after(transactional_db):
    """For tests that commit (live server, real worker): published versions and adherence
    reports refuse DELETE, and SQLite's flush deletes row by row, so remove them with the
    triggers briefly lifted."""
    yield
    editor = SimpleNamespace(connection=connection)
    (create, drop), (create_later, drop_first) = (
        FREEZE._statements(editor),
        FREEZE_SCENARIOS._statements(editor),
    )
    # The scenarios' PostgreSQL trigger uses 0002's function: dropped before it, made after it.
    create, drop = create + create_later, drop_first + drop
    reports_create, reports_drop = APPEND_ONLY._statements(editor)
    create, drop = create + reports_create, reports_drop + drop
    with connection.cursor() as cursor:
        for sql in drop:
            cursor.execute(sql)
        for table in TABLES:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
        for sql in create:
            cursor.execute(sql)
