"""Curation from the facilitator's side: every step says it was done; discarding asks first."""

from http import HTTPStatus

import pytest
from django.contrib.messages import get_messages

from constitutions.models import ConstitutionVersion
from tests.constitutions.helpers import compiled_draft
from tests.constitutions.test_pages import draft_url


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("reword", {"text": "Choose the response that admits doubt."}, "reworded"),
        ("requests", {"critique": "Does it admit doubt?", "revision": "Admit it."}, "requests"),
        ("categorise", {"category": "honesty"}, "category"),
        ("move", {"offset": "1"}, "moved"),
        ("drop", {"reason": "Covered elsewhere."}, "dropped"),
    ],
)
def test_curation_step_says_it_was_done(
    facilitator_client, context, conversation, facilitator, name, data, says
):
    draft = compiled_draft(context, conversation, facilitator)
    principle = draft.principles.filter(part="consensus").order_by("position").first()
    response = facilitator_client.post(
        draft_url(context, draft, "principle", principle.pk, name), data
    )
    assert response.status_code == HTTPStatus.FOUND
    (message,) = _messages(response)
    assert says in message


@pytest.mark.django_db
def test_curation_restore_and_merge_say_they_were_done(
    facilitator_client, context, conversation, facilitator
):
    draft = compiled_draft(context, conversation, facilitator)
    first, second = draft.principles.filter(part="consensus").order_by("position")[:2]
    merged = facilitator_client.post(
        draft_url(context, draft, "merge"),
        {"principles": [first.pk, second.pk], "text": "One principle.", "reason": ""},
    )
    assert merged.status_code == HTTPStatus.FOUND
    assert _messages(merged) == ["2 principles are merged into one."]
    facilitator_client.post(
        draft_url(context, draft, "principle", first.pk, "drop"), {"reason": "Not needed."}
    )
    restored = facilitator_client.post(draft_url(context, draft, "principle", first.pk, "restore"))
    assert _messages(restored)[-1] == "The principle is restored."


@pytest.mark.django_db
def test_discard_asks_for_confirmation_first(
    facilitator_client, context, conversation, facilitator
):
    draft = compiled_draft(context, conversation, facilitator)
    url = draft_url(context, draft, "discard")
    response = facilitator_client.post(url)
    assert response.status_code == HTTPStatus.OK
    assert 'name="confirm" value="yes"' in response.content.decode()
    assert ConstitutionVersion.objects.filter(pk=draft.pk).exists()
    done = facilitator_client.post(url, {"confirm": "yes"})
    assert done.status_code == HTTPStatus.FOUND
    assert not ConstitutionVersion.objects.filter(pk=draft.pk).exists()
