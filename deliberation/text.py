"""Cleaning and comparing user-written text (statements, names, descriptions).

Statements are user content shown to thousands of people: refuse what cannot be displayed
honestly (control characters, bidirectional overrides that reorder what a reader sees, NUL bytes)
and fold what should not make two statements different (Unicode form, case, punctuation, spacing).
"""

import re
import unicodedata
from difflib import SequenceMatcher

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Bidirectional embeddings, overrides and isolates: "Trojan Source" (Boucher & Anderson, 2021).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")
_PUNCTUATION_OR_SPACE = re.compile(r"[\W_]+", re.UNICODE)
NEAR_DUPLICATE_RATIO = 0.9


def clean_text(raw: object, *, max_length: int, field: str, multiline: bool = False) -> str:
    """Return `raw` NFC-normalised and trimmed, or raise ValidationError saying what is wrong."""
    if not isinstance(raw, str):
        raise ValidationError(_("%(field)s must be text.") % {"field": field})
    text = unicodedata.normalize("NFC", raw).strip()
    if not text:
        raise ValidationError(_("%(field)s is empty.") % {"field": field})
    for char in text:
        if char == "\ufffd":
            # What a request decoder leaves of bytes that were not valid UTF-8.
            raise ValidationError(_("%(field)s is not valid UTF-8 text.") % {"field": field})
        if char in BIDI_CONTROLS:
            raise ValidationError(
                _("%(field)s contains a text-direction control character.") % {"field": field}
            )
        # Line breaks and tabs are fine: one-line fields fold them into spaces below.
        if unicodedata.category(char) in {"Cc", "Cs", "Co"} and char not in "\n\r\t":
            raise ValidationError(
                _("%(field)s contains a control character (U+%(code)04X).")
                % {"field": field, "code": ord(char)}
            )
    if not multiline:
        text = " ".join(text.split())
    if len(text) > max_length:
        raise ValidationError(
            _("%(field)s is %(length)d characters long; the limit is %(limit)d.")
            % {"field": field, "length": len(text), "limit": max_length}
        )
    return text


def normalise_for_comparison(text: str) -> str:
    """Fold case, compatibility forms, punctuation and spacing: what a duplicate check compares."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_PUNCTUATION_OR_SPACE.sub(" ", folded).split())


def similarity(a: str, b: str) -> float:
    """Similarity in [0, 1] of two normalised texts (Ratcliff/Obershelp, as difflib computes it)."""
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def is_near_duplicate(a_normalised: str, b_normalised: str) -> bool:
    # difflib's upper bounds are cheap and rule out almost every pair before the full ratio.
    matcher = SequenceMatcher(None, a_normalised, b_normalised, autojunk=False)
    return (
        matcher.real_quick_ratio() >= NEAR_DUPLICATE_RATIO
        and matcher.quick_ratio() >= NEAR_DUPLICATE_RATIO
        and matcher.ratio() >= NEAR_DUPLICATE_RATIO
    )
