"""Forms of the constitution pages. They shape input; the services decide what is allowed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from constitutions.models import ApiToken, Rule
from constitutions.rules import DEFAULT_MIN_VOTES_PER_GROUP
from constitutions.services.tokens import MAX_DAYS


class CompileForm(forms.Form):
    conversations = forms.ModelMultipleChoiceField(
        queryset=None, widget=forms.CheckboxSelectMultiple, label=_("Conversations")
    )
    rule = forms.ChoiceField(choices=Rule.choices, label=_("Selection rule"))
    threshold = forms.FloatField(
        required=False,
        min_value=0,
        max_value=1,
        label=_("Threshold"),
        help_text=_(
            "Empty: the rule's default (GIC 0.70 / 0.47 / 0.32 / 0.24 for 2-5 groups; "
            "agree share 0.60; bridging 0.40)."
        ),
    )
    min_votes_per_group = forms.IntegerField(
        min_value=0,
        max_value=100000,
        initial=DEFAULT_MIN_VOTES_PER_GROUP,
        label=_("Minimum votes per group"),
    )

    def __init__(self, *args, conversations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conversations"].queryset = conversations


class RewordForm(forms.Form):
    text = forms.CharField(
        label=_("Principle"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    reason = forms.CharField(label=_("Why"), max_length=1000, required=False)


class RequestsForm(forms.Form):
    # Empty means the default request, derived from the principle's text.
    critique = forms.CharField(
        label=_("Critique request"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    revision = forms.CharField(
        label=_("Revision request"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CategoryForm(forms.Form):
    category = forms.CharField(label=_("Category"), max_length=100, required=False)


class MoveForm(forms.Form):
    offset = forms.TypedChoiceField(choices=[(-1, _("Up")), (1, _("Down"))], coerce=int)


class DropForm(forms.Form):
    reason = forms.CharField(label=_("Why drop it"), max_length=1000)


class MergeForm(forms.Form):
    principles = forms.TypedMultipleChoiceField(
        coerce=int, widget=forms.CheckboxSelectMultiple, label=_("Principles to merge")
    )
    text = forms.CharField(
        label=_("Merged principle"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    reason = forms.CharField(label=_("Why"), max_length=1000, required=False)

    def __init__(self, *args, principles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["principles"].choices = [(p.pk, p.text) for p in principles]


class PublishForm(forms.Form):
    number = forms.CharField(label=_("Version number"), max_length=40, help_text=_("Like 1.2.0"))
    changelog = forms.CharField(
        label=_("Changelog"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class WebhookForm(forms.Form):
    url = forms.URLField(label=_("Address"), max_length=500, assume_scheme="https")


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    scope = forms.ChoiceField(choices=ApiToken.Scope.choices, label=_("May read"))
    days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=MAX_DAYS, initial=90
    )
