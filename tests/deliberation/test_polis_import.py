import csv
import shutil
import uuid
from collections import Counter

import numpy as np
import pytest
from django.db import IntegrityError, connection

from core.text import normalise_for_comparison
from deliberation.models import Conversation, Participant, Statement, Vote, VoteEvent
from deliberation.polis.importing import _lookup, import_polis_export, storable_text
from deliberation.services.analysis import analyse_conversation
from tests.deliberation.polis_folders import (
    current_votes,
    matrix_votes,
    real_export,
    small_export,
)

STATES = {"-1": "rejected", "0": "pending", "1": "accepted"}


def read_rows(path):
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize(
    ("name", "statements", "votes", "events"),
    [
        ("london.youth.policing", 39, 638, 640),
        ("brexit-consensus", 50, 5303, 5312),
        ("bg2050-volunteers", 371, 14283, 14341),
    ],
)
def test_import_polis_export_real_conversation_counts(context, name, statements, votes, events):
    folder = real_export(name)
    conversation = import_polis_export(directory=folder, context=context)

    comments = read_rows(folder / "comments.csv")
    assert conversation.statements.count() == statements == len(comments)
    stored_states = Counter(conversation.statements.values_list("state", flat=True))
    assert stored_states == Counter(STATES[row["moderated"]] for row in comments)
    assert Vote.objects.filter(conversation=conversation).count() == votes
    assert VoteEvent.objects.filter(conversation=conversation).count() == events
    # The latest vote of every pair is exactly what Polis' own matrix says.
    assert current_votes(conversation) == {(p, c): v for (p, c), v in matrix_votes(folder).items()}
    voters = {row["participant"] for row in read_rows(folder / "participants-votes.csv")}
    with_votes = Participant.objects.filter(conversation=conversation, votes__isnull=False)
    assert set(with_votes.values_list("external_id", flat=True)) == voters
    assert conversation.state == Conversation.State.CLOSED
    assert set(conversation.participants.values_list("kind", flat=True)) == {"imported"}


def test_import_polis_export_summary_gives_topic_and_description(context):
    conversation = import_polis_export(directory=real_export("brexit-consensus"), context=context)
    assert conversation.topic == "Can there be consensus on Brexit?"
    assert conversation.description.startswith("An experimental Pol.Is question.")


def test_import_polis_export_newer_layout_keeps_meta_and_seed(context):
    folder = real_export("bg2050-volunteers")
    conversation = import_polis_export(directory=folder, context=context)
    rows = {row["comment-id"]: row for row in read_rows(folder / "comments.csv")}
    stored = conversation.statements.values_list("external_id", "is_meta", "is_seed")
    assert {s: (meta, seed) for s, meta, seed in stored} == {
        c: (row["is-meta"] == "true", row["is-seed"] == "true") for c, row in rows.items()
    }
    assert conversation.statements.filter(is_meta=True).count() == 1
    assert conversation.statements.filter(is_seed=True).count() == 25


def test_import_polis_export_keeps_authors_who_never_voted(context):
    # In london.youth.policing, author 0 (the owner) wrote statements but cast no vote.
    conversation = import_polis_export(
        directory=real_export("london.youth.policing"), context=context
    )
    owner = conversation.participants.get(external_id="0")
    assert owner.statements.exists()
    assert not owner.votes.exists()


def test_import_polis_export_events_are_in_time_order_with_polis_times(context):
    folder = real_export("london.youth.policing")
    conversation = import_polis_export(directory=folder, context=context)
    times = list(
        VoteEvent.objects.filter(conversation=conversation)
        .order_by("pk")
        .values_list("created_at", flat=True)
    )
    assert sorted(round(t.timestamp() * 1000) for t in times) == sorted(
        int(row["timestamp"]) for row in read_rows(folder / "votes.csv")
    )
    assert times == sorted(times)


