"""The demo's process record (issue 13): who could take part, a recruitment channel, two
screening questions, three self-description questions with census-like targets, simulated
answers visibly skewed against those targets, and a completed ratification of the draft.

The simulated answers lean by latent opinion group (config/demo.py), so the participants who want
"the most help possible" are younger and heavier AI users than the population: weighting them
down to the census shares moves agree shares, and the report shows by how much.
"""

from datetime import date

import numpy as np

from constitutions.models import ConstitutionVersion
from constitutions.services.ratification import (
    close_ratification,
    open_ratification,
    ratifiable_principles,
    ratify,
)
from deliberation.models import (
    Answer,
    Context,
    Conversation,
    Participant,
    ScreeningTally,
    SelfDescriptionAsked,
)
from deliberation.services.process import add_channel, set_process_record
from deliberation.services.questions import ChoiceSpec, define_question, set_targets

SEED = 1940  # Deming & Stephan's year, for the raking demo
NOT_SAY = ChoiceSpec("prefer-not-to-say", "Prefer not to say")
SCREENED_OUT = 23

# (key, question, [(answer key, label, census share, chance per latent group)]); the chances are
# the simulated sample's, per group of config.demo.GROUP_NAMES, and lean away from the census.
SELF_DESCRIPTION = (
    (
        "age",
        "How old are you?",
        [
            ("18-34", "18 to 34", 0.28, (0.45, 0.70, 0.30)),
            ("35-54", "35 to 54", 0.33, (0.35, 0.22, 0.35)),
            ("55-plus", "55 or over", 0.39, (0.20, 0.08, 0.35)),
        ],
    ),
    (
        "area",
        "Where do you live?",
        [
            ("city", "In the city", 0.31, (0.60, 0.70, 0.50)),
            ("suburbs", "In the suburbs", 0.52, (0.32, 0.25, 0.40)),
            ("rural", "In a rural area", 0.17, (0.08, 0.05, 0.10)),
        ],
    ),
    (
        "ai-use",
        "How often do you use AI assistants?",
        [
            ("daily", "Every day", 0.18, (0.40, 0.75, 0.20)),
            ("weekly", "Every week", 0.27, (0.35, 0.20, 0.30)),
            ("rarely", "Rarely or never", 0.55, (0.25, 0.05, 0.50)),
        ],
    ),
)
SOURCE = "Census-like shares for the library's service area (illustrative, 2020 census style)"


def set_up_process(context: Context, conversation: Conversation, latent_groups) -> None:
    set_process_record(
        context=context,
        eligibility="Adults (18 or over) who hold a card of the library or use its branches.",
        sampling_frame=(
            "Visitors of the library's website and branches during the window; no quotas."
        ),
        window_start=date(2026, 11, 2),
        window_end=date(2026, 11, 30),
        suppression_k=10,
        self_description_after=5,
        ratification_min_approval=0.6,
    )
    add_channel(
        context=context,
        name="Library website and branch posters",
        kind="public",
        description="A link on the library's home page and a QR code on posters in each branch.",
    )
    screening = [
        define_question(
            context=context,
            kind="screening",
            key="adult",
            text="Are you 18 or over?",
            choices=[ChoiceSpec("yes", "Yes"), ChoiceSpec("no", "No", eligible=False)],
        ),
        define_question(
            context=context,
            kind="screening",
            key="patron",
            text="Do you hold a library card or use the library's branches?",
            choices=[ChoiceSpec("yes", "Yes"), ChoiceSpec("no", "No", eligible=False)],
        ),
    ]
    questions = []
    for key, text, answers in SELF_DESCRIPTION:
        question = define_question(
            context=context,
            kind="self",
            key=key,
            text=text,
            choices=[ChoiceSpec(a, label) for a, label, _s, _p in answers] + [NOT_SAY],
        )
        set_targets(question=question, shares={a: s for a, _l, s, _p in answers}, source=SOURCE)
        questions.append((question, answers))
    _simulate_answers(conversation, screening, questions, latent_groups)


def _simulate_answers(conversation, screening, questions, latent_groups) -> None:
    rng = np.random.default_rng(SEED)
    participants = list(Participant.objects.filter(conversation=conversation).order_by("id"))
    choices = {q.pk: {c.key: c for c in q.choices.all()} for q, _a in questions} | {
        q.pk: {c.key: c for c in q.choices.all()} for q in screening
    }
    answers = []
    for person, group in zip(participants, latent_groups.tolist(), strict=True):
        answers += [
            Answer(participant=person, question=q, choice=choices[q.pk]["yes"]) for q in screening
        ]
        if rng.random() < 0.08:
            continue  # left before being asked
        for question, options in questions:
            if rng.random() < 0.05:
                key = NOT_SAY.key
            else:
                chances = np.array([p[group] for _a, _l, _s, p in options])
                key = options[rng.choice(len(options), p=chances / chances.sum())][0]
            answers.append(
                Answer(participant=person, question=question, choice=choices[question.pk][key])
            )
    Answer.objects.bulk_create(answers, batch_size=1000)
    SelfDescriptionAsked.objects.bulk_create(
        SelfDescriptionAsked(participant=p) for p in participants
    )
    ScreeningTally.objects.create(
        conversation=conversation, eligible=len(participants), screened_out=SCREENED_OUT
    )


def ratify_draft(draft: ConstitutionVersion, conversation: Conversation, facilitator) -> None:
    """A completed ratification: most participants approve; fewer approve contested parts."""
    rng = np.random.default_rng(SEED + 1)
    ratification = open_ratification(version=draft, actor=facilitator)
    principles = list(ratifiable_principles(draft))
    voters = Participant.objects.filter(conversation=conversation).order_by("id")
    for person in voters[: int(voters.count() * 0.6)]:
        ratify(
            ratification=ratification,
            participant=person,
            approvals={
                p.pk: bool(rng.random() < (0.9 if p.part == "consensus" else 0.65))
                for p in principles
            },
            whole=bool(rng.random() < 0.85),
        )
    close_ratification(ratification=ratification)
