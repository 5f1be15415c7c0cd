"""What the process record adds to a draft (issue 13): the facilitator's decisions on principles
whose verdict flips under weighting, and ratification rounds with participants' votes.

Kept beside `models.py` (which imports these). Both refuse changes once their version is
published, like everything else about a version.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class WeightingDecision(models.Model):
    """The facilitator's call on a principle that passes one way (weighted or not) only."""

    class Decision(models.TextChoices):
        KEEP = "keep", _("Keep the unweighted verdict")
        FOLLOW_WEIGHTING = "weighted", _("Follow the weighted verdict")

    version = models.ForeignKey(
        "constitutions.ConstitutionVersion", on_delete=models.CASCADE, related_name="+"
    )
    # The candidate: a statement of a source conversation (a principle, or a failed statement
    # that would pass weighted).
    statement_id = models.BigIntegerField()
    conversation = models.CharField(max_length=32)
    text = models.TextField()
    decision = models.CharField(max_length=10, choices=Decision)
    reason = models.TextField(_("reason"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.decision} on {self.statement_id}"


class RatificationRound(models.Model):
    """Participants of the source conversations approve or reject a draft, principle by principle
    and as a whole. Closing it computes and keeps the results."""

    version = models.ForeignKey(
        "constitutions.ConstitutionVersion", on_delete=models.CASCADE, related_name="+"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    results = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version"], condition=Q(closed_at__isnull=True), name="one_open_round"
            ),
        ]

    def __str__(self) -> str:
        return f"ratification of {self.version_id}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class RatificationVote(models.Model):
    """One participant's approval or rejection of one principle (null: the whole text)."""

    round = models.ForeignKey(RatificationRound, on_delete=models.CASCADE, related_name="votes")
    participant = models.ForeignKey(
        "deliberation.Participant", on_delete=models.CASCADE, related_name="+"
    )
    principle = models.ForeignKey(
        "constitutions.Principle", null=True, on_delete=models.CASCADE, related_name="+"
    )
    approve = models.BooleanField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "participant", "principle"],
                condition=Q(principle__isnull=False),
                name="one_ratification_per_principle",
            ),
            models.UniqueConstraint(
                fields=["round", "participant"],
                condition=Q(principle__isnull=True),
                name="one_ratification_of_the_whole",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id}: {self.approve}"
