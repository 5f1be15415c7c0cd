"""A German and a Spanish browser walk the demo: voting, writing, their votes and data, the
results, the public constitution and every facilitation page. No English from our catalogue may
show, and dates use the visitor's locale.

"English from our catalogue" is every msgid whose translation differs from it: an element whose
own text is exactly one, or a run of three or more words of one anywhere in the visible text or in
labels that are read out (placeholder, aria-label, title). The demo's statements and context are
English, as written; they are user content, removed from the text before it is searched.
"""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.urls import reverse

from config.demo import load_demo
from constitutions.models import ConstitutionVersion
from constitutions.renderers.canonical import stored_document
from deliberation.models import Context, Statement
from deliberation.process_models import Channel, Choice, ProcessRecord, Question
from tests.browser.test_every_page import demo_pages
from tests.constitutions.conftest import thaw_after  # noqa: F401 - published versions' cleanup

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOCALE = Path(__file__).resolve().parents[2] / "locale"
PLACEHOLDER_OR_TAG = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]|%%|\{\w*\}|<[^>]+>|&\w+;")
ENGLISH_DATES = re.compile(
    r"\b(January|February|March|April|June|July|August|September|October|November|December"
    r"|Jan\.|Feb\.|Aug\.|Sept\.|Oct\.|Nov\.|Dec\.)|\d [ap]\.m\."
)
# Whole labels that read the same in the other language (a name, a technical term).
SAME_IN_BOTH = {"Polity"}

OWN_TEXTS = """() => [...document.body.querySelectorAll('*')]
  .filter(element => element.checkVisibility())
  .map(element => [...element.childNodes].filter(node => node.nodeType === Node.TEXT_NODE)
    .map(node => node.textContent).join(' ').replace(/\\s+/g, ' ').trim())
  .filter(text => text)"""
READ_OUT = """() => [...document.body.querySelectorAll('[placeholder], [aria-label], [title]')]
  .flatMap(element => ['placeholder', 'aria-label', 'title']
    .map(name => element.getAttribute(name)).filter(value => value))"""


def english_of_catalogue(language: str) -> tuple[set[str], set[str]]:
    """(whole English strings, runs of three or more English words) translated for `language`."""
    with (LOCALE / language / "LC_MESSAGES" / "django.po").open("rb") as po:
        catalogue = read_po(po, locale=language)
    whole, runs, translated = set(), set(), set()
    for message in catalogue:
        if not message.id:
            continue
        originals = message.id if message.pluralizable else (message.id,)
        translations = message.string if message.pluralizable else (message.string,)
        translated.update(" ".join(text.split()) for text in translations)
        for original in originals:
            if original in translations:
                continue
            text = " ".join(original.replace("%%", "%").split())
            if text not in SAME_IN_BOTH:
                whole.add(text)
            for part in PLACEHOLDER_OR_TAG.split(original):
                part = " ".join(part.split()).strip(" .,:;()“”\"'")
                if len(part.split()) >= 3:
                    runs.add(part)
    # A label that is also a translation is not English here (German "Moderation" translates
    # "Facilitation", though English has a "Moderation" too).
    return whole - translated, runs


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def user_content() -> list[str]:
    texts = list(Statement.objects.values_list("text", flat=True))
    for context in Context.objects.all():
        texts += [str(getattr(context, field)) for field in Context.DESCRIPTION_FIELDS]
        for conversation in context.conversations.all():
            texts += [conversation.topic, conversation.description]
    # What facilitators wrote about the process, and the published documents (frozen, in the
    # language they were published in) are content too, not our templates' strings.
    for record in ProcessRecord.objects.all():
        texts += [record.eligibility, record.sampling_frame]
    texts += [t for c in Channel.objects.all() for t in (c.name, c.description)]
    texts += [t for q in Question.objects.all() for t in (q.text, q.target_source)]
    texts += list(Choice.objects.values_list("label", flat=True))
    for version in ConstitutionVersion.objects.exclude(published_at=None):
        texts += list(_strings(stored_document(version)))
    # Longest first, so a text is removed before any shorter text inside it.
    return sorted((" ".join(text.split()) for text in texts if text.strip()), key=len, reverse=True)


def english_on(page, whole, runs, written) -> list[str]:
    own_texts = page.evaluate(OWN_TEXTS)
    visible = " ".join([page.inner_text("body"), *page.evaluate(READ_OUT)])
    visible = " ".join(visible.split())
    for text in written:
        visible = visible.replace(text, " ")
    found = [f"label {text!r}" for text in own_texts if text in whole and text not in written]
    found += [f"words {run!r}" for run in runs if run in visible]
    found += [f"date {match.group(0)!r}" for match in ENGLISH_DATES.finditer(visible)]
    return found


@pytest.mark.parametrize(("locale", "language"), [("de-DE", "de"), ("es-ES", "es")])
def test_german_and_spanish_browsers_see_no_english_from_our_templates(
    open_page,
    thaw_after,  # noqa: F811
    locale,
    language,
):
    demo = load_demo()
    whole, runs = english_of_catalogue(language)
    written = user_content()
    page = open_page(locale=locale)
    problems = []

    def check(path):
        problems.extend(f"{path}: {problem}" for problem in english_on(page, whole, runs, written))
        lang = page.get_attribute("html", "lang")
        if lang != language:
            problems.append(f"{path}: <html lang={lang!r}>")

    # The participant: votes once by button, writes a statement, reads the pages that follow.
    conversation = demo.conversation.get_absolute_url()
    page.goto(conversation)
    check(conversation)
    # The demo screens people before their first vote (issue 13); its answers are demo content.
    screening = reverse("frontend:screening", args=[demo.conversation.public_id])
    page.goto(screening)
    check(screening)
    for question in page.locator("main fieldset").all():
        question.get_by_label("Yes").check()
    with page.expect_navigation():
        page.locator("xpath=//main//fieldset/ancestor::form//button[@type='submit']").first.click()
    page.locator('#voting button[data-vote-key="a"]').click()
    page.locator("#voting-progress[value='1']").wait_for()
    check(conversation + " after a vote")
    write = reverse("frontend:write", args=[demo.conversation.public_id])
    page.goto(write)
    page.locator("textarea").fill("Der Assistent sollte Quellen nennen, wenn er Fakten angibt.")
    with page.expect_navigation():
        page.locator("xpath=//textarea/ancestor::form//button[@type='submit']").click()
    check(write + " after writing")

    # The facilitator signs in with the same browser, so facilitation pages are reachable too.
    login = reverse("frontend:login")
    page.goto(login)
    check(login)
    page.locator("#id_username").fill(demo.facilitator_username)
    page.locator("#id_password").fill(demo.facilitator_password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: not url.endswith(login))

    for path in demo_pages(demo):
        response = page.goto(path)
        assert response.status == 200, path
        check(path)
    assert not problems, "\n".join(problems)
