"""Database triggers that keep adherence reports append-only: a report and its per-principle
results can be added, never changed or deleted, not even by raw SQL (a correction is a new
report). The model guards (save) and the read-only admin say the same above the database.

Only what a report says is frozen: who posted it (`reporter_id`, `token_id`) may still become
NULL, as their foreign keys say, so that deleting an account or a token stays possible."""

from django.db import migrations

MESSAGE = "adherence reports are append-only"
# Table -> the columns an UPDATE may never touch.
FROZEN = {
    "constitutions_adherencereport": (
        "id, version_id, reporter_name, model_name, model_revision, eval_sha256, url, created_at"
    ),
    "constitutions_adherenceresult": "id, report_id, principle_key, samples, follow_share",
}


def _statements(schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        names = [
            (f"polity_{table}_append_only_{event.split()[0].lower()}", event, table)
            for table, columns in FROZEN.items()
            for event in (f"UPDATE OF {columns}", "DELETE")
        ]
        create = [
            f"CREATE TRIGGER {name} BEFORE {event} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"
            for name, event, table in names
        ]
        return create, [f"DROP TRIGGER IF EXISTS {name};" for name, _e, _t in names]
    if vendor == "postgresql":
        function = (
            "CREATE OR REPLACE FUNCTION polity_refuse_report_change() RETURNS trigger AS $$ BEGIN "
            f"RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = '23000'; END $$ LANGUAGE plpgsql;"
        )
        create = [function] + [
            f"CREATE TRIGGER polity_{table}_append_only BEFORE UPDATE OF {columns} OR DELETE "
            f"ON {table} FOR EACH ROW EXECUTE FUNCTION polity_refuse_report_change();"
            for table, columns in FROZEN.items()
        ]
        drop = [f"DROP TRIGGER IF EXISTS polity_{table}_append_only ON {table};" for table in FROZEN]
        return create, [*drop, "DROP FUNCTION IF EXISTS polity_refuse_report_change();"]
    raise NotImplementedError(f"no append-only triggers for {vendor}")


def create_triggers(apps, schema_editor):
    for statement in _statements(schema_editor)[0]:
        schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    for statement in _statements(schema_editor)[1]:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("constitutions", "0006_freeze_published_scenarios")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
