"""Scenarios that make a principle testable, participants' proposals of them, and the adherence
reports that evaluation jobs send back.

A scenario hangs off a principle like its sources and editorial steps do, and is frozen with the
version the same three ways (model guards via `PrincipleRecord`, read-only admin, database
triggers in migration 0006). Reports point at a published version and are append-only.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from constitutions.models import (
    ApiToken,
    Constitution,
    ConstitutionVersion,
    Principle,
    PrincipleRecord,
)


class Scenario(PrincipleRecord):
    """When the principle would matter: a user message (or a short conversation ending with one),
    and optionally a response that follows the principle and one that breaks it, each with why."""

    principle = models.ForeignKey(Principle, on_delete=models.CASCADE, related_name="scenarios")
    # [{"role": "user" | "assistant", "content": str}, ...], ending with the user's turn.
    turns = models.JSONField()
    following = models.TextField(_("a response that follows the principle"), blank=True)
    following_why = models.CharField(_("why it follows"), max_length=300, blank=True)
    breaking = models.TextField(_("a response that breaks the principle"), blank=True)
    breaking_why = models.CharField(_("why it breaks"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("scenario")

    def __str__(self) -> str:
        return self.turns[-1]["content"] if self.turns else ""


class ScenarioProposal(models.Model):
    """A participant's "when would this matter?", waiting for the facilitators like a statement
    in strict moderation; accepted, it becomes a scenario of a draft."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    constitution = models.ForeignKey(
        Constitution, on_delete=models.CASCADE, related_name="scenario_proposals"
    )
    # The principle it was proposed for, as the proposer saw it (a published one, or a draft's).
    principle = models.ForeignKey(
        Principle, null=True, on_delete=models.SET_NULL, related_name="proposals"
    )
    principle_key = models.CharField(max_length=40)
    principle_text = models.TextField()
    text = models.TextField(_("situation"))
    proposer_key = models.CharField(max_length=64)  # pseudonymous: rate limits, never shown
    state = models.CharField(max_length=10, choices=State, default=State.PENDING)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text


class AdherenceReport(models.Model):
    """How one model did on one published version's eval set, as its evaluation job reported."""

    version = models.ForeignKey(
        ConstitutionVersion, on_delete=models.PROTECT, related_name="adherence_reports"
    )
    token = models.ForeignKey(ApiToken, null=True, on_delete=models.SET_NULL, related_name="+")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reporter_name = models.CharField(max_length=150)
    model_name = models.CharField(_("model"), max_length=200)
    model_revision = models.CharField(_("revision or hash"), max_length=200)
    eval_sha256 = models.CharField(max_length=64)
    url = models.URLField(blank=True, max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.model_name} {self.model_revision}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("adherence reports are append-only")
        super().save(*args, **kwargs)


class AdherenceResult(models.Model):
    """One principle's line of a report: how many samples, and the share judged to follow it."""

    report = models.ForeignKey(AdherenceReport, on_delete=models.CASCADE, related_name="results")
    principle_key = models.CharField(max_length=40)
    samples = models.PositiveIntegerField()
    follow_share = models.FloatField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "principle_key"], name="one_result_per_key"),
            models.CheckConstraint(
                condition=models.Q(follow_share__gte=0, follow_share__lte=1),
                name="follow_share_is_a_share",
            ),
            models.CheckConstraint(condition=models.Q(samples__gt=0), name="samples_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.principle_key}: {self.follow_share:.2f}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("adherence reports are append-only")
        super().save(*args, **kwargs)
