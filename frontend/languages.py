"""Which language a page speaks.

Django's LocaleMiddleware chooses first: the visitor's own choice (the switcher's cookie), else the
first language of their browser's Accept-Language that Polity has, else English. On a
conversation's pages and a context's public constitution one rule narrows that choice:

    a visitor who has not chosen gets the first language in their Accept-Language (by weight)
    that the context also lists; if it lists none of them, LocaleMiddleware's choice stands.

So a browser asking for "de, es" on a context held in English and Spanish gets Spanish, the
language its statements are written in, while a German-only browser still gets German: a context
never imposes a language the visitor did not ask for, and the switcher always wins.
"""

import functools
import re

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

from deliberation.models import Context

# Contexts record their languages as free text ("English, Spanish", "de, es", "Deutsch und
# English"): names and codes are split on commas, semicolons, slashes and the word "and".
_SEPARATORS = re.compile(r"[,;/]|\s(?:and|und|y)\s", re.IGNORECASE)


def _supported(code: str) -> str | None:
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def context_language_codes(text: str) -> list[str]:
    """Polity's languages that a context's `languages` text names, in its order, once each."""
    by_name = {}
    for code, _name in settings.LANGUAGES:
        info = LANG_INFO[code]
        by_name[info["name"].lower()] = code
        by_name[info["name_local"].lower()] = code
    codes: list[str] = []
    for word in _SEPARATORS.split(text):
        word = word.strip().lower()
        code = by_name.get(word) or (_supported(word) if word else None)
        if code and code not in codes:
            codes.append(code)
    return codes


def browser_language_codes(request) -> list[str]:
    """Polity's languages in the order the request's Accept-Language prefers them."""
    codes: list[str] = []
    for tag, _weight in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        code = _supported(tag) if tag != "*" else None
        if code and code not in codes:
            codes.append(code)
    return codes


def _context_languages_text(kwargs: dict) -> str:
    contexts = Context.objects.all()
    if "public_id" in kwargs:
        contexts = contexts.filter(conversations__public_id=kwargs["public_id"])
    elif "slug" in kwargs:
        contexts = contexts.filter(slug=kwargs["slug"])
    else:
        return ""
    return contexts.values_list("languages", flat=True).first() or ""


def language_for_context_page(request, kwargs: dict) -> str | None:
    """The language the rule above picks over LocaleMiddleware's, or None to keep Django's."""
    # LocaleMiddleware honours any cookie naming a language Polity has (or a variant of one).
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen and _supported(chosen):
        return None
    wanted = browser_language_codes(request)
    # With one accepted language or none, Django's choice is the only candidate: no query needed.
    if len(wanted) < 2:
        return None
    listed = context_language_codes(_context_languages_text(kwargs))
    return next((code for code in wanted if code in listed), None)


def in_context_language(view):
    """Serve `view` (a route with `public_id` or `slug`) in the language chosen above."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        language = language_for_context_page(request, kwargs)
        if language and language != translation.get_language():
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return view(request, *args, **kwargs)

    return wrapper
