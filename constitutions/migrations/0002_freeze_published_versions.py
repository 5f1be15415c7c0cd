"""Database triggers that refuse any change to a published version, its principles, their sources
and editorial steps, so not even raw SQL can alter what was published. One set per vendor."""

from django.db import migrations

MESSAGE = "published constitution versions are immutable"
VERSION = "constitutions_constitutionversion"
PRINCIPLE = "constitutions_principle"
RECORDS = ("constitutions_principlesource", "constitutions_editorialstep")


def _published_version(version_column):
    return (
        f"EXISTS (SELECT 1 FROM {VERSION} v WHERE v.published_at IS NOT NULL "
        f"AND v.id IN ({version_column}))"
    )


def _published_principle(principle_column):
    return (
        f"EXISTS (SELECT 1 FROM {PRINCIPLE} p JOIN {VERSION} v ON v.id = p.version_id "
        f"WHERE v.published_at IS NOT NULL AND p.id IN ({principle_column}))"
    )


def _sqlite():
    names = []

    def trigger(name, event, table, when):
        names.append(name)
        return (
            f"CREATE TRIGGER {name} BEFORE {event} ON {table} WHEN {when} "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"
        )

    sql = [
        trigger("polity_version_frozen_update", "UPDATE", VERSION, "OLD.published_at IS NOT NULL"),
        trigger("polity_version_frozen_delete", "DELETE", VERSION, "OLD.published_at IS NOT NULL"),
        trigger("polity_principle_frozen_insert", "INSERT", PRINCIPLE, _published_version("NEW.version_id")),
        trigger(
            "polity_principle_frozen_update",
            "UPDATE",
            PRINCIPLE,
            _published_version("OLD.version_id, NEW.version_id"),
        ),
        trigger("polity_principle_frozen_delete", "DELETE", PRINCIPLE, _published_version("OLD.version_id")),
    ]
    for table in RECORDS:
        sql += [
            trigger(f"polity_{table}_frozen_insert", "INSERT", table, _published_principle("NEW.principle_id")),
            trigger(
                f"polity_{table}_frozen_update",
                "UPDATE",
                table,
                _published_principle("OLD.principle_id, NEW.principle_id"),
            ),
            trigger(f"polity_{table}_frozen_delete", "DELETE", table, _published_principle("OLD.principle_id")),
        ]
    return sql, [f"DROP TRIGGER IF EXISTS {name};" for name in names]


def _postgresql():
    # OLD is NULL in INSERT triggers and NEW in DELETE triggers (PostgreSQL 11+), so one function
    # per table covers every event. ERRCODE 23000 surfaces as IntegrityError, as on SQLite.
    def function(name, condition):
        return (
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$ BEGIN "
            f"IF {condition} THEN RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = '23000'; END IF; "
            "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$ LANGUAGE plpgsql;"
        )

    def trigger(name, events, table, func):
        return (
            f"CREATE TRIGGER {name} BEFORE {events} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {func}();"
        )

    sql = [
        function("polity_refuse_published_version", "OLD.published_at IS NOT NULL"),
        trigger("polity_version_frozen", "UPDATE OR DELETE", VERSION, "polity_refuse_published_version"),
        function(
            "polity_refuse_published_principle", _published_version("OLD.version_id, NEW.version_id")
        ),
        trigger(
            "polity_principle_frozen",
            "INSERT OR UPDATE OR DELETE",
            PRINCIPLE,
            "polity_refuse_published_principle",
        ),
        function(
            "polity_refuse_published_record",
            _published_principle("OLD.principle_id, NEW.principle_id"),
        ),
    ]
    sql += [
        trigger(f"polity_{table}_frozen", "INSERT OR UPDATE OR DELETE", table, "polity_refuse_published_record")
        for table in RECORDS
    ]
    reverse = [
        f"DROP TRIGGER IF EXISTS polity_version_frozen ON {VERSION};",
        f"DROP TRIGGER IF EXISTS polity_principle_frozen ON {PRINCIPLE};",
        *[f"DROP TRIGGER IF EXISTS polity_{table}_frozen ON {table};" for table in RECORDS],
        "DROP FUNCTION IF EXISTS polity_refuse_published_version();",
        "DROP FUNCTION IF EXISTS polity_refuse_published_principle();",
        "DROP FUNCTION IF EXISTS polity_refuse_published_record();",
    ]
    return sql, reverse


def _statements(schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        return _sqlite()
    if vendor == "postgresql":
        return _postgresql()
    raise NotImplementedError(f"no immutability triggers for {vendor}")


def create_triggers(apps, schema_editor):
    for statement in _statements(schema_editor)[0]:
        schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    for statement in _statements(schema_editor)[1]:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("constitutions", "0001_initial")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
