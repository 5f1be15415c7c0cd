"""Forms of the facilitation pages. They shape input; the services decide what is allowed."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from deliberation.models import STATEMENT_MAX_LENGTH, Context, Conversation, Participant
from deliberation.services.facilitation import (
    CONTEXT_FIELDS,
    CONVERSATION_FIELDS,
    REASON_MAX_LENGTH,
)
from deliberation.services.seeding import SEED_CSV_MAX_BYTES
from deliberation.text import clean_text

# Free-text model fields have no length of their own; this keeps a page readable.
LONG_TEXT_MAX_LENGTH = 5000


class CleanTextMixin:
    """Run every text field through `clean_text`: no NUL, control or text-direction characters.

    Text areas keep their line breaks; one-line fields have their spacing folded.
    """

    def clean(self):
        cleaned = super().clean()
        for name, field in self.fields.items():
            value = cleaned.get(name)
            if not isinstance(field, forms.CharField) or not value:
                continue
            try:
                cleaned[name] = clean_text(
                    value,
                    max_length=field.max_length or LONG_TEXT_MAX_LENGTH,
                    field=str(field.label),
                    multiline=isinstance(field.widget, forms.Textarea),
                )
            except ValidationError as error:
                self.add_error(name, error)
        return cleaned


class DateInput(forms.DateInput):
    input_type = "date"


class ContextForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = Context
        fields = CONTEXT_FIELDS
        widgets = {"valid_from": DateInput, "valid_until": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.Textarea):
                field.max_length = LONG_TEXT_MAX_LENGTH
                field.widget.attrs.update(rows=3, maxlength=LONG_TEXT_MAX_LENGTH)
        self.fields["constitution_licence"].required = False

    def clean_constitution_licence(self):
        # Left out of a post: the context keeps its licence (a new one gets the default).
        return self.cleaned_data["constitution_licence"] or self.instance.constitution_licence


class ContextEditForm(ContextForm):
    class Meta(ContextForm.Meta):
        fields = tuple(name for name in CONTEXT_FIELDS if name != "slug")


class ConversationForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = Conversation
        fields = CONVERSATION_FIELDS
        widgets = {
            "moderation": forms.RadioSelect,
            "identity_mode": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 3}),
            "xid_allowlist": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("description", "xid_allowlist"):
            self.fields[name].max_length = LONG_TEXT_MAX_LENGTH
        if self.instance.pk and self.instance.state != Conversation.State.DRAFT:
            self.fields["state"].choices = [
                choice
                for choice in Conversation.State.choices
                if choice[0] != Conversation.State.DRAFT
            ]

    def clean_xid_allowlist(self):
        lines = [line.strip() for line in self.cleaned_data["xid_allowlist"].splitlines()]
        xid_length = Participant._meta.get_field("xid").max_length
        for line in filter(None, lines):
            # Each line must be an id the join check can match exactly.
            clean_text(line, max_length=xid_length, field=str(_("External id")))
        return "\n".join(filter(None, lines))


class StateForm(forms.Form):
    state = forms.ChoiceField(
        choices=[
            (Conversation.State.OPEN, Conversation.State.OPEN.label),
            (Conversation.State.CLOSED, Conversation.State.CLOSED.label),
        ]
    )


class XidSigningForm(forms.Form):
    required = forms.BooleanField(required=False)


class InviteForm(CleanTextMixin, forms.Form):
    label = forms.CharField(
        label=_("Label"),
        max_length=100,
        required=False,
        help_text=_("For you: who or what the link is for."),
    )
    single_use = forms.BooleanField(
        label=_("Single use"),
        required=False,
        initial=True,
        help_text=_("Admits one person. Untick for a link shared with a group."),
    )


class SeedStatementForm(forms.Form):
    text = forms.CharField(
        label=_("Statement"),
        max_length=STATEMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    is_meta = forms.BooleanField(
        label=_("Meta statement"),
        required=False,
        help_text=_("About the participant, not a norm; kept out of the maths."),
    )


class SeedCsvForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "UTF-8, with a header line. Column “text” (required) and “is_meta” (true/false, "
            "optional). Nothing is imported unless every row is fine."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > SEED_CSV_MAX_BYTES:
            raise ValidationError(_("The file is larger than 1 MB."))
        return upload


class ReasonForm(forms.Form):
    """A reason that the service requires and cleans (rejecting a statement, excluding someone)."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.TextInput(attrs={"maxlength": REASON_MAX_LENGTH}),
    )


class ParticipantSearchForm(forms.Form):
    """Find one participant by the number the audit log and the results show."""

    number = forms.IntegerField(
        label=_("Participant number"),
        min_value=1,
        error_messages={"invalid": _("Enter a participant number, such as 12.")},
    )


class MetaForm(forms.Form):
    is_meta = forms.BooleanField(required=False)