def test_import_polis_export_matrix_only_uses_participants_votes(context, tmp_path):
    source = real_export("london.youth.policing")
    folder = tmp_path / "matrix-only"
    folder.mkdir()
    for name in ("comments.csv", "participants-votes.csv", "summary.csv"):
        shutil.copy(source / name, folder / name)
    conversation = import_polis_export(directory=folder, context=context)
    assert current_votes(conversation) == matrix_votes(folder)
    # Without votes.csv there is no history: one event per final vote.
    assert VoteEvent.objects.filter(conversation=conversation).count() == 638


def test_import_polis_export_changed_vote_keeps_latest_and_history(context, tmp_path):
    folder = small_export(
        tmp_path / "changed",
        comments=[(0, 0, 1, "Cite sources."), (1, 0, 1, "Refuse medical advice.")],
        # Out of time order in the file, as the latest must win by time, not by line.
        votes=[(3_000, 0, 5, -1), (1_000, 0, 5, 1), (2_000, 1, 5, 0)],
    )
    conversation = import_polis_export(directory=folder, context=context)
    vote = Vote.objects.get(conversation=conversation, statement__external_id="0")
    assert vote.value == -1
    assert round(vote.created_at.timestamp() * 1000) == 1_000
    assert round(vote.updated_at.timestamp() * 1000) == 3_000
    events = VoteEvent.objects.filter(conversation=conversation).order_by("pk")
    assert [e.value for e in events] == [1, 0, -1]


def test_import_polis_export_duplicate_texts_are_all_kept(context, tmp_path):
    folder = small_export(
        tmp_path / "duplicates",
        comments=[
            (0, 0, -1, "Cite your sources!"),
            (1, 0, 1, "cite your sources"),
            (2, 0, 1, "Cite  your sources."),
            (3, 0, 1, "?"),
            (4, 0, 1, "😊"),
        ],
        votes=[(1, c, 7, 1) for c in range(5)],
    )
    notices = []
    conversation = import_polis_export(directory=folder, context=context, notice=notices.append)
    texts = dict(conversation.statements.values_list("external_id", "text"))
    assert texts == {
        "0": "Cite your sources!",
        "1": "cite your sources",
        "2": "Cite your sources.",
        "3": "?",
        "4": "😊",
    }
    # The first shown duplicate keeps the plain key, so a new submission meets it.
    plain = normalise_for_comparison("Cite your sources")
    assert conversation.statements.get(normalised_text=plain).external_id == "1"
    assert Vote.objects.filter(conversation=conversation).count() == 5
    assert len(notices) == 3


def test_import_polis_export_drops_control_characters_and_cuts_long_text(context, tmp_path):
    folder = small_export(
        tmp_path / "odd-text",
        comments=[
            (0, 0, 1, "Say\u202e when\x07 unsure\nplease"),
            (1, 0, 1, "x" * 450),
            (2, 0, 0, ""),
        ],
        votes=[(1, 0, 1, 1), (1, 1, 1, -1), (1, 2, 1, 0)],
    )
    notices = []
    conversation = import_polis_export(directory=folder, context=context, notice=notices.append)
    texts = dict(conversation.statements.values_list("external_id", "text"))
    assert texts["0"] == "Say when unsure please"
    assert len(texts["1"]) == 400
    assert texts["1"].endswith("…")
    assert texts["2"] == ""
    assert len(notices) == 2
    assert Vote.objects.filter(conversation=conversation).count() == 3


def test_import_polis_export_vote_on_unlisted_comment_is_kept(context, tmp_path):
    folder = small_export(
        tmp_path / "unlisted", comments=[(0, 0, 1, "Cite sources.")], votes=[(1, 9, 3, 1)]
    )
    conversation = import_polis_export(directory=folder, context=context)
    statement = conversation.statements.get(external_id="9")
    assert statement.state == Statement.State.PENDING
    assert statement.votes.get().value == 1


