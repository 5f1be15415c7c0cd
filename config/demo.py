"""The demo that `make run` loads: a library assistant's context, one open conversation, votes.

The votes are simulated, but shaped like a real deliberation: three latent opinion groups
(patrons who put privacy first, patrons who want the most help possible, patrons who want the
assistant to defer to staff), each with a lean on every seed statement, so the analysis finds
groups, consensus and contested statements that make sense when read.

Then it analyses the conversation and publishes version 1.0.0 of the context's constitution
from it, so a new user can fetch a real constitution from the API in their first minute. It
lives in `config`, which composes the whole product, because it calls into both domain apps.

Loading is idempotent, keyed on the context's slug: a second run changes nothing.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta

import numpy as np
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.demo_evaluation import add_demo_scenarios, report_simulated_run
from config.demo_process import ratify_draft, set_up_process
from constitutions.models import ConstitutionVersion
from constitutions.rules import SelectionRule
from constitutions.services.compile import compile_draft
from constitutions.services.publishing import publish_version
from deliberation.access import grant_context_creation
from deliberation.errors import DeliberationError
from deliberation.models import Context, Conversation, Participant, Vote, VoteEvent
from deliberation.services.analysis import analyse_conversation
from deliberation.services.participation import submit_statement
from deliberation.services.seeding import seed_statement

DEMO_SLUG = "public-library-assistant"
DEMO_FACILITATOR = "demo-facilitator"
GROUP_NAMES = ("privacy first", "most help possible", "defer to staff")
GROUP_SHARES = (0.45, 0.35, 0.20)
PARTICIPANTS = 320
SEED = 2024
DEMO_VERSION = "1.0.0"

# Each seed statement with the lean of each latent group (GROUP_NAMES order), in [-1, 1]:
# +1 the whole group agrees, -1 it disagrees. Written for this context, not taken from anywhere.
SEED_STATEMENTS: tuple[tuple[str, tuple[float, float, float]], ...] = (
    ("The assistant should say when it is unsure of an answer.", (0.9, 0.8, 0.9)),
    (
        "The assistant should refuse to help patrons find personal information about other "
        "people, such as their home address.",
        (0.95, 0.4, 0.85),
    ),
    (
        "The assistant should recommend library staff for sensitive questions about health, "
        "law or money.",
        (0.5, -0.4, 0.95),
    ),
    (
        "The assistant should forget what a patron asked as soon as the session ends.",
        (0.95, -0.3, 0.3),
    ),
    (
        "The assistant should name the catalogue record or source behind every fact it gives.",
        (0.6, 0.3, 0.8),
    ),
    (
        "The assistant should teach patrons how to search the catalogue rather than only "
        "giving the answer.",
        (0.3, -0.5, 0.7),
    ),
    (
        "The assistant should help with any lawful research question, however controversial "
        "the topic.",
        (0.3, 0.95, -0.6),
    ),
    (
        "The assistant should never tell anyone which books another patron has borrowed.",
        (0.95, 0.75, 0.9),
    ),
    (
        "The assistant should answer in plain language a twelve-year-old can follow, unless "
        "asked otherwise.",
        (0.3, 0.2, 0.6),
    ),
    ("The assistant should offer to answer in the patron's own language.", (0.7, 0.85, 0.7)),
    ("The assistant should refuse to write school homework for children.", (0.1, -0.7, 0.8)),
    (
        "The assistant should only recommend books from a patron's borrowing history if the "
        "patron has turned that on.",
        (0.95, -0.4, 0.5),
    ),
    ("The assistant should be usable without creating an account.", (0.9, 0.8, 0.1)),
    (
        "The assistant should warn patrons when a source it cites may be out of date.",
        (0.7, 0.6, 0.85),
    ),
    (
        "The assistant should help patrons fill in government forms, such as benefit applications.",
        (-0.2, 0.9, -0.6),
    ),
    (
        "The assistant should not give medical advice, only point to trustworthy health "
        "information.",
        (0.5, -0.5, 0.95),
    ),
    (
        "The assistant should present several viewpoints on contested political questions "
        "instead of an opinion of its own.",
        (0.6, 0.5, 0.85),
    ),
    (
        "The assistant should refuse to discuss books that have been challenged or banned "
        "elsewhere.",
        (-0.9, -0.95, -0.2),
    ),
    (
        "The assistant should say that it is an AI model, not a librarian, at the start of "
        "every conversation.",
        (0.8, 0.0, 0.9),
    ),
    (
        "The assistant should let patrons delete everything they told it, at any time.",
        (0.95, 0.3, 0.6),
    ),
    ("The assistant should help patrons write job applications and CVs.", (0.2, 0.9, 0.0)),
    (
        "The assistant should work as well with a screen reader as the library's website does.",
        (0.9, 0.9, 0.9),
    ),
    (
        "The assistant should alert staff when a patron seems to be in crisis.",
        (-0.6, -0.2, 0.9),
    ),
    (
        "The assistant should refuse to help patrons get around paywalls or copy protection.",
        (0.2, -0.6, 0.8),
    ),
    (
        "The assistant should suggest library events that match what a patron is researching.",
        (-0.5, 0.6, 0.3),
    ),
    (
        "The assistant should give the same quality of help to every patron, whatever their "
        "age or background.",
        (0.9, 0.9, 0.9),
    ),
    (
        "The assistant should use examples from the local community when it explains things.",
        (0.0, 0.4, 0.3),
    ),
    (
        "The assistant should never be used to decide whether a patron may borrow materials or "
        "use a library service.",
        (0.9, 0.5, 0.6),
    ),
    (
        "The assistant should hand the conversation to a person whenever a patron asks for one.",
        (0.8, 0.6, 0.95),
    ),
    (
        "The assistant should only show children content suitable for their age.",
        (-0.4, -0.6, 0.8),
    ),
)

# Written by simulated participants and left waiting, so the moderation queue is not empty.
PENDING_STATEMENTS = (
    "The assistant should remind patrons when their loans are due back.",
    "The assistant should read stories aloud to children who ask for one.",
    "The assistant should tell a joke now and then to keep things friendly.",
)


@dataclass(frozen=True)
class SimulatedVotes:
    """Votes of simulated participants: one (participant, statement, value) per row, in order."""

    groups: np.ndarray  # latent group of each participant
    participant_index: np.ndarray
    statement_index: np.ndarray
    values: np.ndarray


def simulate_votes(
    leans: np.ndarray, *, participants: int, shares: tuple[float, ...], seed: int
) -> SimulatedVotes:
    """Draw the votes of `participants` people on the statements whose group leans are `leans`.

    The model of deliberation/opinions/synthetic.py (pass with a fixed chance, else agree with
    probability 0.5 + strength * lean), with the leans given rather than random, because the
    demo's statements are real sentences whose support must make sense. Each person also has
    their own small deviation from their group, and sees between a third and all statements,
    as in Polis conversations where few people vote on everything.
    """
    rng = np.random.default_rng(seed)
    n_statements = leans.shape[1]
    groups = rng.choice(len(shares), size=participants, p=shares)
    rows, cols = [], []
    for person in range(participants):
        seen = rng.integers(n_statements // 3, n_statements + 1)
        order = rng.permutation(n_statements)[:seen]
        rows.append(np.full(seen, person))
        cols.append(order)
    person_index, statement_index = np.concatenate(rows), np.concatenate(cols)
    own_lean = leans[groups[person_index], statement_index]
    lean = np.clip(own_lean + rng.normal(0, 0.2, size=len(own_lean)), -1, 1)
    p_agree = 0.5 + 0.45 * lean
    passes = rng.random(len(lean)) < 0.1
    agrees = rng.random(len(lean)) < p_agree
    values = np.where(passes, 0, np.where(agrees, 1, -1))
    return SimulatedVotes(groups, person_index, statement_index, values)


@dataclass(frozen=True)
class Demo:
    context: Context
    conversation: Conversation
    facilitator_username: str
    facilitator_password: str | None  # only when it was set now: it is never stored in clear
    created: bool
    constitution_version: ConstitutionVersion


def _demo_facilitator(*, new_password: bool) -> tuple[object, str | None]:
    """The demo's facilitator, with a random password shown once, never a fixed one.

    A fixed password would be a known credential on any server where someone ran the demo.
    """
    users = get_user_model()
    user = users.objects.filter(username=DEMO_FACILITATOR).first()
    if user is not None and not new_password:
        return user, None
    password = secrets.token_urlsafe(12)
    if user is None:
        user = users.objects.create_user(DEMO_FACILITATOR, password=password)
    else:
        user.set_password(password)
        user.save(update_fields=["password"])
    return user, password


def _create_context() -> Context:
    return Context.objects.create(
        slug=DEMO_SLUG,
        title="General-purpose assistant used by a public library's patrons",
        description=(
            "A chat assistant on the library's website and on the terminals in its branches. "
            "Patrons ask it to find books and articles, explain how library services work, and "
            "help with everyday research."
        ),
        domain="Public libraries",
        deployment_surface="Library website chat and in-branch terminals",
        intended_users="Library patrons of any age, including children with a parent's consent",
        affected_non_users=(
            "Library staff who take over conversations; people patrons ask about; authors and "
            "publishers whose works are recommended"
        ),
        languages="English, Spanish",
        jurisdiction="United States (public library law of the state the library is in)",
        out_of_scope_uses=(
            "Staff-facing administration, decisions about patrons' accounts or fines, and any use "
            "outside the library's own services"
        ),
    )


def _simulate_participation(conversation: Conversation, statements: list) -> np.ndarray:
    """Simulate the votes; returns each participant's latent group (for their answers)."""
    leans = np.array([lean for _text, lean in SEED_STATEMENTS]).T
    simulated = simulate_votes(leans, participants=PARTICIPANTS, shares=GROUP_SHARES, seed=SEED)
    participants = Participant.objects.bulk_create(
        [
            Participant(conversation=conversation, kind=Participant.Kind.ANONYMOUS)
            for _person in range(PARTICIPANTS)
        ]
    )
    # Spread the votes over the past week, in the order people arrived.
    start = timezone.now() - timedelta(days=7)
    step = timedelta(days=7) / len(simulated.values)
    votes, events = [], []
    for i, (person, statement, value) in enumerate(
        zip(
            simulated.participant_index.tolist(),
            simulated.statement_index.tolist(),
            simulated.values.tolist(),
            strict=True,
        )
    ):
        fields = {
            "conversation": conversation,
            "participant": participants[person],
            "statement": statements[statement],
            "value": value,
        }
        at = start + i * step
        votes.append(Vote(created_at=at, updated_at=at, **fields))
        events.append(VoteEvent(created_at=at, **fields))
    Vote.objects.bulk_create(votes, batch_size=1000)
    VoteEvent.objects.bulk_create(events, batch_size=1000)
    for author, text in zip(participants, PENDING_STATEMENTS, strict=False):
        submit_statement(participant=author, text=text)
    return simulated.groups


