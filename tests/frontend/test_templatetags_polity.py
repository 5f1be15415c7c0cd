"""Dates are written one way per locale, through the `when` and `day` filters."""

import datetime
import re
from pathlib import Path

from django.utils import translation

from constitutions.models import Part
from frontend.templatetags.polity import day, part_label, when

TEMPLATES = Path(__file__).resolve().parents[2] / "frontend" / "templates"
# `|date:'c'` is the machine-readable datetime attribute of <time>; any other `|date:` would be
# a second human format beside the locale's.
OTHER_DATE_FILTER = re.compile(r"\|date:(?!['\"]c['\"])")


def test_when_and_day_use_the_locales_date_formats():
    moment = datetime.datetime(2026, 12, 4, 13, 53, tzinfo=datetime.UTC)
    with translation.override("en"):
        assert when(moment) == "Dec. 4, 2026, 1:53 p.m."
        assert day(moment) == "Dec. 4, 2026"
        assert day(datetime.date(2026, 12, 4)) == "Dec. 4, 2026"
    assert when(None) == "" and day(None) == ""


def test_templates_write_dates_only_through_when_and_day():
    offending = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in TEMPLATES.rglob("*.html")
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if OTHER_DATE_FILTER.search(line)
    ]
    assert offending == []


def test_part_label_names_document_parts_as_the_draft_does():
    assert part_label("consensus_principles") == Part.CONSENSUS.label
    assert part_label("contested_statements") == Part.CONTESTED.label
