"""What happened in a conversation, written once and kept: facilitation's audit log and the
analysis' snapshots. Registered with the app by `deliberation.models`, which re-exports both."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from deliberation.models import Conversation, Participant, Statement


class ModerationAction(models.Model):
    """The audit log of facilitation: who did what, when and why."""

    class Action(models.TextChoices):
        SEED = "seed", _("seeded statement")
        ACCEPT = "accept", _("accepted statement")
        REJECT = "reject", _("rejected statement")
        META = "meta", _("marked statement as meta")
        UNMETA = "unmeta", _("unmarked statement as meta")
        EXCLUDE = "exclude", _("excluded participant")
        READMIT = "readmit", _("readmitted participant")
        OPEN = "open", _("opened conversation")
        CLOSE = "close", _("closed conversation")
        INVITE = "invite", _("created invite link")
        REVOKE_INVITE = "revoke", _("revoked invite link")
        ERASE = "erase", _("participant deleted their own data")
        XID_SIGNED = "xid_signed", _("required signed external ids")
        XID_UNSIGNED = "xid_plain", _("stopped requiring signed external ids")
        XID_REKEY = "xid_rekey", _("regenerated the external id signing key")
        SETTINGS = "settings", _("changed who may take part or how")
        SWITCH = "switch", _("a browser switched to another participant's link")

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="moderation_actions"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=10, choices=Action)
    statement = models.ForeignKey(Statement, null=True, blank=True, on_delete=models.CASCADE)
    participant = models.ForeignKey(Participant, null=True, blank=True, on_delete=models.CASCADE)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["conversation", "id"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.created_at:%Y-%m-%d %H:%M})"


class SnapshotQuerySet(models.QuerySet):
    """A conversation's snapshots. The latest is the one with the highest id: each run of the
    analysis writes a new row, so ids grow with the input a snapshot covers."""

    def newest_first(self, conversation) -> "SnapshotQuerySet":
        """`conversation` (an instance, its pk or an OuterRef)'s snapshots, newest first."""
        return self.filter(conversation=conversation).order_by("-id")

    def latest_for(self, conversation):
        """The latest snapshot of `conversation` (or the values this queryset asks for), or None.
        Chains after only(), defer(), values_list() and select_related()."""
        return self.newest_first(conversation).first()


class AnalysisSnapshot(models.Model):
    """One immutable run of the opinion analysis over a conversation.

    The watermarks say exactly which input it covers: every vote event up to `vote_watermark` and
    every moderation action up to `moderation_watermark`. A snapshot is written whole, once, and
    never updated; a newer input makes a newer snapshot.
    """

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="snapshots"
    )
    vote_watermark = models.BigIntegerField()
    moderation_watermark = models.BigIntegerField()
    algorithm = models.CharField(max_length=100)
    parameters = models.JSONField()
    result = models.JSONField()
    state = models.JSONField(help_text="What the next run continues from (Polis' smoother, etc.).")
    participant_count = models.PositiveIntegerField()
    vote_count = models.PositiveIntegerField()
    seconds = models.FloatField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        get_latest_by = "id"
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "vote_watermark", "moderation_watermark"],
                name="one_snapshot_per_watermark",
            ),
        ]

    def __str__(self) -> str:
        return f"analysis {self.pk} of conversation {self.conversation_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("An analysis snapshot is immutable once written.")
        super().save(*args, **kwargs)
