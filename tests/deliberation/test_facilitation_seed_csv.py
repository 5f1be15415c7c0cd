import pytest

from deliberation.errors import InvalidUpload
from deliberation.models import ModerationAction, Statement
from deliberation.services.seeding import SEED_CSV_MAX_ROWS, import_seed_csv
from tests.factories import make_statement


def _import(conversation, actor, data: bytes):
    return import_seed_csv(conversation=conversation, actor=actor, data=data)


def _problems(conversation, actor, data: bytes) -> dict[int, str]:
    with pytest.raises(InvalidUpload) as raised:
        _import(conversation, actor, data)
    return dict(raised.value.problems)


def test_import_seed_csv_seeds_every_row_with_its_meta_flag(conversation, facilitator):
    data = b"text,is_meta\nCite sources.,no\nI use the library weekly.,yes\n"
    seeded = _import(conversation, facilitator, data)
    assert [(s.text, s.is_meta, s.state, s.is_seed) for s in seeded] == [
        ("Cite sources.", False, "accepted", True),
        ("I use the library weekly.", True, "accepted", True),
    ]
    assert ModerationAction.objects.filter(action="seed").count() == 2


def test_import_seed_csv_accepts_a_byte_order_mark_and_header_spacing(conversation, facilitator):
    seeded = _import(conversation, facilitator, "\ufeff Text \nCite sources.\n".encode())
    assert [s.text for s in seeded] == ["Cite sources."]


def test_import_seed_csv_reports_every_bad_row_by_line_and_writes_nothing(
    conversation, facilitator
):
    make_statement(conversation, "Already here.")
    rows = [
        "text,is_meta",
        "Fine statement one.,no",  # 2: fine
        ",no",  # 3: empty text
        "x" * 401 + ",no",  # 4: too long
        "already here,no",  # 5: duplicate of an existing statement
        "Fine statement one!,no",  # 6: repeats line 2 once folded
        "Another fine one.,maybe",  # 7: bad is_meta
        "bad \x00 byte,no",  # 8: NUL
        "Third fine one.,no,extra",  # 9: too many cells
    ]
    problems = _problems(conversation, facilitator, "\n".join(rows).encode())
    assert sorted(problems) == [3, 4, 5, 6, 7, 8, 9]
    assert "empty" in problems[3]
    assert "401" in problems[4]
    assert "already" in problems[5]
    assert "line 2" in problems[6]
    assert "maybe" in problems[7]
    assert "control character" in problems[8]
    assert "more cells" in problems[9]
    assert list(conversation.statements.values_list("text", flat=True)) == ["Already here."]
    assert not ModerationAction.objects.exists()


def test_import_seed_csv_reports_near_duplicates_by_line(conversation, facilitator):
    make_statement(conversation, "The assistant should always cite its sources.")
    data = (
        b"text\n"
        b"The assistant should always cite its source.\n"
        b"The assistant must explain why it refuses a request.\n"
        b"The assistant must explain why it refuses a request!!\n"
        b"The assistant must explain why it refuses requests.\n"
    )
    problems = _problems(conversation, facilitator, data)
    assert sorted(problems) == [2, 4, 5]
    assert "line 3" in problems[4]
    assert "line 3" in problems[5]
    assert conversation.statements.count() == 1


def test_import_seed_csv_counts_rejected_statements_as_existing(conversation, facilitator):
    make_statement(conversation, "Refused before.", state=Statement.State.REJECTED)
    assert 2 in _problems(conversation, facilitator, b"text\nrefused before\n")


def test_import_seed_csv_refuses_a_file_that_is_not_utf8(conversation, facilitator):
    problems = _problems(conversation, facilitator, "text\nCafé\n".encode("latin-1"))
    assert "UTF-8" in problems[0]
    assert not conversation.statements.exists()


def test_import_seed_csv_refuses_a_missing_text_header(conversation, facilitator):
    problems = _problems(conversation, facilitator, b"statement,is_meta\nCite sources.,no\n")
    assert "header" in problems[1]
    assert not conversation.statements.exists()


def test_import_seed_csv_refuses_an_empty_file(conversation, facilitator):
    assert 1 in _problems(conversation, facilitator, b"")
    assert 0 in _problems(conversation, facilitator, b"text\n")


def test_import_seed_csv_refuses_more_rows_than_the_limit(conversation, facilitator):
    lines = "\n".join(f"Statement {i} about topic {i * 7919}" for i in range(SEED_CSV_MAX_ROWS + 1))
    problems = _problems(conversation, facilitator, f"text\n{lines}\n".encode())
    assert problems[SEED_CSV_MAX_ROWS + 2].startswith("A file may hold at most")
    assert not conversation.statements.exists()
