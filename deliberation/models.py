"""The domain of deliberation: contexts of use, conversations, statements, participants, votes.

Votes are the one thing Polity must never lose: one current `Vote` row per (participant,
statement), enforced by the database, and an append-only `VoteEvent` for every vote cast, so the
history is auditable and the event id is a monotonic watermark for the analysis.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.text import normalise_for_comparison

STATEMENT_MAX_LENGTH = 400  # as Polis: a norm should fit in a sentence or two


def statement_key(text: str) -> str:
    """The folded text that duplicate checks compare and the database keeps unique, cut to its
    column: folding can lengthen a text (NFKC spells out a ligature such as U+FDFA in full)."""
    return normalise_for_comparison(text)[:STATEMENT_MAX_LENGTH]


class Context(models.Model):
    """A delineated context of use; every conversation and constitution belongs to one."""

    # What describes the context of use: shown on pages, edited by facilitators, served by the
    # API and recorded in every published constitution.
    DESCRIPTION_FIELDS = (
        "title",
        "description",
        "domain",
        "deployment_surface",
        "intended_users",
        "affected_non_users",
        "languages",
        "jurisdiction",
        "out_of_scope_uses",
    )

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    domain = models.CharField(_("domain"), max_length=200, blank=True)
    deployment_surface = models.CharField(_("deployment surface"), max_length=200, blank=True)
    intended_users = models.TextField(_("intended users"), blank=True)
    affected_non_users = models.TextField(_("affected non-users"), blank=True)
    languages = models.CharField(_("languages"), max_length=200, blank=True)
    jurisdiction = models.CharField(_("jurisdiction"), max_length=200, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    out_of_scope_uses = models.TextField(_("out-of-scope uses"), blank=True)

    class Licence(models.TextChoices):
        # SPDX identifiers; constitutions/licences.py says what a published document records.
        CC_BY_4_0 = "CC-BY-4.0", _("CC BY 4.0: anyone may reuse them, crediting the community")
        CC0_1_0 = "CC0-1.0", _("CC0 1.0: public domain, no conditions")

    constitution_licence = models.CharField(
        _("licence of published constitutions"),
        max_length=20,
        choices=Licence,
        default=Licence.CC_BY_4_0,
        help_text=_("Recorded in every version published from now on; earlier ones keep theirs."),
    )
    is_public = models.BooleanField(
        _("public"),
        default=True,
        help_text=_("Published constitutions can be read without a token."),
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="facilitated_contexts", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("context")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("frontend:constitution", args=[self.slug])


PUBLIC_ID_ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_public_id() -> str:
    # Letters and digits only: an id starting with "-" would read as an option on a command line
    # (export_polis ID DIR), and "_" or "-" are easy to lose when a link is retyped.
    return "".join(secrets.choice(PUBLIC_ID_ALPHABET) for _ in range(11))


def new_xid_key() -> str:
    # 256 bits, as the webhook secrets: the key an embedding site signs its members' ids with.
    return secrets.token_hex(32)


class Conversation(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class Moderation(models.TextChoices):
        STRICT = "strict", _("Strict: only accepted statements are shown")
        PERMISSIVE = "permissive", _("Permissive: all statements not rejected are shown")

    class Identity(models.TextChoices):
        ANONYMOUS = "anonymous", _("Anyone with the link, anonymously")
        INVITE = "invite", _("Invite link only")
        XID = "xid", _("External id from an embedding site")

    context = models.ForeignKey(Context, on_delete=models.PROTECT, related_name="conversations")
    public_id = models.CharField(max_length=32, unique=True, default=new_public_id, editable=False)
    topic = models.CharField(_("topic"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.DRAFT)
    moderation = models.CharField(
        _("moderation"), max_length=12, choices=Moderation, default=Moderation.STRICT
    )
    participants_can_write = models.BooleanField(
        _("participants may write statements"), default=True
    )
    identity_mode = models.CharField(
        _("identity"), max_length=12, choices=Identity, default=Identity.ANONYMOUS
    )
    xid_allowlist = models.TextField(
        _("allowed external ids"),
        blank=True,
        help_text=_("One per line. Empty: any external id the embedding site passes is accepted."),
    )
    # Set by facilitation services only (each change is in the audit log), never by a form.
    xid_signed = models.BooleanField(_("require signed external ids"), default=False)
    xid_key = models.CharField(max_length=64, default=new_xid_key, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("conversation")

    def __str__(self) -> str:
        return self.topic

    def get_absolute_url(self) -> str:
        return reverse("frontend:participate", args=[self.public_id])

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    def allowed_xids(self) -> set[str]:
        return parse_xid_allowlist(self.xid_allowlist)


def parse_xid_allowlist(text: str) -> set[str]:
    """One external id a line; blank lines and surrounding spaces do not count."""
    return {line.strip() for line in text.splitlines() if line.strip()}


class Invite(models.Model):
    """An invite link, single-use (one person) or shared; only a hash of its token is kept."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="invites")
    token_sha256 = models.CharField(max_length=64, unique=True)
    label = models.CharField(_("label"), max_length=100, blank=True)
    single_use = models.BooleanField(_("single use"), default=True)
    uses = models.PositiveIntegerField(default=0)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "id"]

    def __str__(self) -> str:
        return self.label or f"invite {self.pk}"