def test_storable_text_folds_spacing_without_reporting_it():
    assert storable_text(" Two\r\nlines\tand  spaces ", max_length=400) == (
        "Two lines and spaces",
        False,
    )
    assert storable_text("One\n\nparagraph \n two", max_length=400, multiline=True) == (
        "One\n\nparagraph\ntwo",
        False,
    )


def test_imported_conversation_keeps_polis_group_numbers(context):
    # canadian-electoral-reform: our groups are Polis' (ARI 1.0), and Polis' group 0 is the
    # smaller one, so numbering by size alone would swap them.
    folder = real_export("canadian-electoral-reform")
    polis = {
        row["participant"]: int(row["group-id"])
        for row in read_rows(folder / "participants-votes.csv")
        if row["group-id"] != ""
    }
    conversation = import_polis_export(directory=folder, context=context)
    imported = dict(conversation.participants.values_list("external_id", "imported_group"))
    assert {p: imported[p] for p in polis} == polis

    snapshot = analyse_conversation(conversation_id=conversation.pk)
    external = dict(conversation.participants.values_list("pk", "external_id"))
    ours = {
        external[p["participant_id"]]: p["group"]
        for p in snapshot.result["participants"]
        if p["group"] is not None
    }
    assert {p: ours[p] for p in polis} == polis
    assert Counter(polis.values())[0] < Counter(polis.values())[1]


def test_imported_conversation_keeps_in_whom_polis_had_in_conversation(context):
    # football-concussions: Polis clustered most of its participants with fewer than 7 votes.
    folder = real_export("football-concussions")
    conversation = import_polis_export(directory=folder, context=context)
    polis_in = {
        row["participant"]
        for row in read_rows(folder / "participants-votes.csv")
        if row["group-id"] != ""
    }
    carried = conversation.participants.filter(imported_group__isnull=False)
    assert set(carried.values_list("external_id", flat=True)) == polis_in

    snapshot = analyse_conversation(conversation_id=conversation.pk)
    assert snapshot.result["n_in_conversation"] >= len(polis_in) == 1434


def _two_voter_export(tmp_path):
    return small_export(
        tmp_path / "export",
        comments=[(0, 0, 1, "First."), (1, 1, 1, "Second.")],
        votes=[(1_000, 0, 0, 1), (2_000, 1, 0, -1), (3_000, 0, 1, 0)],
    )


def _setting(name):
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {name}")
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's reference checks")
def test_import_polis_export_restores_row_by_row_reference_checks_after_the_votes(
    context, tmp_path
):
    notices = []
    conversation = import_polis_export(
        directory=_two_voter_export(tmp_path), context=context, notice=notices.append
    )
    assert _setting("session_replication_role") == "origin"
    assert not [line for line in notices if "row by row" in line]
    assert len(current_votes(conversation)) == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL roles")
def test_import_polis_export_by_a_plain_role_keeps_the_database_checks_and_says_so(
    context, tmp_path
):
    role = f"polity_plain_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:  # undone with the test's transaction
        cursor.execute(f"CREATE ROLE {role} NOSUPERUSER")
        cursor.execute(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {role}")
        cursor.execute(f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {role}")
        cursor.execute(f"SET LOCAL ROLE {role}")
    notices = []
    conversation = import_polis_export(
        directory=_two_voter_export(tmp_path), context=context, notice=notices.append
    )
    assert any("references checked row by row" in line for line in notices)
    assert current_votes(conversation) == {("0", "0"): 1, ("0", "1"): -1, ("1", "0"): 0}


def test_lookup_refuses_an_id_the_import_did_not_create():
    keys, values = np.array([3, 5, 9]), np.array([30, 50, 90])
    assert _lookup(keys, values, np.array([9, 3, 5, 3])).tolist() == [90, 30, 50, 30]
    for stray in (4, 10, 0):
        with pytest.raises(IntegrityError, match=f"Polis id {stray}"):
            _lookup(keys, values, np.array([3, stray]))
