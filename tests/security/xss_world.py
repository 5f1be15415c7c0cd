"""A context where every piece of user-written text is an XSS payload: titles, descriptions,
statements, moderation and exclusion reasons, invite labels, principle texts, requests,
categories and changelogs, and the user names of the facilitators who did each step."""

from dataclasses import dataclass
from itertools import cycle

from django.contrib.auth import get_user_model
from django.utils import timezone

from constitutions.models import ConstitutionVersion
from constitutions.rules import SelectionRule
from constitutions.services import curation
from constitutions.services.compile import compile_draft
from constitutions.services.publishing import publish_version
from deliberation.models import Context, Conversation, Invite, Participant, Statement, Vote
from deliberation.services.facilitation import exclude_participant, moderate_statement
from tests.constitutions.helpers import analysed_conversation
from tests.factories import make_participant, make_statement
from tests.security.xss_payloads import chunks, payloads

A, D = 1, -1
LONG = "\n".join  # payloads, one a line, for text fields without a length limit


@dataclass
class XssWorld:
    texts: list[str]
    context: Context
    conversation: Conversation
    facilitator: object
    participant: Participant  # has voted on every statement but the analysed ones
    draft: ConstitutionVersion


def _rewrite(version, users, texts) -> None:
    """Put payloads into every principle of a draft through the curation services."""
    actors = cycle(users)
    pieces = cycle(chunks(texts, curation.PRINCIPLE_MAX_LENGTH))
    for principle in version.principles.all():
        curation.reword_principle(principle=principle, actor=next(actors), text=next(pieces))
        curation.set_requests(
            principle=principle, actor=next(actors), critique=next(pieces), revision=next(pieces)
        )
        curation.categorise_principle(principle=principle, actor=next(actors), category=texts[7])


def make_xss_world() -> XssWorld:
    texts = payloads()
    users = [
        get_user_model().objects.create_user(
            text[:150], password="a-long-password-xss", first_name=text[:150], last_name=text[:150]
        )
        for text in texts[:6]
    ]
    context = Context.objects.create(
        slug="hostile",
        title=texts[0][:200],
        description=LONG(texts),
        domain=texts[1][:200],
        deployment_surface=texts[2][:200],
        intended_users=LONG(texts),
        affected_non_users=LONG(texts),
        languages=texts[3][:200],
        jurisdiction=texts[4][:200],
        out_of_scope_uses=LONG(texts),
    )
    context.facilitators.add(*users)
    # More public contexts, each titled with a payload, for the home page's list.
    for number, text in enumerate(texts[:40]):
        Context.objects.create(slug=f"hostile-{number}", title=text[:200], description=text)
    conversation = Conversation.objects.create(
        context=context,
        topic=texts[5][:300],
        description=LONG(texts),
        state=Conversation.State.OPEN,
    )
    participant = make_participant(conversation)
    now = timezone.now()
    analysed = texts[200:208]  # the analysis' statements, which the participant has not seen
    shown = [make_statement(conversation, t) for t in texts[8:] if t not in analysed]
    Vote.objects.bulk_create(
        Vote(
            conversation=conversation,
            participant=participant,
            statement=statement,
            value=A,
            created_at=now,
            updated_at=now,
        )
        for statement in shown
    )
    for text, actor in zip(texts[:4], users, strict=False):
        pending = make_statement(conversation, f"{text} (pending)", state=Statement.State.PENDING)
        if actor is users[0]:
            moderate_statement(statement=pending, actor=actor, accept=False, reason=text)
    Invite.objects.create(
        conversation=conversation, token_sha256="0" * 64, label=texts[6][:100], created_by=users[2]
    )
    exclude_participant(participant=make_participant(conversation), actor=users[3], reason=texts[7])
    analysed_conversation(conversation, [(t, A, D if i % 2 else A) for i, t in enumerate(analysed)])
    rule = SelectionRule(rule="gic", threshold=0.0, min_votes_per_group=1)
    for number in ("1.0.0", "1.1.0", None):
        draft = compile_draft(
            context=context, actor=users[0], conversation_ids=[conversation.pk], rule=rule
        )
        _rewrite(draft, users, texts if number != "1.1.0" else texts[::-1])
        if number:
            changelog = chunks(texts, 5000)[0 if number == "1.0.0" else 1]
            publish_version(version=draft, actor=users[1], number=number, changelog=changelog)
    return XssWorld(
        texts=texts,
        context=context,
        conversation=conversation,
        facilitator=users[0],
        participant=participant,
        draft=draft,
    )
