"""Migration 0006 gives each existing conversation its own signing key, not one shared by all
(a facilitator who sees their key could otherwise sign links for every other conversation)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("deliberation", "0005_participant_imported_in_conversation")]
AFTER = [("deliberation", "0006_signed_external_ids")]


@pytest.mark.django_db(transaction=True)
def test_migration_gives_every_existing_conversation_its_own_key():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    before = executor.loader.project_state(BEFORE).apps
    context = before.get_model("deliberation", "Context").objects.create(slug="c", title="C")
    for public_id in ("one", "two", "three"):
        before.get_model("deliberation", "Conversation").objects.create(
            context=context, public_id=public_id, topic=public_id
        )
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    after = executor.loader.project_state(AFTER).apps
    conversations = after.get_model("deliberation", "Conversation").objects
    keys = list(conversations.values_list("xid_key", flat=True))
    assert len(set(keys)) == 3
    assert all(len(key) == 64 and int(key, 16) >= 0 for key in keys)
    # Leave the schema as every other test expects it.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
