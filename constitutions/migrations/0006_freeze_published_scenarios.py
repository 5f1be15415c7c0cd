"""Database triggers that refuse any change to the scenarios of a published version's principles,
as migration 0002 does for their sources and editorial steps (same conditions, same message)."""

from importlib import import_module

from django.db import migrations

FREEZE = import_module("constitutions.migrations.0002_freeze_published_versions")
TABLE = "constitutions_scenario"


def _statements(schema_editor):
    vendor = schema_editor.connection.vendor
    frozen = FREEZE._published_principle
    if vendor == "sqlite":
        events = {
            "insert": ("INSERT", frozen("NEW.principle_id")),
            "update": ("UPDATE", frozen("OLD.principle_id, NEW.principle_id")),
            "delete": ("DELETE", frozen("OLD.principle_id")),
        }
        create = [
            f"CREATE TRIGGER polity_{TABLE}_frozen_{name} BEFORE {event} ON {TABLE} WHEN {when} "
            f"BEGIN SELECT RAISE(ABORT, '{FREEZE.MESSAGE}'); END;"
            for name, (event, when) in events.items()
        ]
        return create, [f"DROP TRIGGER IF EXISTS polity_{TABLE}_frozen_{name};" for name in events]
    if vendor == "postgresql":
        # polity_refuse_published_record() is migration 0002's function for principle records.
        return (
            [
                f"CREATE TRIGGER polity_{TABLE}_frozen BEFORE INSERT OR UPDATE OR DELETE ON {TABLE} "
                "FOR EACH ROW EXECUTE FUNCTION polity_refuse_published_record();"
            ],
            [f"DROP TRIGGER IF EXISTS polity_{TABLE}_frozen ON {TABLE};"],
        )
    raise NotImplementedError(f"no immutability triggers for {vendor}")


def create_triggers(apps, schema_editor):
    for statement in _statements(schema_editor)[0]:
        schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    for statement in _statements(schema_editor)[1]:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("constitutions", "0005_scenarios_and_adherence_reports")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
