"""Migration 0011 refolds every statement's duplicate key to its look-alike skeleton, so an old
statement meets a homoglyph copy of itself; two stored statements that now fold alike both stay,
as written, the later one under a key no fold yields."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.hostile_text import homoglyph_copy

BEFORE = [("deliberation", "0010_context_constitution_licence")]
AFTER = [("deliberation", "0011_refold_statement_keys_to_skeletons")]
ORIGINAL = "The assistant should cite its sources."
COPY = homoglyph_copy(ORIGINAL)


@pytest.mark.django_db(transaction=True)
def test_migration_refolds_keys_and_marks_look_alike_copies():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    before = executor.loader.project_state(BEFORE).apps
    context = before.get_model("deliberation", "Context").objects.create(slug="c", title="C")
    conversation = before.get_model("deliberation", "Conversation").objects.create(
        context=context, public_id="one", topic="T"
    )
    statements = before.get_model("deliberation", "Statement").objects
    # Keys as the earlier fold (NFKC, case, punctuation) made them: the copy's differed.
    old_keys = {
        ORIGINAL: "the assistant should cite its sources",
        COPY: homoglyph_copy("the assistant should cite its sources"),
        "Cite sources": "cite sources #polis-7",  # a Polis import's repeated comment
        "Çite sources first": "çite sources first",  # the skeleton drops the cedilla
    }
    ids = {
        text: statements.create(conversation=conversation, text=text, normalised_text=key).pk
        for text, key in old_keys.items()
    }
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    after = executor.loader.project_state(AFTER).apps
    keys = dict(
        after.get_model("deliberation", "Statement").objects.values_list("pk", "normalised_text")
    )
    assert keys == {
        ids[ORIGINAL]: "the assistant should cite its sources",
        ids[COPY]: f"the assistant should cite its sources #{ids[COPY]}",
        ids["Cite sources"]: "cite sources #polis-7",
        ids["Çite sources first"]: "cite sources first",
    }
    # Leave the schema as every other test expects it.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
