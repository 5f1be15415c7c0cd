"""The process record of a context and its recruitment channels (issue 13).

A participant's channel is not copied onto them: the participant row already records how they
came in (the invite link they used, or their kind: external id, public link, import), and
`channel_of` names that way in with the facilitator's description. So a channel described after
people joined through it still counts them, and a deleted participant leaves nothing behind.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.text import clean_text
from deliberation.errors import InvalidProcessSetting
from deliberation.models import Channel, Context, Conversation, Invite, Participant, ProcessRecord

KIND_TO_CHANNEL = {
    Participant.Kind.EXTERNAL: Channel.Kind.XID,
    Participant.Kind.ANONYMOUS: Channel.Kind.PUBLIC,
    Participant.Kind.USER: Channel.Kind.PUBLIC,
    Participant.Kind.IMPORTED: Channel.Kind.IMPORT,
    Participant.Kind.INVITED: Channel.Kind.INVITE,
}


def plan_key(context_id: int) -> str:
    """The cache key of a context's question plan (deliberation.services.questions)."""
    return f"polity:question-plan:{context_id}"


def forget_question_plan(context_id: int) -> None:
    cache.delete(plan_key(context_id))


def process_record(context: Context) -> ProcessRecord:
    """The context's record; an unsaved one with the defaults when none was written yet."""
    record = ProcessRecord.objects.filter(context=context).first()
    return record or ProcessRecord(context=context)


def set_process_record(
    *,
    context: Context,
    eligibility: str = "",
    sampling_frame: str = "",
    window_start: date | None = None,
    window_end: date | None = None,
    suppression_k: int = 10,
    self_description_after: int = 5,
    raw_answers_allowed: bool = False,
    ratification_min_approval: float | None = None,
) -> ProcessRecord:
    """Write the context's process record whole; refuses bad values before writing."""
    if window_start and window_end and window_end < window_start:
        raise InvalidProcessSetting(_("The window cannot close before it opens."))
    if suppression_k < 2:
        raise InvalidProcessSetting(
            _("The smallest publishable cell must be at least 2 participants.")
        )
    if ratification_min_approval is not None and not 0 < ratification_min_approval <= 1:
        raise InvalidProcessSetting(
            _("The approval required is a share between 0 and 1, for example 0.6 for 60%.")
        )
    values = {
        "eligibility": _clean_optional(eligibility, _("Eligibility")),
        "sampling_frame": _clean_optional(sampling_frame, _("Sampling frame")),
        "window_start": window_start,
        "window_end": window_end,
        "suppression_k": suppression_k,
        "self_description_after": self_description_after,
        "raw_answers_allowed": raw_answers_allowed,
        "ratification_min_approval": ratification_min_approval,
    }
    record, _created = ProcessRecord.objects.update_or_create(context=context, defaults=values)
    forget_question_plan(context.pk)  # the plan holds when to ask self-description
    return record


def _clean_optional(text: str, field: str) -> str:
    return clean_text(text, max_length=2000, field=field, multiline=True) if text.strip() else ""


def add_channel(
    *,
    context: Context,
    name: str,
    kind: str,
    description: str = "",
    conversation: Conversation | None = None,
    invite: Invite | None = None,
) -> Channel:
    """Name a way in: an invite link, an external-id source, the public link or an import."""
    name = clean_text(name, max_length=100, field=_("Name"))
    if kind not in Channel.Kind.values:
        raise InvalidProcessSetting(
            _("A channel is an invite link, an external-id source, the public link or an import.")
        )
    if invite is not None:
        kind, conversation = Channel.Kind.INVITE, invite.conversation
    if conversation is not None and conversation.context_id != context.pk:
        raise InvalidProcessSetting(_("That conversation belongs to another context."))
    try:
        with transaction.atomic():
            return Channel.objects.create(
                context=context,
                name=name,
                kind=kind,
                description=_clean_optional(description, _("Description")),
                conversation=conversation,
                invite=invite,
            )
    except IntegrityError:
        raise InvalidProcessSetting(
            _(
                "This context already has a channel named “%(name)s”, or that invite link "
                "already has a channel."
            )
            % {"name": name}
        ) from None


def channel_of(participant: Participant, channels: list[Channel]) -> Channel | None:
    """The channel `participant` came through: their invite link's, else the most specific
    channel of their kind (their conversation's before the context's); None if unnamed."""
    if participant.invite_id is not None:
        for channel in channels:
            if channel.invite_id == participant.invite_id:
                return channel
    kind = KIND_TO_CHANNEL[participant.kind]
    candidates = [c for c in channels if c.kind == kind and c.invite_id is None]
    for channel in candidates:
        if channel.conversation_id == participant.conversation_id:
            return channel
    for channel in candidates:
        if channel.conversation_id is None:
            return channel
    return None


@dataclass(frozen=True)
class ChannelCount:
    name: str
    kind: str
    description: str
    participants: int


def channel_counts(context: Context) -> list[ChannelCount]:
    """Every channel of the context with how many participants came through it, and, when some
    came in by no named channel, a last row saying so."""
    channels = list(Channel.objects.filter(context=context))
    participants = Participant.objects.filter(conversation__context=context).only(
        "invite_id", "kind", "conversation_id"
    )
    counts = Counter(
        (channel.pk if channel else None)
        for channel in (channel_of(p, channels) for p in participants)
    )
    rows = [ChannelCount(c.name, c.kind, c.description, counts.get(c.pk, 0)) for c in channels]
    if counts.get(None):
        rows.append(ChannelCount(_("no named channel"), "", "", counts[None]))
    return rows
