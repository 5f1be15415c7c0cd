"""Constitutions, their versions and principles, and the provenance of every principle.

A version is a draft until it is published; from then on it, its principles, their sources and
their editorial history are frozen. The freeze is enforced three times: here (model and queryset
guards), in the admin (read-only), and in the database (triggers in migration 0002), so that a
correction can only ever be a new version.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from constitutions.errors import VersionPublished
from constitutions.wording import default_critique, default_revision
from deliberation.models import Context, Statement


class Rule(models.TextChoices):
    GIC = "gic", _("Group-informed consensus above a threshold for the number of groups")
    MIN_GROUP = "min-group", _("Agree share in every group above a threshold")
    BRIDGING = "bridging", _("Bridging score above a threshold")


class Constitution(models.Model):
    """The one constitution of a context of use; its versions are its history."""

    context = models.OneToOneField(Context, on_delete=models.PROTECT, related_name="constitution")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("constitution")

    def __str__(self) -> str:
        return str(self.context)


class FrozenQuerySet(models.QuerySet):
    """Bulk update/delete refuse to touch rows of a published version (see `published_lookup`)."""

    published_lookup = ""

    def _refuse_if_published(self) -> None:
        if self.filter(**{self.published_lookup: False}).exists():
            raise VersionPublished()

    def update(self, **kwargs):
        self._refuse_if_published()
        return super().update(**kwargs)

    def delete(self):
        self._refuse_if_published()
        return super().delete()


class VersionQuerySet(FrozenQuerySet):
    published_lookup = "published_at__isnull"

    def published(self):
        return self.filter(published_at__isnull=False)


class PrincipleQuerySet(FrozenQuerySet):
    published_lookup = "version__published_at__isnull"


class PrincipleRecordQuerySet(FrozenQuerySet):
    published_lookup = "principle__version__published_at__isnull"


class ConstitutionVersion(models.Model):
    constitution = models.ForeignKey(
        Constitution, on_delete=models.PROTECT, related_name="versions"
    )
    # Semantic version, given at publication; drafts have none.
    number = models.CharField(_("version"), max_length=40, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    changelog = models.TextField(_("changelog"), blank=True)
    rule = models.CharField(_("selection rule"), max_length=20, choices=Rule)
    rule_parameters = models.JSONField(default=dict)
    # What the draft was compiled from: one entry per conversation with its snapshot.
    snapshots = models.JSONField(default=list)
    analyses = models.JSONField(default=list)
    failures = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    canonical_json = models.TextField(blank=True)
    content_sha256 = models.CharField(max_length=64, blank=True)

    objects = VersionQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("constitution version")
        constraints = [
            models.UniqueConstraint(
                fields=["constitution", "number"],
                condition=~models.Q(number=""),
                name="one_version_per_number",
            ),
            models.CheckConstraint(
                condition=models.Q(published_at__isnull=True)
                | (~models.Q(number="") & ~models.Q(content_sha256="")),
                name="published_version_is_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.constitution} {self.number or _('draft')}"

    def save(self, *args, **kwargs):
        if (
            self.pk is not None
            and type(self).objects.filter(pk=self.pk, published_at__isnull=False).exists()
        ):
            raise VersionPublished()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if (
            self.published_at is not None
            or type(self).objects.published().filter(pk=self.pk).exists()
        ):
            raise VersionPublished()
        return super().delete(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Part(models.TextChoices):
    CONSENSUS = "consensus", _("Consensus principle")
    GROUP = "group", _("Group-specific principle")
    CONTESTED = "contested", _("Contested statement")


class Principle(models.Model):
    version = models.ForeignKey(
        ConstitutionVersion, on_delete=models.CASCADE, related_name="principles"
    )
    part = models.CharField(max_length=10, choices=Part)
    position = models.PositiveIntegerField(default=0)
    category = models.CharField(_("category"), max_length=100, blank=True)
    text = models.TextField(_("principle"))
    # A facilitator's own requests; blank means the default, derived from the text when the
    # version is rendered, so a reword or merge can never leave a request about an older text.
    critique_request = models.TextField(_("critique request"), blank=True)
    revision_request = models.TextField(_("revision request"), blank=True)
    # SHA-256 of the text the custom requests were written for: they count only while it is the
    # text. Nullable so that adding it is an ALTER TABLE ADD COLUMN on SQLite too (a rebuilt
    # table would lose the freeze triggers of migration 0002).
    requests_text_sha256 = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    # Group-specific principles: the opinion group (per its first source's analysis) behind it.
    group = models.IntegerField(null=True, blank=True)
    scores = models.JSONField(default=dict)
    dropped_reason = models.TextField(blank=True)
    is_dropped = models.BooleanField(default=False)

    objects = PrincipleQuerySet.as_manager()

    class Meta:
        ordering = ["part", "position", "id"]
        verbose_name = _("principle")

    def __str__(self) -> str:
        return self.text

    def save(self, *args, **kwargs):
        self._refuse_if_published()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_published()
        return super().delete(*args, **kwargs)

    def _refuse_if_published(self) -> None:
        if ConstitutionVersion.objects.published().filter(pk=self.version_id).exists():
            raise VersionPublished()

    @property
    def has_custom_requests(self) -> bool:
        return bool(self.critique_request or self.revision_request)

    @property
    def requests_are_stale(self) -> bool:
        """Custom requests written for another wording than the current one."""
        return self.has_custom_requests and self.requests_text_sha256 != text_sha256(self.text)

    def effective_requests(self) -> tuple[str, str]:
        """The (critique, revision) requests that describe the current text: the facilitator's
        own while they were written for it, otherwise the defaults derived from it."""
        own = (
            ("", "") if self.requests_are_stale else (self.critique_request, self.revision_request)
        )
        return own[0] or default_critique(self.text), own[1] or default_revision(self.text)


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class PrincipleRecord(models.Model):
    """Shared freeze for what hangs off a principle (its sources and editorial steps)."""

    objects = PrincipleRecordQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._refuse_if_published()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_published()
        return super().delete(*args, **kwargs)

    def _refuse_if_published(self) -> None:
        if Principle.objects.filter(
            pk=self.principle_id, version__published_at__isnull=False
        ).exists():
            raise VersionPublished()


class PrincipleSource(PrincipleRecord):
    """A statement behind a principle, with its text and vote evidence as the analysis saw them."""

    principle = models.ForeignKey(Principle, on_delete=models.CASCADE, related_name="sources")
    statement = models.ForeignKey(Statement, null=True, on_delete=models.SET_NULL, related_name="+")
    statement_text = models.TextField()
    conversation_public_id = models.CharField(max_length=32)
    snapshot_id = models.BigIntegerField()
    evidence = models.JSONField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.statement_text


class EditorialStep(PrincipleRecord):
    """Who changed a principle, when, how and why: shown next to the principle and published."""

    class Action(models.TextChoices):
        COMPILE = "compile", _("compiled from the analysis")
        MERGE = "merge", _("merged statements")
        REWORD = "reword", _("reworded")
        REQUESTS = "requests", _("wrote critique and revision requests")
        ORDER = "order", _("moved")
        CATEGORISE = "categorise", _("categorised")
        DROP = "drop", _("dropped")
        RESTORE = "restore", _("restored")
        SCENARIO = "scenario", _("wrote, changed or dropped a scenario")

    principle = models.ForeignKey(Principle, on_delete=models.CASCADE, related_name="steps")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=12, choices=Action)
    before = models.TextField(blank=True)
    after = models.TextField(blank=True)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.action} by {self.actor_name or '-'}"


class ApiToken(models.Model):
    """A researcher's named API token; only its SHA-256 is kept, so it is shown once."""

    class Scope(models.TextChoices):
        CONSTITUTIONS = "constitutions", _("Read published constitutions")
        RAW = "raw", _("Read raw conversation data (votes, analysis snapshots)")
        REPORT = "report", _("Post adherence reports (how a model did on a version's eval set)")
        # A separate scope (issue 13): raw data plus self-description answers, where the context
        # allows it, with answer combinations shared by fewer than k participants suppressed.
        RAW_ANSWERS = "raw-answers", _("Read raw conversation data with self-description answers")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(_("scope"), max_length=20, choices=Scope)
    token_sha256 = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("API token")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class WebhookSubscriber(models.Model):
    context = models.ForeignKey(Context, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(_("address"), max_length=500)
    secret = models.CharField(max_length=64)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    subscriber = models.ForeignKey(
        WebhookSubscriber, on_delete=models.CASCADE, related_name="deliveries"
    )
    version = models.ForeignKey(ConstitutionVersion, on_delete=models.PROTECT, related_name="+")
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    response_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    # When the sweep may (re-)send a pending delivery: the database is the outbox, so a
    # delivery whose task was never queued (broker down) or was lost (worker killed) still goes.
    next_attempt_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.subscriber} {self.status}"


class Consumption(models.Model):
    """A training or evaluation job declared that it used this version, with this hash."""

    class Kind(models.TextChoices):
        TRAINING = "training", _("Training")
        EVALUATION = "evaluation", _("Evaluation")
        OTHER = "other", _("Other")

    version = models.ForeignKey(
        ConstitutionVersion, on_delete=models.PROTECT, related_name="consumptions"
    )
    token = models.ForeignKey(ApiToken, null=True, on_delete=models.SET_NULL, related_name="+")
    job_name = models.CharField(_("job"), max_length=200)
    kind = models.CharField(max_length=12, choices=Kind)
    url = models.URLField(blank=True, max_length=500)
    content_sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.job_name


# Scenarios and adherence reports (issue 12) and ratification and weighting decisions (issue 13)
# live in their own modules (this one is long enough); importing them here registers them.
from constitutions.legitimacy_models import (  # noqa: E402, F401
    RatificationRound,
    RatificationVote,
    WeightingDecision,
)
from constitutions.scenario_models import (  # noqa: E402, F401
    AdherenceReport,
    AdherenceResult,
    Scenario,
    ScenarioProposal,
)
