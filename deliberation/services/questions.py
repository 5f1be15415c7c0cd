"""Screening and self-description questions, their target shares, and participants' answers.

Screening comes before the first vote: an eligible person becomes a participant with their
answers; an ineligible one is only counted (`ScreeningTally`), nothing else about them is kept.
Self-description is asked once after a number of votes, never blocks voting, always offers
"prefer not to say", and its answers go with the participant's data download and deletion.
"""

import math
from dataclasses import dataclass

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from core.text import clean_text
from deliberation.errors import (
    InvalidAnswer,
    InvalidQuestion,
    InvalidTargets,
    NotYourAnswer,
    ScreeningRequired,
)
from deliberation.models import (
    Answer,
    Choice,
    Context,
    Conversation,
    Participant,
    Question,
    ScreeningTally,
    SelfDescriptionAsked,
)
from deliberation.process_models import PREFER_NOT_TO_SAY
from deliberation.services.process import forget_question_plan, plan_key, process_record

SHARE_TOLERANCE = 0.001
CACHE_SECONDS = 300


@dataclass(frozen=True)
class ChoiceSpec:
    key: str
    label: str
    eligible: bool = True


@dataclass(frozen=True)
class QuestionPlan:
    """What the vote path needs to know of a context's questions, cached: the vote path must not
    pay a query for contexts that ask nothing (tests/frontend/test_vote_queries.py)."""

    screening: bool
    self_description: bool
    ask_after: int


def question_plan(context_id: int) -> QuestionPlan:
    plan = cache.get(plan_key(context_id))
    if plan is None:
        kinds = set(Question.objects.filter(context_id=context_id).values_list("kind", flat=True))
        record = process_record(Context(pk=context_id))
        plan = QuestionPlan(
            screening=Question.Kind.SCREENING in kinds,
            self_description=Question.Kind.SELF_DESCRIPTION in kinds,
            ask_after=record.self_description_after,
        )
        cache.set(plan_key(context_id), plan, CACHE_SECONDS)
    return plan


def define_question(
    *, context: Context, kind: str, key: str, text: str, choices: list[ChoiceSpec]
) -> Question:
    """A single-choice question with its answers, in the order given. A self-description question
    must offer "prefer not to say" (key `prefer-not-to-say`); a screening question must let
    someone in with at least one answer."""
    if kind not in Question.Kind.values:
        raise InvalidQuestion(_("A question is for screening or for self-description."))
    text = clean_text(text, max_length=300, field=_("Question"))
    keys = [choice.key for choice in choices]
    if len(choices) < 2 or len(set(keys)) != len(keys):
        raise InvalidQuestion(_("A question needs at least two answers, each with its own key."))
    if kind == Question.Kind.SELF_DESCRIPTION and PREFER_NOT_TO_SAY not in keys:
        raise InvalidQuestion(
            _("A self-description question must offer “prefer not to say” (key %(key)s).")
            % {"key": PREFER_NOT_TO_SAY}
        )
    if kind == Question.Kind.SCREENING and not any(choice.eligible for choice in choices):
        raise InvalidQuestion(_("A screening question needs at least one eligible answer."))
    try:
        with transaction.atomic():
            question = Question.objects.create(
                context=context,
                kind=kind,
                key=key,
                text=text,
                position=Question.objects.filter(context=context, kind=kind).count(),
            )
            Choice.objects.bulk_create(
                Choice(
                    question=question,
                    key=choice.key,
                    label=clean_text(choice.label, max_length=200, field=_("Answer")),
                    position=index,
                    eligible=choice.eligible or kind != Question.Kind.SCREENING,
                )
                for index, choice in enumerate(choices)
            )
    except IntegrityError:
        raise InvalidQuestion(
            _("This context already has a question with the key “%(key)s”.") % {"key": key}
        ) from None
    forget_question_plan(context.pk)
    return question


