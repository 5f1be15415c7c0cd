"""Two contexts of use, each with its facilitator, an analysed conversation, a published version
and a draft, plus API tokens of every kind: the world the hostile-input tests attack.

Context A is public and context B private, so that a test can tell "hidden because private" from
"hidden because not yours". Ids that appear in URLs are fixed where the model allows it, so
generated requests can aim at real objects.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from constitutions.models import (
    ApiToken,
    ConstitutionVersion,
    Principle,
    Scenario,
    ScenarioProposal,
    WebhookSubscriber,
)
from constitutions.services.proposals import propose_scenario
from constitutions.services.scenarios import add_scenario
from constitutions.services.tokens import create_token, revoke_token
from deliberation.models import AnalysisSnapshot, Context, Conversation, Participant, Statement
from deliberation.services.facilitation import create_invite
from tests.constitutions.helpers import compiled_draft, published_version
from tests.factories import make_context


@dataclass
class Side:
    """Everything one facilitator owns."""

    context: Context
    facilitator: object
    conversation: Conversation
    snapshot: AnalysisSnapshot
    published: ConstitutionVersion
    draft: ConstitutionVersion
    principle: Principle  # of the draft
    scenario: Scenario  # of that principle
    proposal: ScenarioProposal  # pending, for the published version's first principle
    statement: Statement  # accepted, voted on by `participant`
    participant: Participant
    webhook: WebhookSubscriber
    token: ApiToken  # the facilitator's
    invite: str  # a shared invite token for the conversation


@dataclass
class World:
    a: Side
    b: Side
    tokens: dict[str, str]  # name -> raw secret: "constitutions", "raw", "expired", "revoked"
    admin: object = None  # a superuser, for tests that need one


def make_side(name: str, *, is_public: bool, **names) -> Side:
    context = make_context(
        slug=f"context-{name}", title=f"Context {name.upper()}", is_public=is_public
    )
    user = get_user_model().objects.create_user(
        names.get("username", f"facilitator-{name}"),
        password="a-long-facilitator-password",
        first_name=names.get("first_name", ""),
    )
    context.facilitators.add(user)
    conversation = Conversation.objects.create(
        context=context,
        public_id=f"conv-{name}",
        topic=names.get("topic", f"Conversation {name.upper()}"),
        description=names.get("description", ""),
        state=Conversation.State.OPEN,
    )
    # Before the analysis, whose snapshot then covers the invite's audit-log entry.
    invite = create_invite(conversation=conversation, actor=user, single_use=False)
    published = published_version(context, conversation, user)
    draft = compiled_draft(context, conversation, user)
    principle = draft.principles.order_by("part", "position", "id").first()
    # One of the analysed participants: it has a vote on every statement.
    participant = conversation.participants.order_by("id").first()
    return Side(
        context=context,
        facilitator=user,
        conversation=conversation,
        snapshot=conversation.snapshots.latest(),
        published=published,
        draft=draft,
        principle=principle,
        scenario=add_scenario(principle=principle, actor=user, conversation="When is it open?"),
        proposal=propose_scenario(
            version=published,
            principle_key="consensus-1",
            text="Someone asks about opening hours.",
            proposer_key=f"visitor-{name}",
        ),
        statement=conversation.statements.order_by("id").first(),
        participant=participant,
        webhook=WebhookSubscriber.objects.create(
            context=context, url=f"https://hooks.example.org/{name}", secret="s" * 64
        ),
        token=create_token(user=user, name=f"token of {name}", scope="raw", days=30)[0],
        invite=invite,
    )


def make_tokens(user) -> dict[str, str]:
    tokens = {}
    for scope in ApiToken.Scope.values:
        _token, tokens[scope] = create_token(user=user, name=f"{scope} token", scope=scope, days=30)
    expired, tokens["expired"] = create_token(user=user, name="expired", scope="raw", days=1)
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    revoked, tokens["revoked"] = create_token(user=user, name="revoked", scope="raw", days=30)
    revoke_token(token=revoked)
    return tokens


def make_world() -> World:
    a = make_side("a", is_public=True)
    b = make_side("b", is_public=False)
    return World(a=a, b=b, tokens=make_tokens(a.facilitator))
