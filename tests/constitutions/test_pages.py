from http import HTTPStatus

import pytest
from django.urls import reverse

from constitutions.models import ApiToken, ConstitutionVersion
from tests.constitutions.helpers import analysed_conversation, compiled_draft, published_version


def draft_url(context, draft, name=None, *args):
    if name is None:
        return reverse("frontend:constitution-draft", args=[context.slug, draft.pk])
    return reverse(f"frontend:constitution-{name}", args=[context.slug, draft.pk, *args])


@pytest.mark.django_db
def test_compile_page_makes_a_draft_with_three_parts(facilitator_client, context, conversation):
    analysed_conversation(conversation)
    page = facilitator_client.get(reverse("frontend:constitution-facilitate", args=[context.slug]))
    assert page.status_code == 200
    response = facilitator_client.post(
        reverse("frontend:constitution-compile", args=[context.slug]),
        {
            "conversations": [conversation.pk],
            "rule": "gic",
            "threshold": "",
            "min_votes_per_group": 3,
        },
    )
    draft = ConstitutionVersion.objects.get()
    assert response.status_code == HTTPStatus.FOUND and response["Location"] == draft_url(
        context, draft
    )
    body = facilitator_client.get(draft_url(context, draft)).content.decode()
    for heading in ("Consensus principle", "Group-specific principle", "Contested statement"):
        assert heading in body
    assert "The assistant should use emoji." in body  # listed among the failures, with its reason


@pytest.mark.django_db
def test_compile_page_refuses_bad_threshold_with_400(facilitator_client, context, conversation):
    analysed_conversation(conversation)
    response = facilitator_client.post(
        reverse("frontend:constitution-compile", args=[context.slug]),
        {
            "conversations": [conversation.pk],
            "rule": "gic",
            "threshold": "3",
            "min_votes_per_group": 3,
        },
    )
    assert response.status_code == 400 and not ConstitutionVersion.objects.exists()


@pytest.mark.django_db
def test_curation_pages_record_steps_and_publish_freezes(
    facilitator_client, context, conversation, facilitator
):
    draft = compiled_draft(context, conversation, facilitator)
    principle = draft.principles.filter(part="consensus").first()
    response = facilitator_client.post(
        draft_url(context, draft, "principle", principle.pk, "reword"),
        {"text": "Choose the response that admits doubt.", "reason": "Preference form."},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert principle.steps.last().reason == "Preference form."
    bad = facilitator_client.post(
        draft_url(context, draft, "principle", principle.pk, "drop"), {"reason": ""}
    )
    assert bad.status_code == 400
    published = facilitator_client.post(
        draft_url(context, draft, "publish"), {"number": "1.0.0", "changelog": ""}
    )
    assert published.status_code == HTTPStatus.FOUND
    assert facilitator_client.get(draft_url(context, draft)).status_code == 404  # no longer a draft
    again = facilitator_client.post(
        draft_url(context, draft, "principle", principle.pk, "reword"),
        {"text": "Changed after all."},
    )
    assert again.status_code == 404


@pytest.mark.django_db
def test_other_context_facilitator_gets_404_everywhere(
    client, other_facilitator, context, conversation, facilitator
):
    draft = compiled_draft(context, conversation, facilitator)
    principle = draft.principles.first()
    client.force_login(other_facilitator)
    assert (
        client.get(reverse("frontend:constitution-facilitate", args=[context.slug])).status_code
        == 404
    )
    assert client.get(draft_url(context, draft)).status_code == 404
    posts = [
        (
            reverse("frontend:constitution-compile", args=[context.slug]),
            {"conversations": [conversation.pk], "rule": "gic", "min_votes_per_group": 3},
        ),
        (draft_url(context, draft, "principle", principle.pk, "reword"), {"text": "Hijacked."}),
        (draft_url(context, draft, "merge"), {}),
        (draft_url(context, draft, "publish"), {"number": "1.0.0"}),
        (draft_url(context, draft, "discard"), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    assert ConstitutionVersion.objects.get().published_at is None
    assert draft.principles.get(pk=principle.pk).text != "Hijacked."


@pytest.mark.django_db
def test_public_page_shows_principles_sources_bars_and_history(
    client, context, conversation, facilitator
):
    published_version(context, conversation, facilitator)
    response = client.get(reverse("frontend:constitution", args=[context.slug]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Choose the response that admits uncertainty." in body
    assert "The assistant should say when it is unsure." in body  # the original source text
    assert 'class="bar-agree"' in body and "Clearer as a preference." in body
    assert "style=" not in body


@pytest.mark.django_db
def test_public_page_hides_non_public_contexts(client, context, conversation, facilitator):
    published_version(context, conversation, facilitator)
    context.is_public = False
    context.save()
    assert client.get(reverse("frontend:constitution", args=[context.slug])).status_code == 404


@pytest.mark.django_db
def test_diff_page_shows_word_changes(client, context, conversation, facilitator):
    published_version(context, conversation, facilitator, reword=False)
    published_version(context, conversation, facilitator, number="1.1.0")
    response = client.get(
        reverse("frontend:constitution-diff", args=[context.slug, "1.0.0", "1.1.0"])
    )
    assert response.status_code == 200 and "<ins>" in response.content.decode()


@pytest.mark.django_db
def test_tokens_page_shows_the_secret_once_and_revokes(facilitator_client, facilitator):
    url = reverse("frontend:constitution-tokens")
    response = facilitator_client.post(
        url, {"name": "eval run", "scope": "constitutions", "days": 30}
    )
    token = ApiToken.objects.get()
    secret = response.context["created"]
    assert secret.startswith("pol_") and secret in response.content.decode()
    assert secret not in facilitator_client.get(url).content.decode()
    facilitator_client.post(reverse("frontend:constitution-token-revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None


@pytest.mark.django_db
def test_user_content_is_escaped_on_the_public_page(client, context, conversation, facilitator):
    from constitutions.services.curation import reword_principle
    from constitutions.services.publishing import publish_version

    draft = compiled_draft(context, conversation, facilitator)
    reword_principle(
        principle=draft.principles.first(), actor=facilitator, text="<script>alert(1)</script>"
    )
    publish_version(version=draft, actor=facilitator, number="1.0.0", changelog="x")
    body = client.get(reverse("frontend:constitution", args=[context.slug])).content.decode()
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body
