import pytest

from constitutions.models import Part
from constitutions.rules import SelectionRule
from constitutions.services.compile import compile_draft
from tests.constitutions.helpers import analysed_conversation, compiled_draft


def texts(version, part):
    return set(version.principles.filter(part=part).values_list("text", flat=True))


@pytest.mark.django_db
def test_compile_draft_splits_three_parts(context, conversation, facilitator):
    draft = compiled_draft(context, conversation, facilitator)
    assert texts(draft, Part.CONSENSUS) == {
        "The assistant should say when it is unsure.",
        "The assistant should cite the library catalogue.",
    }
    assert texts(draft, Part.GROUP) == {"The assistant should recommend only local events."}
    assert "The assistant should refuse to discuss politics." in texts(draft, Part.CONTESTED)
    assert draft.rule == "gic" and draft.rule_parameters["min_votes_per_group"] == 3
    assert not draft.is_published

    failed = {failure["text"]: failure["reason"] for failure in draft.failures}
    assert "not above the threshold" in failed["The assistant should use emoji."]


@pytest.mark.django_db
def test_compile_draft_records_sources_evidence_and_a_compile_step(
    context, conversation, facilitator
):
    draft = compiled_draft(context, conversation, facilitator)
    principle = draft.principles.get(text="The assistant should say when it is unsure.")
    source = principle.sources.get()
    assert source.statement.text == principle.text
    assert [g["agree"] for g in source.evidence["groups"]] == [12, 12]
    assert principle.steps.get().action == "compile"
    # No request is stored: the defaults are derived from the text when it is published.
    assert not principle.has_custom_requests
    assert principle.text in principle.effective_requests()[0]


@pytest.mark.django_db
def test_compile_draft_fails_statements_with_too_few_votes_per_group(
    context, conversation, facilitator
):
    draft = compiled_draft(context, conversation, facilitator, min_votes_per_group=13)
    assert not draft.principles.exists()
    assert all("Too few votes" in failure["reason"] for failure in draft.failures)


@pytest.mark.django_db
def test_compile_draft_min_group_rule_uses_threshold(context, conversation, facilitator):
    draft = compiled_draft(context, conversation, facilitator, rule="min-group", threshold=0.99)
    assert len(texts(draft, Part.CONSENSUS)) == 2
    assert draft.rule_parameters["threshold"] == 0.99


@pytest.mark.django_db
def test_compile_draft_refuses_unanalysed_and_foreign_conversations(
    context, conversation, facilitator
):
    from constitutions.errors import InvalidCuration, NoAnalysis
    from tests.factories import make_context, make_conversation

    with pytest.raises(NoAnalysis):
        compile_draft(
            context=context,
            actor=facilitator,
            conversation_ids=[conversation.pk],
            rule=SelectionRule(rule="gic"),
        )
    foreign = make_conversation(make_context(slug="elsewhere"))
    analysed_conversation(foreign)
    with pytest.raises(InvalidCuration):
        compile_draft(
            context=context,
            actor=facilitator,
            conversation_ids=[foreign.pk],
            rule=SelectionRule(rule="gic"),
        )
