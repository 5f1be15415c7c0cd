"""Who took part against whom the constitution will govern: sample and target shares per
self-description question, raking weights, Kish's effective sample size, unmet margins, and
opinion groups by self-description (issue 13, item 3).

`report(public=True)` is what pages, exports and the canonical document may show: every count
under the context's k (and the shares computed from it) is None, and it says so. Individual
answers never leave this module; only counts do.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from deliberation.models import (
    AnalysisSnapshot,
    Answer,
    Context,
    Participant,
    Question,
    Vote,
)
from deliberation.opinions.weighting import Raking, rake
from deliberation.process_models import PREFER_NOT_TO_SAY
from deliberation.services.process import process_record

METHOD = "raking (iterative proportional fitting, Deming & Stephan 1940) with weightipy"


@dataclass(frozen=True)
class Sample:
    """The context's counted participants (not excluded, at least one vote), their answers to
    the self-description questions (question key -> choice key) and their raking."""

    participant_ids: tuple[int, ...]
    answers: dict[int, dict[str, str]]
    questions: tuple[Question, ...]
    raking: Raking

    def weight_of(self) -> dict[int, float]:
        return dict(zip(self.participant_ids, self.raking.weights.tolist(), strict=True))


def sample(context: Context) -> Sample:
    voted = Vote.objects.filter(participant=OuterRef("pk"))
    ids = tuple(
        Participant.objects.filter(conversation__context=context, excluded_at__isnull=True)
        .filter(Exists(voted))
        .order_by("id")
        .values_list("id", flat=True)
    )
    questions = tuple(
        Question.objects.filter(context=context, kind=Question.Kind.SELF_DESCRIPTION)
        .prefetch_related("choices")
        .order_by("position", "id")
    )
    answers: dict[int, dict[str, str]] = defaultdict(dict)
    rows = Answer.objects.filter(participant_id__in=ids, question__in=questions).values_list(
        "participant_id", "question__key", "choice__key"
    )
    for participant_id, question_key, choice_key in rows:
        answers[participant_id][question_key] = choice_key
    targets = {
        q.key: {c.key: c.target_share for c in q.choices.all() if c.target_share is not None}
        for q in questions
        if q.target_source
    }
    raking = rake(
        [
            {key: (None if a == PREFER_NOT_TO_SAY else a) for key, a in answers[pid].items()}
            for pid in ids
        ],
        targets,
    )
    return Sample(participant_ids=ids, answers=dict(answers), questions=questions, raking=raking)


def _share(part: float, whole: float) -> float | None:
    return round(part / whole, 6) if whole else None


def _question(question: Question, data: Sample, k: int | None) -> dict[str, Any]:
    weights = data.weight_of()
    raked = dict(zip(data.participant_ids, data.raking.raked.tolist(), strict=True))
    counts: Counter[str] = Counter()
    weighted: Counter[str] = Counter()
    for pid in data.participant_ids:
        key = data.answers.get(pid, {}).get(question.key)
        if key is not None:
            counts[key] += 1
            # Weighted shares are among the raked, whose margins match the targets.
            weighted[key] += weights[pid] if raked[pid] else 0.0
    substantive = [c for c in question.choices.all() if c.key != PREFER_NOT_TO_SAY]
    n_sub = sum(counts[c.key] for c in substantive)
    w_sub = sum(weighted[c.key] for c in substantive)

    def hide(count: int) -> bool:
        return k is not None and count < k

    categories = [
        {
            "key": c.key,
            "label": c.label,
            "participants": None if hide(counts[c.key]) else counts[c.key],
            "sample_share": None if hide(counts[c.key]) else _share(counts[c.key], n_sub),
            "weighted_share": None if hide(counts[c.key]) else _share(weighted[c.key], w_sub),
            "target_share": c.target_share,
        }
        for c in substantive
    ]
    declined = counts[PREFER_NOT_TO_SAY]
    unanswered = len(data.participant_ids) - sum(counts.values())
    return {
        "key": question.key,
        "question": question.text,
        "target_source": question.target_source,
        "categories": categories,
        "prefer_not_to_say": None if hide(declined) else declined,
        "not_answered": None if hide(unanswered) else unanswered,
    }


def unmet_in_words(raking: Raking, questions: tuple[Question, ...]) -> list[str]:
    texts = {q.key: q for q in questions}
    sentences = []
    for margin in raking.unmet:
        question = texts[margin.question]
        label = next(c.label for c in question.choices.all() if c.key == margin.category)
        sentences.append(
            _(
                "No participant answered “%(label)s” to “%(question)s” (%(share)s of the "
                "target population), so weighting cannot represent them; the other answers "
                "to that question were weighted to their shares among the rest."
            )
            % {"label": label, "question": question.text, "share": f"{margin.target_share:.0%}"}
        )
    return sentences


def _groups(context: Context, data: Sample, k: int | None) -> list[dict[str, Any]]:
    """Per conversation, the participants of each opinion group by self-description answer."""
    tables = []
    for conversation in context.conversations.order_by("id"):
        snapshot = AnalysisSnapshot.objects.only("result").latest_for(conversation)
        if snapshot is None:
            continue
        group_of = {
            p["participant_id"]: p["group"]
            for p in snapshot.result["participants"]
            if p["group"] is not None
        }
        group_ids = sorted(set(group_of.values()))
        rows = []
        for question in data.questions:
            for choice in question.choices.all():
                cells = Counter(
                    group_of[pid]
                    for pid in data.participant_ids
                    if pid in group_of and data.answers.get(pid, {}).get(question.key) == choice.key
                )
                rows.append(
                    {
                        "question": question.key,
                        "answer": choice.label,
                        "groups": [
                            None if k is not None and cells[g] < k else cells[g] for g in group_ids
                        ],
                    }
                )
        tables.append({"conversation": conversation.public_id, "groups": group_ids, "rows": rows})
    return tables


def report(*, context: Context, public: bool, data: Sample | None = None) -> dict[str, Any]:
    """The representativeness report; `public` suppresses every cell under the context's k."""
    record = process_record(context)
    data = data or sample(context)
    k = record.suppression_k if public else None
    raking = data.raking
    return {
        "participants": len(data.participant_ids),
        "suppression": {
            "k": record.suppression_k,
            "applied": public,
            "note": _(
                "Counts of fewer than %(k)s participants, and the shares computed from them, "
                "are not shown (null)."
            )
            % {"k": record.suppression_k}
            if public
            else "",
        },
        "questions": [_question(q, data, k) for q in data.questions],
        "weighting": {
            "method": METHOD if raking.margins else None,
            "margins": list(raking.margins),
            "participants": len(data.participant_ids),
            "raked_participants": int(data.raking.raked.sum()),
            "effective_sample_size": round(raking.effective_n, 2),
            "design_effect": round(raking.design_effect, 4),
            "unmet": unmet_in_words(raking, data.questions),
        },
        "groups_by_self_description": _groups(context, data, k),
    }


def answer_rows(*, context: Context, participant_ids) -> dict[int, dict[str, str] | None]:
    """Each participant's self-description answers (question key -> answer key) for a raw export,
    or None where their whole combination of answers is shared by fewer than the context's k
    participants (it could single them out)."""
    k = process_record(context).suppression_k
    keys = list(
        Question.objects.filter(context=context, kind=Question.Kind.SELF_DESCRIPTION)
        .order_by("position", "id")
        .values_list("key", flat=True)
    )
    given: dict[int, dict[str, str]] = defaultdict(dict)
    for pid, question, choice in Answer.objects.filter(
        participant_id__in=participant_ids, question__key__in=keys, question__context=context
    ).values_list("participant_id", "question__key", "choice__key"):
        given[pid][question] = choice
    combination = {pid: tuple(given[pid].get(key) for key in keys) for pid in participant_ids}
    sizes = Counter(combination.values())
    return {
        pid: None if sizes[combo] < k else {key: given[pid].get(key) for key in keys}
        for pid, combo in combination.items()
    }
