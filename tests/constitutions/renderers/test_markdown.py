"""markdown against a CommonMark renderer (markdown-it-py's `commonmark` preset)."""

import re

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from constitutions.renderers import common, markdown
from constitutions.renderers.common import group_name
from frontend.presenters import groups as results

SECTIONS = ("consensus_principles", "group_principles", "contested_statements")


def _lists(body: str) -> list[SyntaxTreeNode]:
    tree = SyntaxTreeNode(MarkdownIt("commonmark").parse(body))
    return [node for node in tree.children if node.type == "ordered_list"]


def test_markdown_gives_one_list_item_per_principle_with_its_details_inside(document):
    body = markdown.render(document)
    lists = iter(_lists(body))
    for key in SECTIONS:
        if not document[key]:
            continue
        items = next(lists).children
        assert len(items) == len(document[key])
        for item, principle in zip(items, document[key], strict=True):
            assert [child.type for child in item.children] == ["paragraph", "bullet_list"]
            inline = item.children[0].children[0]
            strong = [node for node in inline.children if node.type == "strong"]
            assert [node.children[0].content for node in strong] == [principle["text"]]
            details = item.children[1].children
            assert len(details) >= len(principle["sources"])


def test_markdown_writes_ordinary_text_without_escapes(document):
    body = markdown.render(document)
    for key in SECTIONS:
        for principle in document[key]:
            assert f"**{principle['text']}**" in body  # full stops, hyphens and commas as is
    html = MarkdownIt("commonmark").render(body)
    assert "\\" not in html


def test_markdown_names_groups_with_the_results_pages_letters(document):
    body = markdown.render(document)
    assert "Group A" in body and not re.search(r"[Gg]roup \d", body)
    for principle in document["group_principles"]:
        assert f"Supported by {group_name(principle['group'])}" in body


def test_group_names_are_the_results_pages_in_every_format():
    assert [common.group_name(i) for i in range(12)] == [results.group_name(i) for i in range(12)]


def test_markdown_escape_keeps_user_text_from_becoming_markup():
    text = "[click](javascript:alert(1)) <b>bold</b> *x* `code` &amp;"
    html = MarkdownIt("commonmark").render(f"1. **{markdown.escape(text)}**")
    assert "<a" not in html and "<b>" not in html and "<em>" not in html and "<code>" not in html
    assert "[click](javascript:alert(1)) &lt;b&gt;bold&lt;/b&gt; *x* `code` &amp;amp;" in html


def test_markdown_changelog_cannot_start_a_heading_or_list():
    html = MarkdownIt("commonmark").render(markdown._paragraph("1. first # - not a list"))
    assert html == "<p>1. first # - not a list</p>\n"
