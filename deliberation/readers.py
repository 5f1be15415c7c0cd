"""The deliberation app's reads in plain SQL, for the paths every vote takes, each a named function.

Building a query with the ORM cost more CPU than the database spent answering it: looking up the
conversation, the participant and the next statement took 0.3-0.6 ms each of a vote request's
4.5 ms, and `raw()` still 0.2 ms (bench/vote_cpu.py). Each SQL text is built once (per model or
moderation rule); only table and column names are interpolated, every value is a parameter.
Views, cookie code and services call the functions here and never hold SQL themselves.
"""

from functools import cache
from typing import TypeVar

from django.db import connection
from django.db.models import Model

from deliberation.models import AnalysisSnapshot, Conversation, Participant, Statement, Vote

M = TypeVar("M", bound=Model)


@cache
def _select(model: type[Model]) -> tuple[str, list[str], list]:
    """The SELECT of every column, the fields' attribute names and their column expressions."""
    quote = connection.ops.quote_name
    fields = model._meta.concrete_fields
    columns = ", ".join(quote(field.column) for field in fields)
    sql = f"SELECT {columns} FROM {quote(model._meta.db_table)}"  # noqa: S608 (names only)
    return (
        sql,
        [field.attname for field in fields],
        [field.get_col(model._meta.db_table) for field in fields],
    )


def first_row(model: type[M], condition: str, params: list) -> M | None:
    """The instance of `model` whose row matches `condition`, or None (the first, if several),
    built as the ORM builds one: `from_db`, after the same field converters (on SQLite, booleans
    and datetimes come back as integers and naive datetimes without them).

    `condition` is constant SQL with a %s for each of `params`: never put a value in it.
    """
    sql, names, columns = _select(model)
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} WHERE {condition} LIMIT 1", params)
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    # Asked of this thread's connection on every call, as the ORM's compiler does.
    ops = connection.ops
    for index, column in enumerate(columns):
        for convert in ops.get_db_converters(column) + column.get_db_converters(connection):
            values[index] = convert(values[index], column, connection)
    return model.from_db(connection.alias, names, values)


def conversation_for_participants(public_id: str) -> Conversation | None:
    """The conversation at `public_id` unless it is a draft (participants cannot see drafts)."""
    return first_row(
        Conversation, "public_id = %s AND state <> %s", [public_id, Conversation.State.DRAFT]
    )


def participant_in(conversation: Conversation, participant_id: int) -> Participant | None:
    """Participant `participant_id` if they belong to `conversation` (else None)."""
    return first_row(
        Participant, "id = %s AND conversation_id = %s", [participant_id, conversation.pk]
    )


def statement_by_id(statement_id: int) -> Statement | None:
    return first_row(Statement, "id = %s", [statement_id])


@cache
def _statements_sql(only_state: bool) -> str:
    # The visible statements with whether this participant voted on each (a probe of the
    # one-vote-per-statement index), in one query.
    vote, statement = (
        connection.ops.quote_name(model._meta.db_table) for model in (Vote, Statement)
    )
    probe = "v.participant_id = %s AND v.statement_id = s.id"
    voted = f"EXISTS (SELECT 1 FROM {vote} v WHERE {probe})"  # noqa: S608 (a table name)
    where = f"WHERE s.conversation_id = %s AND s.state {'=' if only_state else '<>'} %s"
    return f"SELECT s.id, s.is_meta, {voted} FROM {statement} s {where} ORDER BY s.id"  # noqa: S608


def statements_with_voted(
    conversation: Conversation, participant_id: int | None, *, only: bool, state: str
) -> list[tuple[int, bool, bool]]:
    """(id, is_meta, voted) of the statements visible under the moderation rule (only those in
    `state` when `only`, else all but those), in id order; `voted` is whether participant
    `participant_id` (None: nobody) has voted on it."""
    with connection.cursor() as cursor:
        cursor.execute(_statements_sql(only), [participant_id, conversation.pk, state])
        rows = cursor.fetchall()
    return [(pk, bool(is_meta), bool(voted)) for pk, is_meta, voted in rows]


@cache
def _latest_snapshot_sql() -> str:
    table = connection.ops.quote_name(AnalysisSnapshot._meta.db_table)
    latest = "WHERE conversation_id = %s ORDER BY id DESC LIMIT 1"
    return f"SELECT id, created_at FROM {table} {latest}"  # noqa: S608 (only a table name)


def latest_snapshot_key(conversation: Conversation) -> tuple[int, object] | None:
    """Which snapshot is the latest, as its id and creation time as the database returns it
    (a key, never shown): one small indexed query, AnalysisSnapshot.objects.latest_for's answer
    without the ORM's cost."""
    with connection.cursor() as cursor:
        cursor.execute(_latest_snapshot_sql(), [conversation.pk])
        row = cursor.fetchone()
    return None if row is None else (row[0], row[1])