def load_demo(*, new_password: bool = False) -> Demo:
    """Create the demo unless its context exists, publish its constitution unless published."""
    with transaction.atomic():
        facilitator, password = _demo_facilitator(new_password=new_password)
        # The demo shows the whole facilitation flow, creating a context included.
        grant_context_creation(user=facilitator)
        context = Context.objects.filter(slug=DEMO_SLUG).first()
        created = context is None
        if created:
            context = _create_context()
            context.facilitators.add(facilitator)
            conversation = Conversation.objects.create(
                context=context,
                topic="How should the library's assistant behave with patrons?",
                description=(
                    "Vote on each statement: agree, disagree or pass if you are unsure. Add a "
                    "statement if something is missing. Statements are shown after a "
                    "facilitator has read them."
                ),
                state=Conversation.State.OPEN,
                moderation=Conversation.Moderation.STRICT,
                participants_can_write=True,
                identity_mode=Conversation.Identity.ANONYMOUS,
            )
            statements = [
                seed_statement(conversation=conversation, actor=facilitator, text=text)
                for text, _lean in SEED_STATEMENTS
            ]
            groups = _simulate_participation(conversation, statements)
            set_up_process(context, conversation, groups)
        conversation = context.conversations.order_by("id").first()
    # After the commit: the analysis runs in a transaction of its own (see its service).
    version = _published_constitution(context, conversation, facilitator)
    return Demo(context, conversation, DEMO_FACILITATOR, password, created, version)


def _published_constitution(
    context: Context, conversation: Conversation, facilitator
) -> ConstitutionVersion:
    published = ConstitutionVersion.objects.published().filter(constitution__context=context)
    if published.exists():
        return published.order_by("id").first()
    if analyse_conversation(conversation_id=conversation.pk) is None:
        raise DeliberationError(_("The demo conversation is being analysed by another process."))
    with transaction.atomic():  # scenarios, ratification, version and its report: all or nothing
        draft = compile_draft(
            context=context,
            actor=facilitator,
            conversation_ids=[conversation.pk],
            rule=SelectionRule(rule="gic"),
        )
        add_demo_scenarios(draft=draft, facilitator=facilitator)
        ratify_draft(draft, conversation, facilitator)
        version = publish_version(
            version=draft,
            actor=facilitator,
            number=DEMO_VERSION,
            changelog=(
                "First version, compiled by group-informed consensus from the demo conversation. "
                "Its votes are simulated: this constitution shows the format, not anyone's views."
            ),
        )
        report_simulated_run(version=version, facilitator=facilitator, seed=SEED)
    return version
