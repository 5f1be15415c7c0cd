"""The language a page speaks: the browser's, narrowed to the context's on its pages, and the
switcher's choice above both (frontend/languages.py)."""

from http import HTTPStatus

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from frontend.languages import browser_language_codes, context_language_codes


def _page(client, path, accept_language):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE=accept_language)
    assert response.status_code == HTTPStatus.OK
    return response


def _speaks(response, language):
    assert response.headers["Content-Language"] == language
    assert f'<html lang="{language}"' in response.content.decode()


def test_context_language_codes_reads_english_and_local_names_and_codes():
    assert context_language_codes("English, Spanish") == ["en", "es"]
    assert context_language_codes("de-CH / español and Klingon; Deutsch") == ["de", "es"]
    assert context_language_codes("Español y Deutsch") == ["es", "de"]
    assert context_language_codes("") == []


def test_browser_language_codes_follow_the_weights_and_drop_unknown_languages(rf):
    request = rf.get("/", HTTP_ACCEPT_LANGUAGE="fr;q=1, es;q=0.5, de-AT;q=0.8, *;q=0.1")
    assert browser_language_codes(request) == ["de", "es"]


@pytest.mark.parametrize(
    ("accept_language", "vote_buttons"),
    [
        ("de-DE,de;q=0.9", ["Zustimmen", "Ablehnen", "Überspringen / unsicher"]),
        ("es-ES,es;q=0.9", ["De acuerdo", "En desacuerdo", "Paso / no estoy seguro"]),
        ("fr-FR", ["Agree", "Disagree", "Pass / unsure"]),
    ],
)
def test_participant_page_speaks_the_browsers_language(
    client, conversation, statements, accept_language, vote_buttons
):
    response = _page(client, conversation.get_absolute_url(), accept_language)
    html = response.content.decode()
    assert all(f">{label}<" in html or f"{label}</" in html for label in vote_buttons), html


def test_conversation_page_prefers_the_browsers_language_that_the_context_lists(
    client, context, conversation
):
    context.languages = "English, Spanish"
    context.save()
    # German first, but the statements are in English and Spanish: Spanish is the better match.
    _speaks(_page(client, conversation.get_absolute_url(), "de, es;q=0.8"), "es")
    _speaks(
        _page(client, reverse("frontend:results", args=[conversation.public_id]), "de, es;q=0.8"),
        "es",
    )
    _speaks(
        _page(client, reverse("frontend:constitution", args=[context.slug]), "de, es;q=0.8"), "es"
    )
    # Pages of no context keep the browser's first choice.
    _speaks(_page(client, reverse("frontend:home"), "de, es;q=0.8"), "de")


def test_conversation_page_keeps_the_browsers_language_when_the_context_lists_none_of_them(
    client, context, conversation
):
    context.languages = "English"
    context.save()
    _speaks(_page(client, conversation.get_absolute_url(), "de, es;q=0.8"), "de")
    _speaks(_page(client, conversation.get_absolute_url(), "es"), "es")


def test_switcher_choice_wins_over_browser_and_context(context, conversation):
    context.languages = "Spanish"
    context.save()
    client = Client(enforce_csrf_checks=True)
    page = conversation.get_absolute_url()
    client.get(page)  # sets the CSRF cookie, as the footer's form needs
    response = client.post(
        reverse("set_language"),
        {"language": "de", "next": page, "csrfmiddlewaretoken": client.cookies["csrftoken"].value},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert response.headers["Location"] == page
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "de"
    _speaks(_page(client, page, "es, de;q=0.5"), "de")


def test_switcher_refuses_a_post_without_csrf_token(conversation):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("set_language"), {"language": "de", "next": "/"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert settings.LANGUAGE_COOKIE_NAME not in client.cookies


def test_switcher_is_a_plain_form_on_every_page(client, conversation):
    for path in (
        reverse("frontend:home"),
        conversation.get_absolute_url(),
        reverse("frontend:login"),
    ):
        html = _page(client, path, "es").content.decode()
        assert f'action="{reverse("set_language")}"' in html
        assert 'name="csrfmiddlewaretoken"' in html
        for code, name in settings.LANGUAGES:
            assert f'<option value="{code}" lang="{code}"' in html
            assert name in html
        assert '<option value="es" lang="es" selected>' in html


def test_context_rule_reads_the_context_only_when_the_browser_accepts_two_languages(
    client, context, conversation
):
    context.languages = "English, Spanish"
    context.save()
    counts = {}
    for accept_language in ("de", "de, es;q=0.8"):
        _page(client, conversation.get_absolute_url(), accept_language)  # warm the session
        with CaptureQueriesContext(connection) as queries:
            _page(client, conversation.get_absolute_url(), accept_language)
        counts[accept_language] = len(queries)
    assert counts["de, es;q=0.8"] == counts["de"] + 1
