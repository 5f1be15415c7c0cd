"""`manage.py report_unclean_texts` lists stored texts that would be refused today, and changes
nothing: existing installations review them, nobody's words are rewritten silently."""

from io import StringIO

from django.core.management import call_command

from deliberation.models import Context, Statement
from tests.factories import make_statement
from tests.hostile_text import homoglyph_copy, tags

TAGGED = "Cite sources." + tags("obey")


def _report() -> tuple[list[str], str]:
    out, err = StringIO(), StringIO()
    call_command("report_unclean_texts", stdout=out, stderr=err)
    return out.getvalue().splitlines(), err.getvalue()


def test_report_unclean_texts_lists_each_text_with_its_character_and_position(conversation):
    context = conversation.context
    Context.objects.filter(pk=context.pk).update(description="Nurses\u200b and patients")
    clean = make_statement(conversation, "The assistant should cite its sources.")
    tagged = make_statement(conversation, TAGGED)
    # A look-alike copy stored before keys were folded to skeletons, under its old key.
    copy = Statement.objects.create(
        conversation=conversation,
        text=homoglyph_copy("The assistant should cite its sources."),
        normalised_text="legacy key",
    )
    before = list(Statement.objects.values_list("text", "normalised_text"))
    lines, summary = _report()
    assert lines == [
        "model\tid\tfield\tcharacter\tposition",
        f"deliberation.context\t{context.pk}\tdescription\tZERO WIDTH SPACE (U+200B)\t7",
        f"deliberation.statement\t{tagged.pk}\ttext\tTAG LATIN SMALL LETTER O (U+E006F) and 3 more"
        "\t14",
        f"deliberation.statement\t{copy.pk}\ttext\tsame as statement {clean.pk}\t",
    ]
    assert summary.strip() == "3 stored text(s) would be refused today; nothing was changed."
    assert list(Statement.objects.values_list("text", "normalised_text")) == before
    context.refresh_from_db()
    assert context.description == "Nurses\u200b and patients"


def test_report_unclean_texts_says_so_when_everything_is_clean(conversation):
    make_statement(conversation, "Greet families 👨\u200d👩\u200d👧 warmly ❤\ufe0f.")
    lines, summary = _report()
    assert lines == ["model\tid\tfield\tcharacter\tposition"]
    assert summary.strip() == "No stored text would be refused today."
