"""Property-based tests: whatever a person (or a file) sends, Polity answers with success or a
refusal that carries a message, never a server error, and a refusal writes nothing.

Covers statement submission (the service and the HTTP form), the seed CSV upload (the service
and the HTTP upload) and the Polis export import (generated export folders).
"""

import csv
import io
import os
import tempfile
from http import HTTPStatus
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from deliberation.errors import DeliberationError, InvalidUpload
from deliberation.models import Conversation, Participant, Statement, Vote, VoteEvent
from deliberation.polis.files import PolisFileError
from deliberation.polis.importing import import_polis_export
from deliberation.services.participation import submit_statement
from deliberation.services.seeding import import_seed_csv
from tests.factories import make_participant, make_statement

SETTINGS = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
    # CI (.ci/run sets CI) replays the same examples, so a landing never fails by chance; a
    # developer's run explores new ones, and what it finds is pinned here with @example.
    derandomize=bool(os.environ.get("CI")),
)
# Text as people and attackers write it: any code point (controls, bidi overrides, NUL, lone
# combining marks), markup, near-duplicates of what exists, very long runs.
hostile_text = st.one_of(
    st.text(max_size=500),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=380, max_size=420),
    st.sampled_from(
        [
            "",
            " \n\t ",
            "\x00",
            "The assistant should cite the catalogue.",
            "THE ASSISTANT SHOULD CITE THE CATALOGUE!!",
            "abc\u202eevil",
            "<script>alert(1)</script>",
            "x" * 401,
        ]
    ),
)


def _counts() -> tuple[int, ...]:
    models = (Conversation, Participant, Statement, Vote, VoteEvent)
    return tuple(model.objects.count() for model in models)


def _refused(error: Exception) -> str:
    return error.message if isinstance(error, DeliberationError) else " ".join(error.messages)


@pytest.fixture
def seeded(conversation):
    make_statement(conversation, "The assistant should cite the catalogue.")
    return conversation


@SETTINGS
@given(text=hostile_text)
def test_submit_statement_accepts_or_refuses_with_a_message(seeded, text):
    participant = make_participant(seeded)
    before = _counts()
    try:
        statement = submit_statement(participant=participant, text=text)
    except (DeliberationError, ValidationError) as error:
        assert _refused(error).strip()
        assert _counts() == before
    else:
        assert statement.text.strip() and len(statement.text) <= 400
        assert _counts() == (before[0], before[1], before[2] + 1, before[3] + 1, before[4] + 1)


@SETTINGS
@given(text=hostile_text, xid=st.one_of(st.none(), st.text(max_size=30)))
def test_write_form_answers_4xx_with_a_message_or_redirects(seeded, text, xid):
    data = {"text": text} if xid is None else {"text": text, "xid": xid}
    before = _counts()
    response = Client().post(f"/c/{seeded.public_id}/write/", data)
    assert response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR
    if response.status_code >= HTTPStatus.BAD_REQUEST:
        assert b'role="alert"' in response.content or b"error" in response.content
        assert _counts() == before
    else:
        assert response.status_code == HTTPStatus.SEE_OTHER
        assert _counts()[2] == before[2] + 1


@SETTINGS
@given(
    statement=st.one_of(st.text(max_size=12), st.integers().map(str)),
    value=st.one_of(st.text(max_size=4), st.integers(-3, 3).map(str)),
)
def test_vote_form_never_fails_with_a_server_error(seeded, statement, value):
    before = _counts()
    response = Client().post(
        f"/c/{seeded.public_id}/vote/", {"statement": statement, "value": value}
    )
    assert response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR
    if response.status_code >= HTTPStatus.BAD_REQUEST:
        assert _counts() == before


# --- Seed CSV -----------------------------------------------------------------------------

csv_cells = st.one_of(hostile_text, st.sampled_from(["yes", "no", "1", "0", "maybe", ""]))
csv_files = st.one_of(
    st.binary(max_size=2000),
    st.lists(st.lists(csv_cells, min_size=0, max_size=4), max_size=30).map(
        lambda rows: _csv([["text", "is_meta"], *rows])
    ),
    st.lists(st.text(max_size=80), max_size=20).map(lambda lines: "\n".join(lines).encode()),
)


