import pytest
from django.core.exceptions import ValidationError

from core.text import clean_text, is_near_duplicate, normalise_for_comparison


def test_clean_text_folds_line_breaks_of_a_pasted_statement_into_spaces():
    assert clean_text("The assistant should\r\n  cite its sources.", max_length=400, field="S") == (
        "The assistant should cite its sources."
    )


def test_clean_text_keeps_line_breaks_in_multiline_fields():
    assert clean_text("one\ntwo", max_length=400, field="S", multiline=True) == "one\ntwo"


@pytest.mark.parametrize(
    "raw",
    ["", "   ", "a\x00b", "a\x07b", "abc\u202eevil", "bad \ufffd bytes", "x" * 401, None, 12],
)
def test_clean_text_refuses_what_cannot_be_shown_honestly(raw):
    with pytest.raises(ValidationError):
        clean_text(raw, max_length=400, field="Statement")


def test_near_duplicates_ignore_case_punctuation_and_small_edits():
    a = normalise_for_comparison("The assistant should say when it is unsure.")
    assert is_near_duplicate(
        a, normalise_for_comparison("the assistant should say when its unsure!!")
    )
    assert not is_near_duplicate(a, normalise_for_comparison("The assistant should never guess."))
