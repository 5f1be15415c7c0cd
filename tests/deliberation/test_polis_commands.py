import json
import shutil
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from deliberation.models import Context, Conversation, Participant, Statement, Vote, VoteEvent
from deliberation.opinions import analyse
from deliberation.polis.files import polis_state, read_polis_export, to_conversation
from tests.deliberation.polis_folders import OLD_COMMENTS, VOTES, real_export, write_csv

REQUIRED_KEYS = {
    "groups",
    "k",
    "representative",
    "majority",
    "group_informed_consensus",
    "bridging",
    "contested",
    "algorithm",
    "seconds",
}


def good_folder(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    write_csv(
        folder / "comments.csv",
        OLD_COMMENTS,
        [[1, "", 0, 0, 1, 0, 1, "Cite sources."], [2, "", 1, 0, 0, 1, 1, "Say when unsure."]],
    )
    write_csv(folder / "votes.csv", VOTES, [[5, "", 0, 0, 1], [6, "", 1, 0, -1]])
    return folder


def nothing_written():
    return not (
        Conversation.objects.exists()
        or Statement.objects.exists()
        or Participant.objects.exists()
        or Vote.objects.exists()
        or VoteEvent.objects.exists()
    )


def test_import_polis_imports_into_an_existing_context(context, tmp_path, capsys):
    call_command("import_polis", str(good_folder(tmp_path)), "--context", context.slug)
    conversation = context.conversations.get()
    assert conversation.statements.count() == 2
    assert Vote.objects.filter(conversation=conversation).count() == 2
    assert conversation.public_id in capsys.readouterr().out


def test_import_polis_refuses_an_unknown_context_unless_asked_to_create_it(db, tmp_path):
    folder = good_folder(tmp_path)
    with pytest.raises(CommandError, match="--create-context"):
        call_command("import_polis", str(folder), "--context", "new-context")
    assert not Context.objects.exists()
    call_command("import_polis", str(folder), "--context", "new-context", "--create-context")
    assert Context.objects.get(slug="new-context").conversations.count() == 1


@pytest.mark.parametrize(
    ("damage", "file", "line"),
    [
        # A header with misspelled columns.
        (lambda f: write_csv(f / "votes.csv", ["time", "comment", "voter", "vote"], [[1, 0, 0, 1]]),
         "votes.csv", 1),
        # A vote that is not agree, disagree or pass.
        (lambda f: write_csv(f / "votes.csv", VOTES, [[5, "", 0, 0, 1], [6, "", 1, 0, 2]]),
         "votes.csv", 3),
        # The comment body column is missing.
        (lambda f: write_csv(f / "comments.csv", OLD_COMMENTS[:-1], [[1, "", 0, 0, 1, 0, 1]]),
         "comments.csv", 1),
        # A row with more fields than the header.
        (lambda f: (f / "votes.csv").write_text(
            "timestamp,datetime,comment-id,voter-id,vote\n5,,0,0,1\n6,,1,0,-1,9\n"),
         "votes.csv", 3),
        # Bytes that are not UTF-8.
        (lambda f: (f / "comments.csv").write_bytes(
            (f / "comments.csv").read_bytes().replace(b"unsure", b"uns\xffre")),
         "comments.csv", 3),
        # The same comment id twice.
        (lambda f: write_csv(f / "comments.csv", OLD_COMMENTS,
                             [[1, "", 0, 0, 1, 0, 1, "A."], [2, "", 0, 0, 1, 0, 1, "B."]]),
         "comments.csv", 3),
    ],
    ids=["bad-header", "bad-vote", "missing-column", "ragged-row", "invalid-utf8", "repeated-id"],
)  # fmt: skip
def test_import_polis_malformed_file_names_file_and_line_and_writes_nothing(
    db, tmp_path, damage, file, line
):
    folder = good_folder(tmp_path)
    damage(folder)
    with pytest.raises(CommandError) as error:
        call_command("import_polis", str(folder), "--context", "fresh", "--create-context")
    assert f"{file}, line {line}:" in str(error.value)
    assert nothing_written()
    assert not Context.objects.exists()


def test_import_polis_without_any_votes_file_is_refused(db, tmp_path):
    folder = good_folder(tmp_path)
    (folder / "votes.csv").unlink()
    with pytest.raises(CommandError, match=r"votes\.csv"):
        call_command("import_polis", str(folder), "--context", "fresh", "--create-context")
    assert nothing_written()


def test_export_polis_writes_the_folder(context, tmp_path):
    call_command("import_polis", str(good_folder(tmp_path)), "--context", context.slug)
    conversation = context.conversations.get()
    out = tmp_path / "out"
    call_command("export_polis", conversation.public_id, str(out))
    assert read_polis_export(out).votes_source == "votes.csv"
    assert len(read_polis_export(out).comments) == 2


def test_export_polis_refuses_an_unknown_conversation(db, tmp_path):
    with pytest.raises(CommandError, match="no conversation"):
        call_command("export_polis", "nope", str(tmp_path))


# No `db` fixture: pytest-django fails any test that touches the database.
def test_analyse_export_writes_required_keys_deterministically(tmp_path):
    folder = real_export("brexit-consensus")
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    call_command("analyse_export", str(folder), "--out", str(first), "--no-progress")
    call_command("analyse_export", str(folder), "--out", str(second), "--no-progress")
    result, again = json.loads(first.read_text()), json.loads(second.read_text())
    assert set(result) >= REQUIRED_KEYS
    assert {**result, "seconds": 0} == {**again, "seconds": 0}

    export = read_polis_export(folder)
    analysis = analyse(to_conversation(export), previous_state=polis_state(export))
    clustered = {
        str(p.participant_id): p.group for p in analysis.participants if p.group is not None
    }
    assert result["groups"] == clustered
    assert result["k"] == len(set(clustered.values())) >= 2
    assert set(result["representative"]) == {str(g) for g in range(result["k"])}
    assert result["source"] == "votes.csv"


def test_analyse_export_keeps_in_whom_polis_had_in_conversation_unless_fresh(tmp_path):
    # Polis clustered football-concussions' participants under an older rule, most with fewer
    # than 7 votes; once in, always in keeps them, --fresh applies today's rule alone.
    folder = real_export("football-concussions")
    export = read_polis_export(folder)
    kept, fresh = tmp_path / "kept.json", tmp_path / "fresh.json"
    call_command("analyse_export", str(folder), "--out", str(kept), "--no-progress")
    call_command("analyse_export", str(folder), "--out", str(fresh), "--fresh", "--no-progress")
    kept_groups = json.loads(kept.read_text())["groups"]
    fresh_groups = json.loads(fresh.read_text())["groups"]
    votes = Counter(export.votes.voter_ids.tolist())
    assert set(kept_groups) >= {str(p) for p in export.groups}
    assert {p for p in fresh_groups if votes[int(p)] < 7} == set()
    assert len(fresh_groups) < len(export.groups) <= len(kept_groups)


def test_analyse_export_falls_back_to_the_participants_votes_matrix(tmp_path):
    source = real_export("london.youth.policing")
    folder = tmp_path / "matrix-only"
    folder.mkdir()
    for name in ("comments.csv", "participants-votes.csv", "summary.csv"):
        shutil.copy(source / name, folder / name)
    out = tmp_path / "result.json"
    call_command("analyse_export", str(folder), "--out", str(out), "--no-progress")
    result = json.loads(out.read_text())
    assert result["source"] == "participants-votes.csv"
    assert result["n_votes"] == 638


def test_analyse_export_malformed_file_writes_no_result(tmp_path):
    folder = good_folder(tmp_path)
    write_csv(folder / "votes.csv", VOTES, [[5, "", 0, 0, "yes"]])
    out = tmp_path / "result.json"
    with pytest.raises(CommandError, match=r"votes\.csv, line 2:"):
        call_command("analyse_export", str(folder), "--out", str(out))
    assert not out.exists()
