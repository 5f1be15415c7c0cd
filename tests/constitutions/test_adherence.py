"""The adherence-report service checks what the API's serializer does not see (and what other
callers might skip): the scope, the hashes, the principle keys, counts and shares."""

import json

import pytest

from constitutions.errors import InvalidReport
from constitutions.models import AdherenceReport
from constitutions.renderers.evalset import eval_sha256
from constitutions.services.adherence import record_report
from constitutions.services.tokens import create_token
from tests.constitutions.helpers import published_version

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("scope", "result", "message"),
    [
        ("report", {"principle": "consensus-1", "samples": 5, "follow_share": 1.2}, "between 0"),
        ("report", {"principle": "consensus-1", "samples": 5, "follow_share": float("nan")}, "0"),
        ("report", {"principle": "consensus-1", "samples": True, "follow_share": 0.5}, "whole"),
        ("report", {"principle": "contested-1", "samples": 5, "follow_share": 0.5}, "not a"),
        ("constitutions", {"principle": "consensus-1", "samples": 5, "follow_share": 0.5}, "scope"),
    ],
)
def test_record_report_refuses_and_writes_nothing(
    context, conversation, facilitator, scope, result, message
):
    version = published_version(context, conversation, facilitator)
    token, _raw = create_token(user=facilitator, name="job", scope=scope, days=1)
    with pytest.raises(InvalidReport, match=message):
        record_report(
            version=version,
            token=token,
            content_sha256=version.content_sha256,
            model_name="m",
            model_revision="r",
            eval_sha256_hex=eval_sha256(json.loads(version.canonical_json)),
            results=[result],
        )
    assert not AdherenceReport.objects.exists()
