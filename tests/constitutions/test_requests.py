"""One meaning in every format: the critique and revision requests always describe the text that
is published (issue 11, item 1)."""

import json
from http import HTTPStatus

import pytest
from django.urls import reverse

from constitutions.errors import InvalidCuration
from constitutions.models import Part
from constitutions.renderers import FORMATS, TRAINING_FORMATS
from constitutions.services import curation
from constitutions.services.publishing import publish_version
from tests.constitutions.helpers import compiled_draft

NEW = "The assistant should state plainly when it does not know."


def consensus(version):
    return list(version.principles.filter(part=Part.CONSENSUS).order_by("position"))


def bodies(version):
    document = json.loads(version.canonical_json)
    return {name: FORMATS[name].render(document) for name in FORMATS}


def assert_every_format_quotes(version, new, old):
    for name, body in bodies(version).items():
        assert new in body, name
        if name in TRAINING_FORMATS:
            # Sources and edit history keep the old text in the complete records, never here.
            assert old not in body, name
    rows = [json.loads(line) for line in bodies(version)["jsonl"].splitlines()]
    row = next(r for r in rows if r["text"] == new)
    assert new in row["critique_request"] and new in row["revision_request"]
    assert old not in row["critique_request"] + row["revision_request"]


@pytest.mark.django_db
def test_publish_version_after_reword_quotes_the_new_wording_in_every_format(
    context, conversation, facilitator
):
    draft = compiled_draft(context, conversation, facilitator)
    principle = consensus(draft)[0]
    old = principle.text
    curation.reword_principle(principle=principle, actor=facilitator, text=NEW)
    version = publish_version(version=draft, actor=facilitator, number="1.0.0", changelog="")
    assert_every_format_quotes(version, NEW, old)


@pytest.mark.django_db
def test_publish_version_after_merge_quotes_the_merged_wording_in_every_format(
    context, conversation, facilitator
):
    draft = compiled_draft(context, conversation, facilitator)
    first, second = consensus(draft)[:2]
    curation.merge_principles(
        version=draft, principle_ids=[first.pk, second.pk], actor=facilitator, text=NEW
    )
    version = publish_version(version=draft, actor=facilitator, number="1.0.0", changelog="")
    assert_every_format_quotes(version, NEW, first.text)
    for name in TRAINING_FORMATS:
        assert second.text not in bodies(version)[name], name


@pytest.mark.django_db
def test_publish_version_refuses_custom_requests_older_than_a_reword(
    context, conversation, facilitator
):
    draft = compiled_draft(context, conversation, facilitator)
    principle = consensus(draft)[0]
    curation.set_requests(
        principle=principle,
        actor=facilitator,
        critique="Point out where the answer hides uncertainty.",
        revision="Rewrite it to show its uncertainty.",
    )
    curation.reword_principle(principle=principle, actor=facilitator, text=NEW)
    with pytest.raises(InvalidCuration) as refusal:
        publish_version(version=draft, actor=facilitator, number="1.0.0", changelog="")
    assert f"“{NEW}”" in refusal.value.message
    draft.refresh_from_db()
    assert not draft.is_published
    # Rewriting them for the new wording lets it through, and every format quotes them.
    principle.refresh_from_db()
    curation.set_requests(
        principle=principle,
        actor=facilitator,
        critique="Point out where the answer claims knowledge it lacks.",
        revision="Rewrite it to say plainly what it does not know.",
    )
    version = publish_version(version=draft, actor=facilitator, number="1.0.0", changelog="")
    recipe = json.loads(bodies(version)["hf-cai"])
    assert {"Point out where the answer claims knowledge it lacks."} <= {
        c["critic"] for c in recipe["constitutions"]
    }


@pytest.mark.django_db
def test_publish_version_after_clearing_stale_requests_uses_the_defaults(
    context, conversation, facilitator
):
    draft = compiled_draft(context, conversation, facilitator)
    principle = consensus(draft)[0]
    curation.set_requests(
        principle=principle, actor=facilitator, critique="Old critique.", revision="Old revision."
    )
    curation.reword_principle(principle=principle, actor=facilitator, text=NEW)
    principle.refresh_from_db()
    curation.set_requests(principle=principle, actor=facilitator, critique="", revision="")
    version = publish_version(version=draft, actor=facilitator, number="1.0.0", changelog="")
    for name in TRAINING_FORMATS:
        assert "Old critique." not in bodies(version)[name]
    assert_every_format_quotes(version, NEW, "Old revision.")


@pytest.mark.django_db
def test_set_requests_equal_to_the_defaults_stores_nothing(draft_principle, facilitator):
    critique, revision = draft_principle.effective_requests()
    curation.set_requests(
        principle=draft_principle, actor=facilitator, critique=critique, revision=revision
    )
    draft_principle.refresh_from_db()
    assert not draft_principle.has_custom_requests
    assert draft_principle.requests_text_sha256 is None


@pytest.fixture
def draft_principle(context, conversation, facilitator):
    return consensus(compiled_draft(context, conversation, facilitator))[0]


@pytest.mark.django_db
def test_draft_page_flags_stale_requests_and_publish_refuses_naming_the_principle(
    facilitator_client, context, conversation, facilitator
):
    draft = compiled_draft(context, conversation, facilitator)
    principle = consensus(draft)[0]

    def url(name=None, *args):
        if name is None:
            return reverse("frontend:constitution-draft", args=[context.slug, draft.pk])
        return reverse(f"frontend:constitution-{name}", args=[context.slug, draft.pk, *args])

    saved = facilitator_client.post(
        url("principle", principle.pk, "requests"), {"critique": "Mine.", "revision": ""}
    )
    assert saved.status_code == HTTPStatus.FOUND
    curation.reword_principle(principle=principle, actor=facilitator, text=NEW)
    page = facilitator_client.get(url()).content.decode()
    assert "written for an earlier wording" in page
    refused = facilitator_client.post(url("publish"), {"number": "1.0.0", "changelog": ""})
    assert refused.status_code == HTTPStatus.BAD_REQUEST
    assert f"“{NEW}”" in refused.content.decode()
    cleared = facilitator_client.post(
        url("principle", principle.pk, "requests"), {"critique": "", "revision": ""}
    )
    assert cleared.status_code == HTTPStatus.FOUND
    published = facilitator_client.post(url("publish"), {"number": "1.0.0", "changelog": ""})
    assert published.status_code == HTTPStatus.FOUND
