from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from deliberation.models import Context

NEW_CONTEXT = {
    "title": "Clinic triage assistant",
    "slug": "clinic-triage",
    "description": "Helps nurses sort\nincoming requests.",
    "domain": "health",
    "deployment_surface": "intranet chat",
    "intended_users": "Nurses",
    "affected_non_users": "Patients",
    "languages": "en, cy",
    "jurisdiction": "Wales",
    "valid_from": "2026-01-01",
    "valid_until": "2027-01-01",
    "out_of_scope_uses": "Diagnosis",
    "is_public": "on",
}


@pytest.fixture
def staff_client(client, db):
    user = get_user_model().objects.create_user(
        "staff", password="a-long-staff-password", is_staff=True
    )
    client.force_login(user)
    client.user = user
    return client


def test_context_create_by_staff_makes_them_facilitator(staff_client):
    response = staff_client.post(reverse("frontend:facilitate-context-create"), NEW_CONTEXT)
    context = Context.objects.get(slug="clinic-triage")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("frontend:facilitate-context", args=["clinic-triage"])
    assert list(context.facilitators.all()) == [staff_client.user]
    assert context.description == "Helps nurses sort\nincoming requests."
    assert (context.jurisdiction, str(context.valid_until)) == ("Wales", "2027-01-01")


def test_context_create_is_refused_to_non_staff(facilitator_client):
    response = facilitator_client.post(reverse("frontend:facilitate-context-create"), NEW_CONTEXT)
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Context.objects.filter(slug="clinic-triage").exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "nul\x00byte"),
        ("title", "bell\x07"),
        ("domain", "right-to-left \u202e override"),
        ("description", "isolate \u2066 here"),
        ("title", "zero\u200bwidth"),
        ("intended_users", "Nurses\U000e0069\U000e0067"),  # tag characters
        ("title", ""),
        ("title", "x" * 201),
        ("slug", "not a slug"),
        ("valid_until", "2025-01-01"),
    ],
)
def test_context_create_shows_form_errors_and_writes_nothing(staff_client, field, value):
    response = staff_client.post(
        reverse("frontend:facilitate-context-create"), {**NEW_CONTEXT, field: value}
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert field in response.context["form"].errors
    assert not Context.objects.exists()


def test_context_create_refuses_a_taken_slug(staff_client, context):
    response = staff_client.post(
        reverse("frontend:facilitate-context-create"), {**NEW_CONTEXT, "slug": context.slug}
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "slug" in response.context["form"].errors
    assert Context.objects.count() == 1


def test_context_edit_saves_and_keeps_the_slug(facilitator_client, context):
    url = reverse("frontend:facilitate-context-edit", args=[context.slug])
    response = facilitator_client.post(url, {**NEW_CONTEXT, "title": "Renamed", "slug": "hijack"})
    context.refresh_from_db()
    assert response.status_code == HTTPStatus.FOUND
    assert (context.title, context.slug, context.is_public) == (
        "Renamed",
        "library-assistant",
        True,
    )


def test_context_edit_with_a_control_character_changes_nothing(facilitator_client, context):
    url = reverse("frontend:facilitate-context-edit", args=[context.slug])
    response = facilitator_client.post(url, {**NEW_CONTEXT, "intended_users": "a\x1bb"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "control character" in str(response.context["form"].errors["intended_users"])
    context.refresh_from_db()
    assert context.title == "Library patrons' assistant"


def test_context_detail_escapes_user_text(facilitator_client, context):
    Context.objects.filter(pk=context.pk).update(description="<script>alert(1)</script>")
    response = facilitator_client.get(reverse("frontend:facilitate-context", args=[context.slug]))
    assert b"<script>alert(1)" not in response.content
    assert b"&lt;script&gt;alert(1)" in response.content


def test_home_lists_only_facilitated_contexts(facilitator_client, context, other_facilitator):
    response = facilitator_client.get(reverse("frontend:facilitate-home"))
    assert list(response.context["contexts"]) == [context]
    assert b"Another context" not in response.content
