"""One row as a model instance, in plain SQL built once per model: for the reads of every vote.

Building a query with the ORM cost more CPU than the database spent answering it: looking up the
conversation, the participant and the next statement took 0.3-0.6 ms each of a vote request's
4.5 ms, and `raw()` still 0.2 ms (bench/vote_cpu.py). Here the row becomes an instance as the
ORM makes one: `from_db`, after the same field converters (on SQLite, booleans and datetimes
come back as integers and naive datetimes without them).
"""

from functools import cache
from typing import TypeVar

from django.db import connection
from django.db.models import Model

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
    """The instance of `model` whose row matches `condition`, or None (the first, if several).

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
