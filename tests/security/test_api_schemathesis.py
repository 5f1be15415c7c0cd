"""schemathesis against the OpenAPI schema at /api/schema/: every operation, with no token and
with a token of each scope, over a world with real content (contexts, a published version, an
analysed conversation). No request may give a server error, and every answer must match the
schema: its status documented, its content type and its body as declared.

Generated path parameters and bodies are mixed with the world's real ones (the hooks below), so
the cases reach past "404 not found" into the code that renders real data.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application

AUTHS = ("none", "constitutions", "raw")
EXAMPLES_PER_TEST = 30  # 14 operations x 3 ways to authenticate x 30 = 1,260 cases
MINIMUM_CASES = 1_000
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
# What the hooks may put in place of a generated value; filled from the world by each test.
REAL: dict[str, list] = {}
CASES: dict[tuple[str, str], int] = {}


def _mixed_with_real(values):
    """Each generated value, or one of the world's real ones for the same name."""
    if not isinstance(values, dict):
        return st.just(values)
    return st.fixed_dictionaries(
        {name: st.sampled_from([value, *REAL.get(name, [])]) for name, value in values.items()}
    )


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    return _mixed_with_real(path_parameters)


@schema.hook
def flatmap_body(context, body):
    return _mixed_with_real(body)


@pytest.fixture(scope="module")
def connection_kept():
    """schemathesis calls the real WSGI handler, which closes the database connection after each
    request; the test's transaction lives on that connection (PostgreSQL's pool hands it back),
    so do what Django's test client does and leave it open. For the whole module, around the
    module's world: a response closed late (when it is garbage-collected) still fires
    request_finished, and closing the connection then would break every later test's
    transaction."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def real_values(connection_kept, world, db):
    REAL.clear()
    REAL.update(
        slug=[world.a.context.slug, world.b.context.slug],
        context=[world.a.context.slug],
        version=["1.0.0", "latest"],
        other=["1.0.0"],
        conversation=[world.a.conversation.public_id, world.b.conversation.public_id],
        snapshot=[world.a.snapshot.pk, world.b.snapshot.pk],
        content_sha256=[world.a.published.content_sha256],
    )
    return world


@pytest.mark.parametrize("auth", AUTHS)
@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_TEST,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_api_answers_every_generated_request_as_its_schema_says(case, auth, real_values):
    headers = {} if auth == "none" else {"Authorization": f"Bearer {real_values.tokens[auth]}"}
    case.call_and_validate(headers=headers, checks=CHECKS)
    key = (case.operation.label, auth)
    CASES[key] = CASES.get(key, 0) + 1


def test_api_schemathesis_ran_at_least_a_thousand_cases():
    operations = {label for label, _auth in CASES}
    if len(operations) < 2:
        pytest.skip("run the whole module: this counts the cases of the test above")
    assert len(CASES) == len(operations) * len(AUTHS), sorted(CASES)
    assert sum(CASES.values()) >= MINIMUM_CASES, CASES
