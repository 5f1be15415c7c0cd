"""Which participant this browser is, in each conversation: one signed cookie.

The cookie maps conversation public id -> participant id. The signature makes it tamper-proof:
an edited or forged value is ignored, so nobody can act as another participant by guessing ids.
"""

from django.conf import settings
from django.core import signing

from deliberation.models import Conversation, Participant
from deliberation.readers import participant_in

PARTICIPANT_COOKIE = "polity_participants"
# The salt keeps its first module's name: a new one would void every participant's cookie.
PARTICIPANT_COOKIE_SALT = "polity.frontend.participant-cookie"
PARTICIPANT_COOKIE_MAX_AGE = 365 * 24 * 60 * 60
# Oldest entries are dropped past this, keeping the cookie far below browsers' 4 kB limit.
REMEMBERED_CONVERSATIONS = 40


def _remembered(request) -> dict[str, int]:
    raw = request.COOKIES.get(PARTICIPANT_COOKIE)
    if not raw:
        return {}
    try:
        data = signing.loads(raw, salt=PARTICIPANT_COOKIE_SALT, max_age=PARTICIPANT_COOKIE_MAX_AGE)
    except signing.BadSignature:  # also an expired signature
        return {}
    if not isinstance(data, dict):
        return {}
    return {key: value for key, value in data.items() if isinstance(value, int)}


def _store(response, mapping: dict[str, int]) -> None:
    if not mapping:
        response.delete_cookie(PARTICIPANT_COOKIE, samesite="Lax")
        return
    response.set_cookie(
        PARTICIPANT_COOKIE,
        signing.dumps(mapping, salt=PARTICIPANT_COOKIE_SALT, compress=True),
        max_age=PARTICIPANT_COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=not settings.DEBUG,
    )


def current_participant(request, conversation: Conversation) -> Participant | None:
    """The participant this browser joined `conversation` as, from the signed cookie, or None."""
    participant_id = _remembered(request).get(conversation.public_id)
    if participant_id is None:
        return None
    # Plain SQL (deliberation/readers.py): this runs on every vote.
    participant = participant_in(conversation, participant_id)
    if participant is not None:
        participant.conversation = conversation
    return participant


def remember_participant(request, response, participant: Participant) -> None:
    """Add `participant` to the browser's signed cookie (a no-op when it is there already).

    It replaces another participant of the same conversation only after the switch page's POST:
    every other caller has the participant from the cookie or for a browser that had none here
    (resolver.SwitchAsked)."""
    mapping = _remembered(request)
    public_id = participant.conversation.public_id
    if mapping.get(public_id) == participant.pk:
        return
    mapping.pop(public_id, None)
    mapping[public_id] = participant.pk
    _store(response, dict(list(mapping.items())[-REMEMBERED_CONVERSATIONS:]))


def forget_participant(request, response, conversation: Conversation) -> None:
    """Take `conversation` out of the browser's cookie; drop the cookie if nothing is left."""
    mapping = _remembered(request)
    mapping.pop(conversation.public_id, None)
    _store(response, mapping)