class Participant(models.Model):
    class Kind(models.TextChoices):
        ANONYMOUS = "anonymous", _("Anonymous")
        INVITED = "invited", _("Invited")
        EXTERNAL = "external", _("External id")
        USER = "user", _("Signed-in user")
        IMPORTED = "imported", _("Imported from another platform")

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="participants"
    )
    kind = models.CharField(max_length=10, choices=Kind)
    xid = models.CharField(max_length=200, blank=True)
    # The id this participant had where the votes came from (a Polis voter id); never shown.
    external_id = models.CharField(max_length=100, blank=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    invite = models.ForeignKey(Invite, null=True, blank=True, on_delete=models.SET_NULL)
    excluded_at = models.DateTimeField(null=True, blank=True)
    excluded_reason = models.TextField(blank=True)
    # Imported: the source platform had this participant in conversation, in this group (Polis'
    # group-id; -1: group unknown, imported before groups were kept); null: not in conversation.
    # Once in, always in, and the first analysis keeps the source's group numbers.
    imported_group = models.SmallIntegerField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "xid"], condition=~Q(xid=""), name="one_participant_per_xid"
            ),
            models.UniqueConstraint(
                fields=["conversation", "user"],
                condition=Q(user__isnull=False),
                name="one_participant_per_user",
            ),
            models.UniqueConstraint(
                fields=["conversation", "external_id"],
                condition=~Q(external_id=""),
                name="one_participant_per_external_id",
            ),
        ]

    def __str__(self) -> str:
        return f"participant {self.pk}"

    @property
    def is_excluded(self) -> bool:
        return self.excluded_at is not None


class Statement(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for moderation")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="statements"
    )
    text = models.CharField(_("statement"), max_length=STATEMENT_MAX_LENGTH)
    # `statement_key(text)`: the text folded down to look-alike letters (core/text.py); the
    # database refuses exact duplicates.
    normalised_text = models.CharField(max_length=STATEMENT_MAX_LENGTH, editable=False)
    # The id this statement had where it came from (a Polis comment id), kept for researchers.
    external_id = models.CharField(max_length=100, blank=True, editable=False)
    author = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="statements"
    )
    state = models.CharField(max_length=10, choices=State, default=State.PENDING)
    is_seed = models.BooleanField(_("seed"), default=False)
    is_meta = models.BooleanField(
        _("meta"),
        default=False,
        help_text=_("About the participant, not a norm; kept out of the maths."),
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderation_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "normalised_text"],
                name="statement_text_unique_in_conversation",
            ),
            models.UniqueConstraint(
                fields=["conversation", "external_id"],
                condition=~Q(external_id=""),
                name="one_statement_per_external_id",
            ),
        ]
        indexes = [models.Index(fields=["conversation", "state", "created_at"])]

    def __str__(self) -> str:
        return self.text


class VoteValue(models.IntegerChoices):
    AGREE = 1, _("Agree")
    DISAGREE = -1, _("Disagree")
    PASS = 0, _("Pass / unsure")


class Vote(models.Model):
    """The current vote of one participant on one statement."""

    # No index of their own: (conversation, statement) and the unique (participant, statement)
    # lead with them, and each index a million imported votes maintain costs seconds.
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="votes", db_index=False
    )
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField(choices=VoteValue)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "statement"], name="one_vote_per_statement"
            ),
            models.CheckConstraint(condition=Q(value__in=[-1, 0, 1]), name="vote_value_valid"),
        ]
        indexes = [models.Index(fields=["conversation", "statement"])]

    def __str__(self) -> str:
        return f"{self.participant_id} on {self.statement_id}: {self.value:+d}"


class VoteEvent(models.Model):
    """Append-only log of every vote cast; its id is the analysis watermark."""

    # (conversation, id) leads with the conversation: no index of its own.
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="+")
    value = models.SmallIntegerField(choices=VoteValue)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["conversation", "id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__in=[-1, 0, 1]), name="vote_event_value_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"event {self.pk}: {self.participant_id} on {self.statement_id}: {self.value:+d}"


# Registered with the app from here; defined apart to keep this module small.
from deliberation.process_models import (  # noqa: E402, F401
    Answer,
    Channel,
    Choice,
    ProcessRecord,
    Question,
    ScreeningTally,
    SelfDescriptionAsked,
)
from deliberation.record_models import (  # noqa: E402, F401
    AnalysisSnapshot,
    ModerationAction,
    SnapshotQuerySet,
)
