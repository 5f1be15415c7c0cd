"""Scenarios during curation: write, change and drop them on a draft's principles.

Each step is an `EditorialStep` of action "scenario" on the principle, in the same transaction
and under the same draft lock as every other editorial step (see curation.py), so the history
of a principle says who added which test case and why it changed.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from constitutions.errors import InvalidCuration
from constitutions.models import EditorialStep, Part, Principle, Scenario
from constitutions.services.curation import _lock_draft, _reason, _step
from core.text import clean_text

TURN_MAX_LENGTH = 4000
RESPONSE_MAX_LENGTH = 4000
WHY_MAX_LENGTH = 300
MAX_TURNS = 9
ROLES = {"user": "user", "assistant": "assistant"}


def parse_turns(text: str) -> list[dict[str, str]]:
    """A user message, or a short conversation written as lines starting "User:" and
    "Assistant:" (continuation lines belong to the turn above); it must end with the user."""
    lines = text.strip().splitlines()
    marked = any(_role_of(line) for line in lines)
    if not marked:
        turns = [{"role": "user", "content": text.strip()}]
    else:
        turns = []
        for line in lines:
            role = _role_of(line)
            if role:
                turns.append({"role": role, "content": line.split(":", 1)[1].strip()})
            elif turns:
                turns[-1]["content"] += "\n" + line
            elif line.strip():
                raise InvalidCuration(_("Start the conversation with “User:”."))
    if not turns or len(turns) > MAX_TURNS:
        raise InvalidCuration(
            _("A scenario is a user message, or a conversation of at most %(n)d turns.")
            % {"n": MAX_TURNS}
        )
    if turns[-1]["role"] != "user":
        raise InvalidCuration(_("A scenario ends with the user's turn, the one to answer."))
    return [
        {
            "role": turn["role"],
            "content": clean_text(
                turn["content"], max_length=TURN_MAX_LENGTH, field=_("Message"), multiline=True
            ),
        }
        for turn in turns
    ]


def _role_of(line: str) -> str:
    head = line.split(":", 1)[0].strip().lower()
    return ROLES.get(head, "") if ":" in line else ""


def turns_text(turns: list[dict[str, str]]) -> str:
    """The turns as the facilitator writes them (a lone user message stays unmarked)."""
    if len(turns) == 1:
        return turns[0]["content"]
    return "\n".join(f"{turn['role'].capitalize()}: {turn['content']}" for turn in turns)


def _optional(text: str, *, max_length: int, field: str) -> str:
    if not text.strip():
        return ""
    return clean_text(text, max_length=max_length, field=field, multiline=True)


def _responses(
    *, following: str = "", following_why: str = "", breaking: str = "", breaking_why: str = ""
) -> dict[str, str]:
    fields = {
        "following": _optional(following, max_length=RESPONSE_MAX_LENGTH, field=_("Following")),
        "following_why": _optional(following_why, max_length=WHY_MAX_LENGTH, field=_("Why")),
        "breaking": _optional(breaking, max_length=RESPONSE_MAX_LENGTH, field=_("Breaking")),
        "breaking_why": _optional(breaking_why, max_length=WHY_MAX_LENGTH, field=_("Why")),
    }
    for response in ("following", "breaking"):
        if fields[response] and not fields[f"{response}_why"]:
            raise InvalidCuration(_("Say in one line why each example response is what it is."))
        if fields[f"{response}_why"] and not fields[response]:
            raise InvalidCuration(_("A “why” needs the example response it explains."))
    return fields


def add_scenario(
    *, principle: Principle, actor, conversation: str, reason: str = "", **responses: str
) -> Scenario:
    """Give a principle a test case; contested statements are no principles and get none.
    `responses`: following, following_why, breaking, breaking_why (each optional)."""
    turns = parse_turns(conversation)
    responses = _responses(**responses)
    if principle.part == Part.CONTESTED:
        raise InvalidCuration(_("Contested statements are not principles and have no scenarios."))
    with transaction.atomic():
        _lock_draft(principle.version_id)
        scenario = Scenario.objects.create(principle=principle, turns=turns, **responses)
        _step(
            principle,
            actor,
            EditorialStep.Action.SCENARIO,
            after=_summary(scenario),
            reason=_reason(reason, required=False),
        )
    return scenario


def edit_scenario(
    *, scenario: Scenario, actor, conversation: str, reason: str = "", **responses: str
) -> Scenario:
    """Rewrite a draft's test case; `responses` as for `add_scenario`."""
    turns = parse_turns(conversation)
    responses = _responses(**responses)
    reason = _reason(reason, required=False)
    with transaction.atomic():
        _lock_draft(scenario.principle.version_id)
        before = _summary(scenario)
        scenario.turns = turns
        for name, value in responses.items():
            setattr(scenario, name, value)
        after = _summary(scenario)
        if before == after:
            return scenario
        scenario.save()
        _step(
            scenario.principle,
            actor,
            EditorialStep.Action.SCENARIO,
            before=before,
            after=after,
            reason=reason,
        )
    return scenario


def drop_scenario(*, scenario: Scenario, actor, reason: str) -> None:
    reason = _reason(reason, required=True)
    with transaction.atomic():
        _lock_draft(scenario.principle.version_id)
        before = _summary(scenario)
        scenario.delete()
        _step(
            scenario.principle, actor, EditorialStep.Action.SCENARIO, before=before, reason=reason
        )


def _summary(scenario: Scenario) -> str:
    """What the history shows of a scenario: the conversation, then each example response."""
    text = turns_text(scenario.turns)
    if scenario.following:
        text += "\n" + _("Follows: %(r)s (%(why)s)") % {
            "r": scenario.following,
            "why": scenario.following_why,
        }
    if scenario.breaking:
        text += "\n" + _("Breaks: %(r)s (%(why)s)") % {
            "r": scenario.breaking,
            "why": scenario.breaking_why,
        }
    return text
