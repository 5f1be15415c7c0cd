"""Who took part and how (issue 13): a context's process record, its recruitment channels, the
screening and self-description questions with their target population shares, and answers.

Kept beside `models.py` (which imports these) so the participant flow's own models stay small.
An answer belongs to its participant and is deleted with them (the data download lists it).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

DEFAULT_SUPPRESSION_K = 10  # cells under k participants are never shown publicly
PREFER_NOT_TO_SAY = "prefer-not-to-say"


class ProcessRecord(models.Model):
    """Who may take part, from which frame they were drawn, when, and the context's settings for
    self-description, suppression, raw answers and ratification."""

    context = models.OneToOneField(
        "deliberation.Context", on_delete=models.CASCADE, related_name="process_record"
    )
    eligibility = models.TextField(_("who may take part"), blank=True)
    sampling_frame = models.TextField(_("sampling frame"), blank=True)
    window_start = models.DateField(_("window opens"), null=True, blank=True)
    window_end = models.DateField(_("window closes"), null=True, blank=True)
    suppression_k = models.PositiveSmallIntegerField(
        _("smallest publishable cell"),
        default=DEFAULT_SUPPRESSION_K,
        help_text=_("Public figures about fewer participants than this are suppressed."),
    )
    self_description_after = models.PositiveSmallIntegerField(
        _("ask self-description questions after this many votes"), default=5
    )
    raw_answers_allowed = models.BooleanField(
        _("researchers with the answers scope may read self-description answers"), default=False
    )
    # E.g. 0.6: at least 60% approval in every opinion group before a version may be published.
    ratification_min_approval = models.FloatField(
        _("approval required in every opinion group"), null=True, blank=True
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(suppression_k__gte=2), name="suppression_k_min"),
            models.CheckConstraint(
                condition=Q(ratification_min_approval__isnull=True)
                | Q(ratification_min_approval__gt=0, ratification_min_approval__lte=1),
                name="ratification_min_approval_share",
            ),
        ]

    def __str__(self) -> str:
        return f"process record of {self.context}"


class Channel(models.Model):
    """A named way in: an invite link, a signed external-id source, the public link, an import.

    A participant's channel follows from how they joined, which the participant row records (its
    invite, or its kind in its conversation): see `deliberation.services.process.channel_of`.
    """

    class Kind(models.TextChoices):
        INVITE = "invite", _("Invite link")
        XID = "xid", _("Signed external-id source")
        PUBLIC = "public", _("Public link")
        IMPORT = "import", _("Imported from another platform")

    context = models.ForeignKey(
        "deliberation.Context", on_delete=models.CASCADE, related_name="channels"
    )
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(max_length=10, choices=Kind)
    # Narrows the channel to one conversation (null: the whole context) or one invite link.
    conversation = models.ForeignKey(
        "deliberation.Conversation", null=True, blank=True, on_delete=models.CASCADE
    )
    invite = models.OneToOneField(
        "deliberation.Invite", null=True, blank=True, on_delete=models.CASCADE
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["context", "name"], name="channel_name_unique"),
            models.CheckConstraint(
                condition=Q(invite__isnull=True) | Q(kind="invite"), name="invite_channel_kind"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    """A single-choice question: screening (before the first vote) or self-description (once,
    after some votes, never blocking)."""

    class Kind(models.TextChoices):
        SCREENING = "screening", _("Screening")
        SELF_DESCRIPTION = "self", _("Self-description")

    context = models.ForeignKey(
        "deliberation.Context", on_delete=models.CASCADE, related_name="questions"
    )
    kind = models.CharField(max_length=10, choices=Kind)
    key = models.SlugField(max_length=50)
    text = models.CharField(_("question"), max_length=300)
    position = models.PositiveSmallIntegerField(default=0)
    target_source = models.CharField(_("source of the target shares"), max_length=300, blank=True)

    class Meta:
        ordering = ["kind", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["context", "key"], name="question_key_unique"),
        ]

    def __str__(self) -> str:
        return self.text


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    key = models.SlugField(max_length=50)
    label = models.CharField(_("answer"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    # Screening: whether this answer lets the person take part.
    eligible = models.BooleanField(default=True)
    # Self-description: the population's share of this answer (null: no target entered).
    target_share = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["question", "key"], name="choice_key_unique"),
            models.CheckConstraint(
                condition=Q(target_share__isnull=True)
                | Q(target_share__gte=0, target_share__lte=1),
                name="target_share_is_share",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_prefer_not_to_say(self) -> bool:
        return self.key == PREFER_NOT_TO_SAY


class Answer(models.Model):
    """One participant's answer to one question; deleted with the participant."""

    participant = models.ForeignKey(
        "deliberation.Participant", on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    choice = models.ForeignKey(Choice, on_delete=models.CASCADE, related_name="answers")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "question"], name="one_answer_per_question"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id}: {self.choice_id}"


class SelfDescriptionAsked(models.Model):
    """The participant was shown the self-description questions (answered or not): asked once."""

    participant = models.OneToOneField(
        "deliberation.Participant", on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"asked {self.participant_id}"


class ScreeningTally(models.Model):
    """How many people screening let in and kept out of a conversation: nothing else about the
    people kept out is stored."""

    conversation = models.OneToOneField(
        "deliberation.Conversation", on_delete=models.CASCADE, related_name="screening_tally"
    )
    eligible = models.PositiveIntegerField(default=0)
    screened_out = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"screening of {self.conversation_id}"
