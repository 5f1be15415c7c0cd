import pytest
from django.core.exceptions import ValidationError

from constitutions.errors import InvalidCuration
from constitutions.models import Part
from constitutions.services import curation
from tests.constitutions.helpers import compiled_draft


@pytest.fixture
def draft(context, conversation, facilitator):
    return compiled_draft(context, conversation, facilitator)


def consensus(draft):
    return list(draft.principles.filter(part=Part.CONSENSUS).order_by("position"))


@pytest.mark.django_db
def test_reword_principle_keeps_original_text_and_logs_who_and_why(draft, facilitator):
    principle = consensus(draft)[0]
    original = principle.text
    curation.reword_principle(
        principle=principle,
        actor=facilitator,
        text="Choose the response that admits doubt.",
        reason="Preference form.",
    )
    step = principle.steps.last()
    assert (step.action, step.actor, step.before, step.reason) == (
        "reword",
        facilitator,
        original,
        "Preference form.",
    )
    assert principle.sources.get().statement_text == original


@pytest.mark.django_db
def test_merge_principles_keeps_every_sources_evidence(draft, facilitator):
    first, second = consensus(draft)
    merged = curation.merge_principles(
        version=draft,
        principle_ids=[first.pk, second.pk],
        actor=facilitator,
        text="The assistant should be honest about its limits and sources.",
        reason="Same idea.",
    )
    assert merged.sources.count() == 2
    assert all(source.evidence["groups"] for source in merged.sources.all())
    assert not draft.principles.filter(pk=second.pk).exists()
    assert [s.action for s in merged.steps.all()] == ["compile", "compile", "merge"]


@pytest.mark.django_db
def test_merge_principles_refuses_across_parts(draft, facilitator):
    group = draft.principles.get(part=Part.GROUP)
    with pytest.raises(InvalidCuration):
        curation.merge_principles(
            version=draft,
            principle_ids=[consensus(draft)[0].pk, group.pk],
            actor=facilitator,
            text="x",
        )


@pytest.mark.django_db
def test_drop_principle_needs_a_reason_and_is_restorable(draft, facilitator):
    principle = consensus(draft)[0]
    with pytest.raises(ValidationError):
        curation.drop_principle(principle=principle, actor=facilitator, reason=" ")
    curation.drop_principle(principle=principle, actor=facilitator, reason="Out of scope.")
    assert principle.is_dropped and principle.steps.last().reason == "Out of scope."
    curation.restore_principle(principle=principle, actor=facilitator)
    assert not principle.is_dropped


@pytest.mark.django_db
def test_move_and_categorise_principle_are_recorded(draft, facilitator):
    first, second = consensus(draft)
    curation.move_principle(principle=second, actor=facilitator, offset=-1)
    assert [p.pk for p in consensus(draft)] == [second.pk, first.pk]
    curation.categorise_principle(principle=first, actor=facilitator, category="Honesty")
    curation.set_requests(
        principle=first, actor=facilitator, critique="Is it honest?", revision="Fix it."
    )
    assert [s.action for s in first.steps.all()][-2:] == ["categorise", "requests"]