def set_targets(*, question: Question, shares: dict[str, float], source: str) -> Question:
    """The population's share of each answer and where it comes from. Shares are for the
    substantive answers ("prefer not to say" has none); all are written or none."""
    if question.kind != Question.Kind.SELF_DESCRIPTION:
        raise InvalidTargets(_("Only self-description questions have target shares."))
    choices = {c.key: c for c in question.choices.exclude(key=PREFER_NOT_TO_SAY)}
    unknown = sorted(set(shares) - set(choices))
    if unknown:
        raise InvalidTargets(
            _("These are not answers to this question: %(keys)s. Its answers are: %(known)s.")
            % {"keys": ", ".join(unknown), "known": ", ".join(choices)}
        )
    bad = sorted(k for k, v in shares.items() if not math.isfinite(v) or v < 0)
    if bad:
        raise InvalidTargets(
            _("A share cannot be negative (or not a number): %(keys)s.") % {"keys": ", ".join(bad)}
        )
    total = sum(shares.values())
    if abs(total - 1) > SHARE_TOLERANCE:
        raise InvalidTargets(
            _("The shares add up to %(total)s; they must add up to 1 (within 0.001).")
            % {"total": f"{total:.4f}"}
        )
    if not source.strip():
        raise InvalidTargets(_("Say where the target shares come from, e.g. a census."))
    source = clean_text(source, max_length=300, field=_("Source"))
    with transaction.atomic():
        for key, choice in choices.items():
            choice.target_share = shares.get(key, 0.0)
            choice.save(update_fields=["target_share"])
        question.target_source = source
        question.save(update_fields=["target_source"])
    return question


def _chosen(questions, posted: dict[str, str]) -> list[tuple[Question, Choice]]:
    """The posted answer (choice key by question key) to each question; every one required."""
    answers = []
    for question in questions:
        choice = next(
            (c for c in question.choices.all() if c.key == posted.get(question.key)), None
        )
        if choice is None:
            raise InvalidAnswer(_("Please answer: %(question)s") % {"question": question.text})
        answers.append((question, choice))
    return answers


def screening_questions(context: Context):
    return Question.objects.filter(context=context, kind=Question.Kind.SCREENING).prefetch_related(
        "choices"
    )


def screen(*, conversation: Conversation, answers: dict[str, str]) -> bool:
    """Check a visitor's screening answers. Eligible: True (the caller makes the participant and
    calls `record_screening`). Ineligible: counted, nothing else kept, False."""
    chosen = _chosen(screening_questions(conversation.context), answers)
    eligible = all(choice.eligible for _question, choice in chosen)
    tally, _created = ScreeningTally.objects.get_or_create(conversation=conversation)
    field = "eligible" if eligible else "screened_out"
    ScreeningTally.objects.filter(pk=tally.pk).update(**{field: F(field) + 1})
    return eligible


def record_screening(*, participant: Participant, answers: dict[str, str]) -> None:
    """Keep an eligible participant's screening answers (so they are not asked again)."""
    chosen = _chosen(screening_questions(participant.conversation.context), answers)
    if not all(choice.eligible for _question, choice in chosen):
        raise InvalidAnswer()
    _write(participant, chosen)


def _write(participant: Participant, chosen) -> None:
    with transaction.atomic():
        for question, choice in chosen:
            Answer.objects.update_or_create(
                participant=participant, question=question, defaults={"choice": choice}
            )


def require_screened(*, conversation: Conversation, participant: Participant | None) -> None:
    """Refuse a vote from someone the conversation's screening has not let in yet. Costs no query
    when the context screens nobody."""
    if not question_plan(conversation.context_id).screening:
        return
    if participant is not None:
        needed = Question.objects.filter(
            context_id=conversation.context_id, kind=Question.Kind.SCREENING
        ).exclude(answers__participant=participant)
        if not needed.exists():
            return
    raise ScreeningRequired()


def self_description_questions(context: Context):
    return Question.objects.filter(
        context=context, kind=Question.Kind.SELF_DESCRIPTION
    ).prefetch_related("choices")


def self_description_due(
    *, conversation: Conversation, participant: Participant | None, voted: int
) -> bool:
    """Whether to offer the self-description questions now: once, after enough votes."""
    if participant is None:
        return False
    plan = question_plan(conversation.context_id)
    if not plan.self_description or voted < plan.ask_after:
        return False
    return not SelfDescriptionAsked.objects.filter(participant=participant).exists()


def describe_self(
    *, participant: Participant, answers: dict[str, str], acting: Participant | None = None
) -> int:
    """Record `participant`'s self-description (answers by question key; any may be left out, or
    be "prefer not to say"), or none (a skip): either way they are not asked again. `acting` is
    who is asking, when not the participant themselves: refused."""
    if acting is not None and acting.pk != participant.pk:
        raise NotYourAnswer()
    questions = list(self_description_questions(participant.conversation.context))
    unknown = set(answers) - {q.key for q in questions}
    if unknown:
        raise InvalidAnswer()
    given = [q for q in questions if answers.get(q.key)]
    chosen = _chosen(given, answers)
    with transaction.atomic():
        _write(participant, chosen)
        SelfDescriptionAsked.objects.get_or_create(participant=participant)
    return len(chosen)
