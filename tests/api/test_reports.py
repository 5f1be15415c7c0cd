"""Adherence reports over the API: posted with a `report` token for one published version,
checked in full (nothing written on any refusal), listed for everyone who may read the version."""

import json

import pytest
from django.db import IntegrityError, connection, transaction

from constitutions.models import AdherenceReport, AdherenceResult, Part
from constitutions.renderers.evalset import eval_sha256
from constitutions.services.publishing import publish_version
from constitutions.services.scenarios import add_scenario
from constitutions.services.tokens import create_token
from tests.constitutions.helpers import compiled_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(context, conversation, facilitator):
    draft = compiled_draft(context, conversation, facilitator)
    for principle in draft.principles.filter(part=Part.CONSENSUS):
        add_scenario(principle=principle, actor=facilitator, conversation=f"When {principle.pk}?")
    return publish_version(version=draft, actor=facilitator, number="1.0.0", changelog="First.")


def _url(context, number="1.0.0"):
    return f"/api/v1/contexts/{context.slug}/constitution/versions/{number}/reports/"


def _token(user, scope="report"):
    _token, raw = create_token(user=user, name="job", scope=scope, days=1)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _report(version, **changes):
    document = json.loads(version.canonical_json)
    report = {
        "content_sha256": version.content_sha256,
        "model": {"name": "library-assistant-7b", "revision": "sha256:abc123"},
        "eval_sha256": eval_sha256(document),
        "results": [
            {"principle": "consensus-1", "samples": 12, "follow_share": 0.75},
            {"principle": "consensus-2", "samples": 10, "follow_share": 1},
        ],
        "url": "https://example.org/runs/42",
    }
    return {**report, **changes}


def _post(client, context, body, auth):
    return client.post(_url(context), body, content_type="application/json", **auth)


def test_report_posted_with_a_report_token_is_listed(client, context, version, facilitator):
    response = _post(client, context, _report(version), _token(facilitator))
    assert response.status_code == 201, response.content
    listed = client.get(_url(context)).json()["results"]
    assert len(listed) == 1
    report = listed[0]
    assert report["model"] == {"name": "library-assistant-7b", "revision": "sha256:abc123"}
    assert report["reporter"] == facilitator.username
    assert report["content_sha256"] == version.content_sha256
    assert [(r["principle"], r["samples"], r["follow_share"]) for r in report["results"]] == [
        ("consensus-1", 12, 0.75),
        ("consensus-2", 10, 1.0),
    ]


@pytest.mark.parametrize(
    ("changes", "status", "message"),
    [
        ({"content_sha256": "0" * 64}, 400, "not the hash of version 1.0.0"),
        ({"eval_sha256": "0" * 64}, 400, "eval set hash"),
        (
            {"results": [{"principle": "consensus-9", "samples": 3, "follow_share": 0.5}]},
            400,
            "“consensus-9” is not a principle of this version",
        ),
        (
            {"results": [{"principle": "consensus-1", "samples": 3, "follow_share": 1.2}]},
            400,
            "less than or equal to 1",
        ),
        (
            {"results": [{"principle": "consensus-1", "samples": 0, "follow_share": 0.5}]},
            400,
            "greater than or equal to 1",
        ),
        ({"results": []}, 400, "empty"),
        (
            {
                "results": [
                    {"principle": "consensus-1", "samples": 3, "follow_share": 0.5},
                    {"principle": "consensus-1", "samples": 4, "follow_share": 0.5},
                ]
            },
            400,
            "reported twice",
        ),
        ({"url": "javascript:alert(1)"}, 400, "URL"),
    ],
)
def test_report_with_bad_content_is_refused_and_writes_nothing(
    client, context, version, facilitator, changes, status, message
):
    response = _post(client, context, _report(version, **changes), _token(facilitator))
    assert response.status_code == status
    assert message in response.content.decode()
    assert not AdherenceReport.objects.exists() and not AdherenceResult.objects.exists()


def test_report_with_the_wrong_scope_or_no_token_is_refused(client, context, version, facilitator):
    wrong = _post(client, context, _report(version), _token(facilitator, "constitutions"))
    assert wrong.status_code == 403 and "report scope" in wrong.json()["detail"]
    anonymous = _post(client, context, _report(version), {})
    assert anonymous.status_code == 401
    assert not AdherenceReport.objects.exists()


def test_report_for_a_private_context_of_someone_else_is_not_found(
    client, context, version, other_facilitator
):
    context.is_public = False
    context.save()
    response = _post(client, context, _report(version), _token(other_facilitator))
    assert response.status_code == 404
    assert not AdherenceReport.objects.exists()


def test_report_rows_are_append_only(client, context, version, facilitator):
    _post(client, context, _report(version), _token(facilitator))
    report = AdherenceReport.objects.get()
    with pytest.raises(ValueError, match="append-only"):
        report.save()
    with pytest.raises(ValueError, match="append-only"):
        report.results.first().save()


def test_reports_cannot_be_changed_or_deleted_over_the_api(client, context, version, facilitator):
    auth = _token(facilitator)
    _post(client, context, _report(version), auth)
    for method in ("put", "patch", "delete"):
        response = getattr(client, method)(
            _url(context), _report(version), content_type="application/json", **auth
        )
        assert response.status_code == 405
    assert AdherenceResult.objects.filter(follow_share=0.75).count() == 1


def test_report_rows_refuse_raw_sql_changes_but_let_their_reporter_go(
    client, context, version, other_facilitator
):
    _post(client, context, _report(version), _token(other_facilitator))
    report = AdherenceReport.objects.get()
    statements = [
        ("UPDATE constitutions_adherencereport SET model_name = 'x' WHERE id = %s", report.pk),
        ("DELETE FROM constitutions_adherencereport WHERE id = %s", report.pk),
        (
            "UPDATE constitutions_adherenceresult SET follow_share = 0 WHERE report_id = %s",
            report.pk,
        ),
        ("DELETE FROM constitutions_adherenceresult WHERE report_id = %s", report.pk),
    ]
    for sql, pk in statements:
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [pk])
    # Deleting the account (and so its tokens) keeps the report, unattributed to a user row.
    other_facilitator.delete()
    report.refresh_from_db()
    assert report.reporter_id is None and report.token_id is None
    assert report.reporter_name == "outsider" and report.results.count() == 2
