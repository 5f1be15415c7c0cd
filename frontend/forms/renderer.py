"""How every form of the site is drawn: labels above fields with no colon, a marker on required
fields, a checkbox beside its label with its help under both, errors next to the field."""

from django.forms.renderers import DjangoTemplates


class PolityFormRenderer(DjangoTemplates):
    form_template_name = "frontend/forms/form.html"
    field_template_name = "frontend/forms/field.html"
