"""Which parts train: group principles merged across groups, and the `parts` parameter."""

import json

import pytest

from constitutions.errors import InvalidParts
from constitutions.models import Part
from constitutions.renderers import FORMATS, TRAINING_FORMATS
from constitutions.renderers.common import parse_parts
from constitutions.services import curation
from constitutions.services.publishing import publish_version
from tests.constitutions.helpers import analysed_conversation, compiled_draft
from tests.constitutions.renderers.conftest import NO_CONSENSUS
from tests.constitutions.renderers.schemas import validate_format

MERGED = "The assistant should adapt its tone to the patron."


@pytest.mark.django_db
def test_training_formats_carry_a_group_principle_merged_across_groups(
    context, conversation, facilitator
):
    analysed_conversation(conversation, statements=NO_CONSENSUS)
    draft = compiled_draft(context, conversation, facilitator)
    groups = list(draft.principles.filter(part=Part.GROUP).order_by("position"))
    assert {p.group for p in groups} == {0, 1}
    curation.merge_principles(
        version=draft, principle_ids=[p.pk for p in groups], actor=facilitator, text=MERGED
    )
    version = publish_version(version=draft, actor=facilitator, number="1.0.0", changelog="")
    document = json.loads(version.canonical_json)
    for name in TRAINING_FORMATS:
        body = FORMATS[name].body(document, ("consensus", "group"))
        validate_format(name, body, document)
        assert MERGED in body, name
    assert "particular groups" in FORMATS["system-prompt"].body(document, ("group",))


@pytest.mark.parametrize(
    ("raw", "parts"),
    [
        (None, ("consensus",)),
        ("group", ("group",)),
        ("group, consensus", ("consensus", "group")),
        ("consensus,consensus", ("consensus",)),
    ],
)
def test_parse_parts_reads_a_comma_separated_list_in_a_fixed_order(raw, parts):
    assert parse_parts(raw) == parts


@pytest.mark.parametrize("raw", ["", ",", "contested", "consensus,all", "Consensus"])
def test_parse_parts_refuses_anything_else(raw):
    with pytest.raises(InvalidParts):
        parse_parts(raw)
