import io
import json

import pytest
from django.core.management import CommandError, call_command

from constitutions.models import ConstitutionVersion
from tests.constitutions.helpers import analysed_conversation


@pytest.mark.django_db
def test_compile_constitution_prints_three_parts(context, conversation):
    analysed_conversation(conversation)
    out = io.StringIO()
    call_command("compile_constitution", context.slug, "--rule", "gic", stdout=out)
    body = json.loads(out.getvalue())
    assert len(body["consensus_principles"]) == 2
    assert len(body["group_principles"]) == 1
    assert body["contested_statements"] and body["failed_statements"]
    assert not ConstitutionVersion.objects.published().exists()


@pytest.mark.django_db
def test_compile_constitution_publishes_with_publish(context, conversation):
    analysed_conversation(conversation)
    out = io.StringIO()
    call_command(
        "compile_constitution",
        context.slug,
        "--rule",
        "min-group",
        "--threshold",
        "0.5",
        "--publish",
        "1.0.0",
        stdout=out,
    )
    body = json.loads(out.getvalue())
    version = ConstitutionVersion.objects.published().get()
    assert body["content_sha256"] == version.content_sha256 and version.rule == "min-group"


@pytest.mark.django_db
def test_compile_constitution_rejects_unknown_context_and_bad_threshold(context, conversation):
    with pytest.raises(CommandError):
        call_command("compile_constitution", "no-such-context")
    analysed_conversation(conversation)
    with pytest.raises(CommandError):
        call_command("compile_constitution", context.slug, "--threshold", "7")
