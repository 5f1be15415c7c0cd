"""Migration 0004: drafts' stored compile-time requests become the defaults derived from the text;
a facilitator's own requests are kept and marked stale when the text changed after them;
published versions keep every byte."""

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from constitutions.wording import default_critique, default_revision

BEFORE = ("constitutions", "0003_webhook_outbox")
AFTER = ("constitutions", "0004_principle_requests_follow_text")


def _state(executor, node):
    # With every other app at its latest, so their tables match the historical models.
    others = [leaf for leaf in executor.loader.graph.leaf_nodes() if leaf[0] != "constitutions"]
    return executor.loader.project_state([node, *others]).apps


def sha(text):
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.mark.django_db(transaction=True)
def test_migration_clears_compiled_requests_and_marks_custom_ones(thaw_after):
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    apps = _state(executor, BEFORE)
    context = apps.get_model("deliberation", "Context").objects.create(slug="c", title="C")
    constitution = apps.get_model("constitutions", "Constitution").objects.create(context=context)
    Version = apps.get_model("constitutions", "ConstitutionVersion")
    Principle = apps.get_model("constitutions", "Principle")
    Step = apps.get_model("constitutions", "EditorialStep")
    draft = Version.objects.create(constitution=constitution, rule="gic")
    published = Version.objects.create(constitution=constitution, rule="gic")

    def principle(version, text, critique, revision, *steps):
        made = Principle.objects.create(
            version=version,
            part="consensus",
            text=text,
            critique_request=critique,
            revision_request=revision,
        )
        for action, after in steps:
            Step.objects.create(principle=made, action=action, after=after)
        return made

    compiled = principle(
        draft,
        "New words.",
        default_critique("Old words."),
        default_revision("Old words."),
        ("compile", "Old words."),
        ("reword", "New words."),
    )
    kept = principle(draft, "Kept.", "Mine.", "Also mine.", ("compile", "Kept."), ("requests", ""))
    stale = principle(
        draft,
        "Changed.",
        "Mine.",
        "Also mine.",
        ("compile", "Before."),
        ("requests", ""),
        ("reword", "Changed."),
    )
    frozen = principle(
        published,
        "Frozen.",
        default_critique("Older."),
        default_revision("Older."),
        ("compile", "Older."),
        ("reword", "Frozen."),
    )
    Version.objects.filter(pk=published.pk).update(
        published_at="2026-01-01T00:00:00Z", number="1.0.0", content_sha256="0" * 64
    )

    executor = MigrationExecutor(connection)
    executor.migrate([AFTER])
    Principle = _state(executor, AFTER).get_model("constitutions", "Principle")
    rows = {p.pk: p for p in Principle.objects.all()}
    assert (rows[compiled.pk].critique_request, rows[compiled.pk].revision_request) == ("", "")
    assert rows[kept.pk].critique_request == "Mine."
    assert rows[kept.pk].requests_text_sha256 == sha("Kept.")
    assert rows[stale.pk].critique_request == "Mine."
    assert rows[stale.pk].requests_text_sha256 == sha("Before.") != sha("Changed.")
    assert rows[frozen.pk].critique_request == default_critique("Older.")  # untouched
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
