import pytest

from deliberation.opinions import Moderation
from deliberation.polis.files import PolisFileError, read_polis_export, to_conversation

from .polis_fixtures import OPENDATA, require

OLD = "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
NEW = (
    "timestamp,comment-id,author-id,agrees,disagrees,moderated,is-meta,is-seed,"
    "group-informed-consensus,comment-body\n"
)


def _folder(tmp_path, comments, votes=None, matrix=None):
    (tmp_path / "comments.csv").write_text(comments)
    if votes is not None:
        (tmp_path / "votes.csv").write_text(votes)
    if matrix is not None:
        (tmp_path / "participants-votes.csv").write_text(matrix)
    return tmp_path


def test_read_polis_export_reads_multiline_bodies_and_latest_votes(tmp_path):
    comments = OLD + '1,d,0,0,1,0,1,"two\nlines"\n2,d,1,0,0,0,-1,plain\n'
    votes = "timestamp,datetime,comment-id,voter-id,vote\n1,d,0,5,1\n2,d,0,5,-1\n3,d,1,5,0\n"
    export = read_polis_export(_folder(tmp_path, comments, votes))
    assert export.comments[0].body == "two\nlines"
    assert export.comments[1].moderation == Moderation.REJECTED
    assert export.votes_source == "votes.csv"
    conversation = to_conversation(export)
    assert len(conversation.votes) == 3


def test_read_polis_export_reads_files_resaved_with_a_bom_and_windows_line_ends(tmp_path):
    # Spreadsheet programs save "UTF-8" CSV with a byte-order mark and CRLF line ends.
    comments = OLD + '1,d,0,0,1,0,1,"two\nlines"\n2,d,1,0,0,0,1,plain\n'
    votes = "timestamp,datetime,comment-id,voter-id,vote\n1,d,0,5,1\n2,d,1,5,-1\n"
    for name, text in (("comments.csv", comments), ("votes.csv", votes)):
        (tmp_path / name).write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    (tmp_path / "summary.csv").write_bytes(b"\xef\xbb\xbftopic,Taxes\r\n")
    export = read_polis_export(tmp_path)
    assert [c.comment_id for c in export.comments] == [0, 1]
    assert export.comments[0].body.splitlines() == ["two", "lines"]
    assert len(to_conversation(export).votes) == 2
    assert export.summary["topic"] == "Taxes"


def test_read_polis_export_falls_back_to_the_matrix_and_reads_groups(tmp_path):
    comments = NEW + "1,0,0,1,0,1,true,true,0.5,meta one\n2,1,0,1,0,1,false,true,0.5,b\n"
    matrix = (
        "participant,xid,group-id,n-comments,n-votes,n-agree,n-disagree,0,1\n"
        "0,,1,0,2,1,1,1,-1\n1,,,0,1,0,0,,0\n"
    )
    export = read_polis_export(_folder(tmp_path, comments, matrix=matrix))
    assert export.votes_source == "participants-votes.csv"
    assert export.groups == {0: 1}
    assert export.comments[0].is_meta
    assert len(export.votes) == 3


@pytest.mark.parametrize(
    "comments, problem",
    [
        (OLD + "1,d,x,0,1,0,1,body\n", "comment-id is not a whole number: 'x'"),
        (OLD + "1,d,0,0,1,0,7,body\n", "moderated must be -1, 0 or 1"),
        (OLD + '1,d,0,0,1,0,1,"ok"\n1,d,1,0\n', "has 4 fields, the header has 8"),
        ("comment-id,comment-body\n0,x\n", "lacks the column(s)"),
        (OLD + "1e400,d,0,0,1,0,1,body\n", "timestamp is not a whole number: '1e400'"),
        (OLD + "-5,d,0,0,1,0,1,body\n", "timestamp is not milliseconds between 1970 and 9999"),
        (OLD + "1,d,4,0,1,0,1,a\n2,d,4,0,1,0,-1,b\n", "comment-id 4 already appears on line 2"),
        (OLD + "1,d,4,0,1,0,1,a\n2,d,4.0,0,1,0,1,b\n", "comment-id 4 already appears on line 2"),
        (NEW + "1,0,0,1,0,1,false,maybe,0.5,a\n", "is-seed must be true or false, not 'maybe'"),
    ],
)
def test_read_polis_export_names_file_line_and_problem(tmp_path, comments, problem):
    votes = "timestamp,datetime,comment-id,voter-id,vote\n"
    with pytest.raises(PolisFileError) as raised:
        read_polis_export(_folder(tmp_path, comments, votes))
    assert raised.value.file.endswith("comments.csv")
    assert problem in str(raised.value)
    assert raised.value.line in (1, 2, 3)


def test_read_polis_export_refuses_a_participant_twice_in_the_matrix(tmp_path):
    matrix = (
        "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0\n"
        "3,0,0,1,1,0,1\n3,1,0,1,0,1,-1\n"
    )
    with pytest.raises(PolisFileError) as raised:
        read_polis_export(_folder(tmp_path, OLD + "1,d,0,0,1,0,1,a\n", matrix=matrix))
    assert raised.value.file.endswith("participants-votes.csv")
    assert raised.value.line == 3
    assert "participant 3 already appears on line 2" in str(raised.value)


def test_read_polis_export_complains_without_votes(tmp_path):
    with pytest.raises(PolisFileError, match="missing"):
        read_polis_export(_folder(tmp_path, OLD))


def test_read_polis_export_reads_every_real_conversation():
    root = require(OPENDATA)
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        export = read_polis_export(folder)
        assert export.comments and export.votes and export.groups
        assert "topic" in export.summary or export.summary == {}


def test_read_polis_export_refuses_a_vote_time_no_datetime_holds(tmp_path):
    votes = "timestamp,datetime,comment-id,voter-id,vote\n1,d,0,5,1\n253402300800000,d,0,6,1\n"
    with pytest.raises(PolisFileError) as raised:
        read_polis_export(_folder(tmp_path, OLD + "1,d,0,0,1,0,1,body\n", votes))
    assert raised.value.file.endswith("votes.csv")
    assert raised.value.line == 3
    assert "between 1970 and 9999" in str(raised.value)
