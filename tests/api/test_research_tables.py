import io
from collections import Counter

import pandas as pd
import polars as pl
import pytest

from api.exports import encode_table, vote_table
from constitutions.services.tokens import create_token
from tests.constitutions.helpers import published_version


def bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def version(context, conversation, facilitator):
    return published_version(context, conversation, facilitator)


@pytest.fixture
def raw(facilitator):
    return create_token(user=facilitator, name="research", scope="raw", days=1)[1]


def conversation_url(context, conversation):
    return f"/api/v1/contexts/{context.slug}/conversations/{conversation.public_id}/"


def read(response, table_format):
    body = io.BytesIO(response.content)
    if table_format == "parquet":
        return pd.read_parquet(body)
    return pd.read_csv(body)


@pytest.mark.django_db
def test_vote_table_parquet_and_csv_hold_the_same_table(conversation, version):
    _export, table = vote_table(conversation=conversation)
    parquet = pd.read_parquet(io.BytesIO(encode_table(table, "parquet")))
    csv = pd.read_csv(io.BytesIO(encode_table(table, "csv")))
    assert len(parquet) == 24 * 8
    parquet["day"] = parquet["day"].astype(str)  # Parquet keeps dates; CSV has their ISO text
    pd.testing.assert_frame_equal(parquet, csv, check_dtype=False)


@pytest.mark.django_db
def test_vote_export_as_parquet_equals_the_csv_and_the_json(
    client, context, conversation, version, raw
):
    url = f"{conversation_url(context, conversation)}votes/"
    parquet = client.get(url, {"format": "parquet"}, **bearer(raw))
    csv = client.get(url, {"format": "csv"}, **bearer(raw))
    assert parquet["Content-Type"] == "application/vnd.apache.parquet"
    assert csv["Content-Type"] == "text/csv; charset=utf-8"
    assert parquet["X-Polity-Export"] != csv["X-Polity-Export"]
    from_parquet, from_csv = read(parquet, "parquet"), read(csv, "csv")
    assert list(from_parquet.columns) == ["participant", "statement", "value", "day"]
    assert set(from_parquet["participant"]).isdisjoint(from_csv["participant"])
    assert all(p.startswith("p_") for p in from_parquet["participant"])
    # Votes are listed by statement, day and pseudonym, and pseudonyms are new in each export:
    # compare each export's votes per statement and day, and how many each participant cast.
    from_parquet["day"] = from_parquet["day"].astype(str)
    as_json = pd.DataFrame(client.get(url, **bearer(raw)).json()["votes"])
    keys = ["statement", "day", "value"]
    for frame in (from_csv, as_json):
        pd.testing.assert_frame_equal(
            from_parquet[keys].sort_values(keys, ignore_index=True),
            frame[keys].sort_values(keys, ignore_index=True),
            check_dtype=False,
        )
        assert sorted(frame["participant"].value_counts()) == sorted(
            from_parquet["participant"].value_counts()
        )


@pytest.mark.django_db
def test_vote_export_parquet_reads_in_polars_with_pseudonyms_not_ids(
    client, context, conversation, version, raw
):
    url = f"{conversation_url(context, conversation)}votes/"
    frame = pl.read_parquet(
        io.BytesIO(client.get(url, {"format": "parquet"}, **bearer(raw)).content)
    )
    pks = {str(pk) for pk in conversation.participants.values_list("pk", flat=True)}
    assert frame.height == 24 * 8
    assert frame["participant"].n_unique() == 24
    assert pks.isdisjoint(frame["participant"].to_list())
    assert frame.group_by("participant").len()["len"].to_list() == [8] * 24


@pytest.mark.django_db
def test_statement_export_tables_list_every_statement_without_authors(
    client, context, conversation, version, raw
):
    url = f"{conversation_url(context, conversation)}statements/"
    parquet = read(client.get(url, {"format": "parquet"}, **bearer(raw)), "parquet")
    csv = read(client.get(url, {"format": "csv"}, **bearer(raw)), "csv")
    stored = list(conversation.statements.order_by("id").values_list("id", "text", "state"))
    assert list(parquet[["statement", "text", "state"]].itertuples(index=False, name=None)) == (
        stored
    )
    assert "author" not in " ".join(parquet.columns)
    csv["created_at"] = pd.to_datetime(csv["created_at"])
    pd.testing.assert_frame_equal(parquet, csv, check_dtype=False)
    body = client.get(url, **bearer(raw)).json()
    assert [s["statement"] for s in body["statements"]] == [row[0] for row in stored]


@pytest.mark.django_db
def test_snapshot_groups_table_pseudonymises_participants_and_keeps_groups(
    client, context, conversation, version, raw
):
    snapshot = conversation.snapshots.first()
    url = f"{conversation_url(context, conversation)}snapshots/{snapshot.pk}/"
    groups = read(client.get(url, {"format": "parquet"}, **bearer(raw)), "parquet")
    csv = read(client.get(url, {"format": "csv"}, **bearer(raw)), "csv")
    entries = snapshot.result["participants"]
    assert len(groups) == len(csv) == len(entries)
    pks = {str(e["participant_id"]) for e in entries}
    assert pks.isdisjoint(groups["participant"])
    expected = Counter(e["group"] for e in entries if e["group"] is not None)
    assert Counter(groups["group"].dropna().astype(int)) == expected
    assert sorted(groups["x"]) == pytest.approx(sorted(csv["x"]))
    assert list(groups["participant"]) == sorted(groups["participant"])  # not database order


@pytest.mark.django_db
@pytest.mark.parametrize("table_format", ["csv", "parquet"])
def test_research_tables_need_the_raw_scope(
    client, context, conversation, version, facilitator, table_format
):
    _t, constitutions_only = create_token(user=facilitator, name="c", scope="constitutions", days=1)
    base = conversation_url(context, conversation)
    snapshot = conversation.snapshots.first()
    for path in ("votes/", "statements/", f"snapshots/{snapshot.pk}/"):
        url = f"{base}{path}"
        assert client.get(url, {"format": table_format}).status_code == 401
        answer = client.get(url, {"format": table_format}, **bearer(constitutions_only))
        assert answer.status_code == 403


@pytest.mark.django_db
def test_research_tables_refuse_an_unknown_format(client, context, conversation, version, raw):
    response = client.get(
        f"{conversation_url(context, conversation)}votes/", {"format": "xlsx"}, **bearer(raw)
    )
    assert response.status_code == 400
    assert "csv" in response.json()["detail"]
