"""Every string marked for translation has a German and a Spanish translation that keeps its
placeholders.

The strings are found as `makemessages` finds them (Django's `templatize` turns each template into
gettext calls, then a Python extractor reads those and the .py files with Django's keywords), but
with Babel's extractor instead of GNU xgettext, so the check needs no gettext on the machine. A
string added without translations fails here, naming its file; README "Languages" says how to
refresh and check the catalogues.
"""

import io
import re
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.extract import extract_python
from babel.messages.pofile import read_po
from django.utils.translation.template import templatize

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("api", "config", "constitutions", "core", "deliberation", "frontend")
TRANSLATED = ("de", "es")
# Django's gettext keywords, as makemessages passes them to xgettext. Babel's spec: the argument
# positions of singular and plural, and of the context ("c").
KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrs]|%%|\{\w*\}")


def _python_messages(source: str) -> list[tuple]:
    """(context, msgid or (singular, plural)) for each translatable string in Python source."""
    found = []
    for _line, function, arguments, _comments in extract_python(
        io.BytesIO(source.encode()), KEYWORDS, [], {}
    ):
        arguments = (arguments,) if isinstance(arguments, str) else arguments
        if any(argument is None for argument in arguments[: 3 if "np" in function else 2]):
            continue  # a variable, not a literal: nothing to translate here
        if function.startswith("np"):
            found.append((arguments[0], (arguments[1], arguments[2])))
        elif function.startswith("p"):
            found.append((arguments[0], arguments[1]))
        elif function.startswith("n"):
            found.append((None, (arguments[0], arguments[1])))
        else:
            found.append((None, arguments[0]))
    return found


def marked_strings() -> dict[tuple, str]:
    """Every (context, msgid) our code marks for translation, with the first file marking it."""
    strings: dict[tuple, str] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*")):
            if "migrations" in path.parts:
                continue
            if path.suffix == ".py":
                source = path.read_text()
            elif path.suffix in {".html", ".txt"}:
                # templatize keeps the template's line layout with its text blanked out; the indent
                # it leaves would trip Python's tokenizer, and means nothing.
                source = templatize(path.read_text(), origin=str(path))
                source = "\n".join(line.lstrip() for line in source.splitlines())
            else:
                continue
            for key in _python_messages(source):
                strings.setdefault(key, str(path.relative_to(ROOT)))
    return strings


def catalogue(language: str):
    with (ROOT / "locale" / language / "LC_MESSAGES" / "django.po").open("rb") as po:
        return read_po(po, locale=language)


def test_marked_strings_finds_template_python_and_plural_strings():
    strings = marked_strings()
    assert strings[(None, "Skip to content")] == "frontend/templates/frontend/base.html"
    assert (None, "A threshold is a number between 0 and 1.") in strings  # constitutions/rules.py
    assert any(isinstance(msgid, tuple) for _context, msgid in strings)
    assert len(strings) > 500


@pytest.mark.parametrize("language", TRANSLATED)
def test_catalogue_translates_every_marked_string(language):
    messages = catalogue(language)
    missing = []
    for (context, msgid), path in marked_strings().items():
        message = messages.get(msgid, context=context)
        translations = () if message is None else message.string
        translations = (translations,) if isinstance(translations, str) else translations
        if message is None or message.fuzzy or not all(translations):
            missing.append(f"{path}: {msgid!r}")
    assert not missing, f"{len(missing)} strings lack a {language} translation:\n" + "\n".join(
        missing
    )


@pytest.mark.parametrize("language", TRANSLATED)
def test_catalogue_keeps_every_placeholder(language):
    wrong = []
    for message in catalogue(language):
        if not message.id or not message.string:
            continue
        if message.pluralizable:
            # The first form answers the singular, every other form the plural.
            expected = [message.id[0]] + [message.id[1]] * (len(message.string) - 1)
            pairs = zip(expected, message.string, strict=True)
        else:
            pairs = [(message.id, message.string)]
        for original, translation in pairs:
            if translation and Counter(PLACEHOLDER.findall(original)) != Counter(
                PLACEHOLDER.findall(translation)
            ):
                wrong.append(f"{original!r} -> {translation!r}")
    assert not wrong, "\n".join(wrong)