def _csv(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8", errors="surrogatepass")


@SETTINGS
@given(data=csv_files)
def test_seed_csv_imports_all_or_refuses_with_problems(seeded, facilitator, data):
    before = _counts()
    try:
        seeded_rows = import_seed_csv(conversation=seeded, actor=facilitator, data=data)
    except InvalidUpload as error:
        assert error.problems and all(reason.strip() for _line, reason in error.problems)
        assert _counts() == before
    except DeliberationError as error:
        assert error.message.strip()
        assert _counts() == before
    else:
        assert _counts()[2] == before[2] + len(seeded_rows) > before[2]


@SETTINGS
@given(data=csv_files)
def test_seed_csv_upload_answers_4xx_or_redirects(seeded, facilitator_client, data):
    upload = io.BytesIO(data)
    upload.name = "seeds.csv"
    before = _counts()
    response = facilitator_client.post(
        f"/facilitate/conversations/{seeded.public_id}/seed/csv/", {"file": upload}
    )
    assert response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR
    if response.status_code >= HTTPStatus.BAD_REQUEST:
        assert _counts() == before
    else:
        assert response.status_code == HTTPStatus.FOUND


# --- Polis import -------------------------------------------------------------------------

numbers = st.one_of(
    st.integers(-2, 6).map(str),
    st.sampled_from(["", "1.0", "1e3", "-0", "x", "9" * 30, "NaN"]),
)
COMMENT_COLUMNS = ["timestamp", "datetime", "comment-id", "author-id", "agrees", "disagrees"]
VOTE_COLUMNS = ["timestamp", "datetime", "comment-id", "voter-id", "vote"]
comment_rows = st.lists(
    st.tuples(numbers, numbers, numbers, st.sampled_from(["-1", "0", "1", "2", ""]), hostile_text),
    max_size=8,
)
vote_rows = st.lists(st.tuples(numbers, numbers, numbers, numbers), max_size=25)


@st.composite
def polis_folders(draw):
    """File contents of an export folder: mostly well-formed, with hostile cells and files."""
    comments = [
        ["1500000000000", "", cid, author, "0", "0", moderated, body]
        for cid, author, _unused, moderated, body in draw(comment_rows)
    ]
    files = {
        "comments.csv": _csv([[*COMMENT_COLUMNS, "moderated", "comment-body"], *comments]),
        "votes.csv": _csv(
            [VOTE_COLUMNS]
            + [[ms, "", cid, voter, vote] for ms, cid, voter, vote in draw(vote_rows)]
        ),
        "summary.csv": _csv([["topic", draw(hostile_text)]]),
    }
    # Now and then a file is missing, truncated or not text at all.
    for name in draw(st.lists(st.sampled_from(sorted(files)), max_size=2, unique=True)):
        files[name] = draw(st.sampled_from([None, files[name][:7], b"\xff\xfe\x00garbage"]))
    return {name: content for name, content in files.items() if content is not None}


# Found by this test on PostgreSQL: comment-ids "1" and "1.0" are one comment to the reader, but
# the importer's own repeat check skipped "1.0", so two statements broke a unique constraint (a
# server error) instead of a refusal naming the line. The reader alone checks repeats now.
TWICE = [
    [*COMMENT_COLUMNS, "moderated", "comment-body"],
    ["1", "", "1", "1", "0", "0", "-1", ""],
    ["1", "", "1.0", "1", "0", "0", "-1", ""],
]


@SETTINGS
@given(files=polis_folders())
@example(files={"comments.csv": _csv(TWICE), "votes.csv": _csv([VOTE_COLUMNS])})
def test_polis_import_is_complete_or_refused_with_a_message(context, files):
    before = _counts()
    with tempfile.TemporaryDirectory() as folder:
        for name, content in files.items():
            (Path(folder) / name).write_bytes(content)
        try:
            conversation = import_polis_export(directory=folder, context=context)
        except PolisFileError as error:
            assert str(error).strip() and error.problem.strip()
            assert _counts() == before
            return
    assert conversation.state == Conversation.State.CLOSED
    votes = Vote.objects.filter(conversation=conversation)
    assert votes.count() <= VoteEvent.objects.filter(conversation=conversation).count()
    assert _counts()[0] == before[0] + 1
