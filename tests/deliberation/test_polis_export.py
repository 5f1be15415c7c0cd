import csv
from datetime import UTC, datetime

import pytest

from deliberation.models import Statement, Vote, VoteEvent
from deliberation.polis.exporting import export_polis_export
from deliberation.polis.files import read_polis_export
from deliberation.polis.importing import import_polis_export
from deliberation.services.analysis import analyse_conversation
from tests.deliberation.polis_folders import by_rank, real_export
from tests.factories import make_context, make_participant, make_statement

FILES = {
    "summary.csv",
    "comments.csv",
    "votes.csv",
    "participants-votes.csv",
    "comment-groups.csv",
}


def read_rows(path):
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("name", ["london.youth.policing", "bg2050-volunteers"])
def test_export_polis_export_round_trip_reproduces_statements_and_votes(context, tmp_path, name):
    first = import_polis_export(directory=real_export(name), context=context)
    export_polis_export(conversation=first, directory=tmp_path / "out")
    second = import_polis_export(directory=tmp_path / "out", context=context)

    before, after = by_rank(first), by_rank(second)
    assert after["statements"] == before["statements"]
    assert after["votes"] == before["votes"]
    assert after["events"] == before["events"]
    assert (second.topic, second.description) == (first.topic, first.description)


def test_export_polis_export_writes_polis_layout(context, tmp_path):
    conversation = import_polis_export(
        directory=real_export("london.youth.policing"), context=context
    )
    written = export_polis_export(conversation=conversation, directory=tmp_path)
    assert {path.name for path in written} == FILES
    header = (tmp_path / "comments.csv").read_text().splitlines()[0]
    assert header == (
        "timestamp,comment-id,author-id,agrees,disagrees,moderated,is-meta,is-seed,"
        "group-informed-consensus,comment-body"
    )
    assert (
        (tmp_path / "votes.csv")
        .read_text()
        .startswith("timestamp,datetime,comment-id,voter-id,vote\n")
    )
    # The exported folder is one our own reader (and so analyse_export) accepts.
    export = read_polis_export(tmp_path)
    assert len(export.votes) == VoteEvent.objects.filter(conversation=conversation).count()


def test_export_polis_export_participants_are_pseudonymous(context, tmp_path):
    conversation = context.conversations.create(topic="Native")
    statement = make_statement(conversation, "The assistant should cite its sources.")
    people = [make_participant(conversation, xid=f"user-{i}@example.org") for i in range(3)]
    now = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    for person in people:
        Vote.objects.create(
            conversation=conversation,
            participant=person,
            statement=statement,
            value=1,
            created_at=now,
            updated_at=now,
        )
        VoteEvent.objects.create(
            conversation=conversation,
            participant=person,
            statement=statement,
            value=1,
            created_at=now,
        )
    export_polis_export(conversation=conversation, directory=tmp_path)

    rows = read_rows(tmp_path / "participants-votes.csv")
    assert [row["participant"] for row in rows] == ["0", "1", "2"]
    assert "xid" not in rows[0]
    everything = "".join(path.read_text() for path in tmp_path.iterdir())
    assert "example.org" not in everything
    assert {row["voter-id"] for row in read_rows(tmp_path / "votes.csv")} == {"0", "1", "2"}
    # A statement written in Polity gets the next free comment id.
    assert [row["comment-id"] for row in read_rows(tmp_path / "comments.csv")] == ["0"]


def test_export_polis_export_groups_come_from_the_latest_snapshot(context, tmp_path):
    conversation = import_polis_export(directory=real_export("brexit-consensus"), context=context)
    export_polis_export(conversation=conversation, directory=tmp_path / "before")
    unclustered = read_rows(tmp_path / "before" / "participants-votes.csv")
    assert {row["group-id"] for row in unclustered} == {""}
    assert {
        row["group-informed-consensus"] for row in read_rows(tmp_path / "before" / "comments.csv")
    } == {""}

    snapshot = analyse_conversation(conversation_id=conversation.pk)
    export_polis_export(conversation=conversation, directory=tmp_path / "after")

    groups = {
        p["participant_id"]: p["group"]
        for p in snapshot.result["participants"]
        if p["group"] is not None
    }
    assert len(groups) > 100
    pks = list(conversation.participants.order_by("pk").values_list("pk", flat=True))
    rows = read_rows(tmp_path / "after" / "participants-votes.csv")
    assert {int(r["participant"]): r["group-id"] for r in rows} == {
        index: str(groups[pk]) if pk in groups else "" for index, pk in enumerate(pks)
    }
    comment_groups = read_rows(tmp_path / "after" / "comment-groups.csv")
    k = len(snapshot.result["groups"])
    assert f"group-{'abcde'[k - 1]}-agrees" in comment_groups[0]
    first = comment_groups[0]
    assert int(first["total-votes"]) == sum(
        int(first[f"total-{kind}"]) for kind in ("agrees", "disagrees", "passes")
    )
    summary = dict(csv.reader((tmp_path / "after" / "summary.csv").open()))
    assert summary["groups"] == str(k)
    gic = {
        r["comment-id"]: r["group-informed-consensus"]
        for r in read_rows(tmp_path / "after" / "comments.csv")
    }
    statement = conversation.statements.get(external_id="0")
    expected = next(s for s in snapshot.result["statements"] if s["statement_id"] == statement.pk)
    assert float(gic["0"]) == pytest.approx(expected["gic_agree"])


def test_export_polis_export_native_conversation_imports_back(db, tmp_path):
    context = make_context(slug="native")
    conversation = context.conversations.create(topic="Native", description="Two\nlines")
    texts = ["Cite sources.", "Refuse medical diagnoses.", "Say when unsure."]
    statements = [make_statement(conversation, text) for text in texts]
    Statement.objects.filter(pk=statements[2].pk).update(state=Statement.State.REJECTED)
    person = make_participant(conversation)
    for statement, value in zip(statements, (1, -1, 0), strict=True):
        at = datetime(2025, 1, 2, 3, 4, 5, 123000, tzinfo=UTC)
        Vote.objects.create(
            conversation=conversation,
            participant=person,
            statement=statement,
            value=value,
            created_at=at,
            updated_at=at,
        )
        VoteEvent.objects.create(
            conversation=conversation,
            participant=person,
            statement=statement,
            value=value,
            created_at=at,
        )
    export_polis_export(conversation=conversation, directory=tmp_path)
    back = import_polis_export(directory=tmp_path, context=context)

    assert list(back.statements.order_by("pk").values_list("text", "state")) == [
        ("Cite sources.", "accepted"),
        ("Refuse medical diagnoses.", "accepted"),
        ("Say when unsure.", "rejected"),
    ]
    assert back.description == "Two\nlines"
    assert by_rank(back)["votes"] == [(0, "0", 1), (0, "1", -1), (0, "2", 0)]
    assert by_rank(back)["events"] == [
        (0, str(i), v, datetime(2025, 1, 2, 3, 4, 5, 123000, tzinfo=UTC))
        for i, v in enumerate((1, -1, 0))
    ]
