"""Forms of the process-record page (issue 13). They shape input; the services decide."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from deliberation.models import Channel, Question
from deliberation.services.questions import ChoiceSpec


class RecordForm(forms.Form):
    eligibility = forms.CharField(
        label=_("Who may take part"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )
    sampling_frame = forms.CharField(
        label=_("Sampling frame"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )
    window_start = forms.DateField(
        label=_("Window opens"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    window_end = forms.DateField(
        label=_("Window closes"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    suppression_k = forms.IntegerField(
        label=_("Smallest publishable cell (k)"), min_value=2, max_value=1000, initial=10
    )
    self_description_after = forms.IntegerField(
        label=_("Ask self-description after this many votes"),
        min_value=0,
        max_value=1000,
        initial=5,
    )
    raw_answers_allowed = forms.BooleanField(
        label=_("Researchers with the answers scope may read answers"), required=False
    )
    ratification_min_approval = forms.FloatField(
        label=_("Approval required in every opinion group before publishing (0 to 1; empty: none)"),
        required=False,
        min_value=0.01,
        max_value=1,
    )


class ChannelForm(forms.Form):
    name = forms.CharField(label=_("Channel name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=Channel.Kind.choices)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Question.Kind.choices)
    text = forms.CharField(label=_("Question"), max_length=300)
    answers = forms.CharField(
        label=_("Answers, one per line"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Self-description questions must include “Prefer not to say”. For screening, start "
            "an answer that makes someone ineligible with “!”."
        ),
        max_length=3000,
    )

    def clean(self):
        cleaned = super().clean()
        lines = [line.strip() for line in cleaned.get("answers", "").splitlines() if line.strip()]
        choices = []
        for line in lines:
            eligible = not line.startswith("!")
            label = line.lstrip("!").strip()
            key = slugify(label)[:50]
            if not key:
                raise ValidationError(_("Each answer needs letters or digits."))
            choices.append(ChoiceSpec(key, label, eligible))
        cleaned["choices"] = choices
        cleaned["key"] = slugify(cleaned.get("text", ""))[:50] or "question"
        return cleaned


class TargetsForm(forms.Form):
    question = forms.ModelChoiceField(label=_("Question"), queryset=Question.objects.none())
    shares = forms.CharField(
        label=_("Shares, one “answer = share” per line"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example “18 to 34 = 0.28”. Leave out “Prefer not to say”."),
        max_length=3000,
    )
    source = forms.CharField(label=_("Source"), max_length=300)

    def __init__(self, *args, context=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].queryset = Question.objects.filter(
            context=context, kind=Question.Kind.SELF_DESCRIPTION
        )

    def clean(self):
        cleaned = super().clean()
        question = cleaned.get("question")
        labels = {c.label.casefold(): c.key for c in question.choices.all()} if question else {}
        shares = {}
        for line in cleaned.get("shares", "").splitlines():
            if not line.strip():
                continue
            label, _sep, value = line.rpartition("=")
            try:
                share = float(value)
            except ValueError:
                raise ValidationError(_("Write each line as “answer = share”.")) from None
            name = label.strip()
            # An unknown answer is passed on as written, so the service names it in its refusal.
            shares[labels.get(name.casefold(), name)] = share
        cleaned["share_map"] = shares
        return cleaned
