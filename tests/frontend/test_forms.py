"""Forms are drawn one way: labels above fields without colons, required fields marked, checkboxes
beside their label with the help under them; the context form asks what matters first."""

from http import HTTPStatus

from django.urls import reverse

from deliberation.access import grant_context_creation
from deliberation.models import Context
from frontend.forms.facilitate import ContextForm, InviteForm


def test_form_marks_required_fields_and_drops_the_colons():
    html = str(ContextForm())
    title = html[html.index('<label for="id_title"') :]
    assert title.startswith('<label for="id_title">Title <span class="required-marker"')
    assert ":</label>" not in html
    assert '<label for="id_domain">Domain</label>' in html  # optional: no marker


def test_form_puts_a_checkbox_beside_its_label_and_the_help_under_it():
    html = str(InviteForm())
    line = html.index('class="field-checkbox-line"')
    box, label = html.index('id="id_single_use"'), html.index('<label for="id_single_use">')
    help_text = html.index('id="id_single_use_helptext"')
    assert line < box < label < help_text


def test_context_form_opens_with_title_and_purpose_and_ends_with_the_slug():
    names = list(ContextForm().fields)
    assert names[:2] == ["title", "description"]
    assert names[-1] == "slug"


def test_context_create_derives_the_slug_from_the_title(facilitator_client, facilitator):
    grant_context_creation(user=facilitator)
    response = facilitator_client.post(
        reverse("frontend:facilitate-context-create"),
        {"title": "Clinic triage assistant", "slug": ""},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert Context.objects.filter(slug="clinic-triage-assistant").exists()
