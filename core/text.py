"""Cleaning and comparing the text people write into Polity (statements, principles, requests,
context and conversation texts, reasons, names).

A statement that wins consensus reaches every export and, from there, a model's training data, so
what a reader sees must be all there is. `clean_text` refuses the characters that show nothing or
change how the rest shows: Unicode tag characters (which can carry a hidden instruction), zero-width
and joiner characters, text-direction controls ("Trojan Source", Boucher & Anderson 2021), line and
paragraph separators, variation selectors and private-use characters, each except where writing
needs it (an emoji sequence, a Persian or Indic joiner). `normalise_for_comparison` folds what
should not make two statements different, down to look-alike letters (Unicode TS #39 skeletons).
"""

import unicodedata
from difflib import SequenceMatcher

import disarm
import regex
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

NEAR_DUPLICATE_RATIO = 0.9
_PUNCTUATION_OR_SPACE = regex.compile(r"[\W_]+")

# Everything that may be refused: controls (but tab and line breaks), format characters but the
# visible Arabic number signs, surrogates, private use, the line/paragraph separators, whatever
# Unicode says to render as nothing (zero-width, fillers, variation selectors, tags), noncharacters,
# and U+FFFD, which a request decoder leaves of bytes that were not UTF-8.
_SUSPECT = regex.compile(
    r"[[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}"
    r"\p{Noncharacter_Code_Point}\uFFFD]--[\t\n\r\p{Prepended_Concatenation_Mark}]]",
    regex.V1,
)
# Of those, what writing needs, matched at the character's own position.
_NEEDED_HERE = regex.compile(
    r"""
    # A ZWJ joining two pictographs: an emoji ZWJ sequence (UTS #51; UAX #29 rule GB11).
    (?<=\p{Extended_Pictographic}\p{Grapheme_Cluster_Break=Extend}*)\u200D(?=\p{Extended_Pictographic})
    # ZWJ and ZWNJ after a virama, as Indic scripts write (RFC 5892, CONTEXTJ rules A.1, A.2).
    | (?<=\p{Canonical_Combining_Class=Virama})[\u200C\u200D]
    # ZWNJ between joining letters, as Persian writes (RFC 5892, rule A.1).
    | (?<=[\p{Joining_Type=Dual_Joining}\p{Joining_Type=Left_Joining}]\p{Joining_Type=Transparent}*)
      \u200C
      (?=\p{Joining_Type=Transparent}*[\p{Joining_Type=Dual_Joining}\p{Joining_Type=Right_Joining}])
    # Text or emoji presentation of an emoji character (UTS #51, emoji-variation-sequences.txt).
    | (?<=\p{Emoji})[\uFE0E\uFE0F]
    """,
    regex.V1 | regex.VERBOSE,
)
# The only tag sequences Unicode recommends (emoji-sequences.txt, RGI_Emoji_Tag_Sequence): the
# flags of England, Scotland and Wales. Any other run of tags is text no reader sees.
_FLAG_TAGS = regex.compile(
    "\U0001f3f4(\U000e0067\U000e0062(?:\U000e0065\U000e006e\U000e0067|\U000e0073\U000e0063\U000e0074"
    "|\U000e0077\U000e006c\U000e0073)\U000e007f)"
)
_BIDI_CONTROL = regex.compile(r"\p{Bidi_Control}")
_VARIATION_SELECTOR = regex.compile(r"\p{Variation_Selector}")
_NONCHARACTER = regex.compile(r"\p{Noncharacter_Code_Point}")
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")
_SNIPPET_LENGTH = 20


def unclean_characters(text: str) -> list[tuple[int, str]]:
    """(index, character) of each character `clean_text` refuses in `text`, in order."""
    in_flags = {i for match in _FLAG_TAGS.finditer(text) for i in range(*match.span(1))}
    return [
        (match.start(), match.group())
        for match in _SUSPECT.finditer(text)
        if match.start() not in in_flags and not _NEEDED_HERE.match(text, match.start())
    ]


def _kind(char: str) -> str:
    """What the character is, in words a person writing a statement understands."""
    code = ord(char)
    category = unicodedata.category(char)
    if 0xE0000 <= code <= 0xE007F:
        return _("an invisible tag character, which can hide text from readers")
    if _BIDI_CONTROL.match(char):
        return _("a text-direction control, which can make text show in another order")
    if _VARIATION_SELECTOR.match(char):
        return _("a variation selector outside an emoji")
    if category in {"Zl", "Zp"}:
        return _("a line or paragraph separator")
    if category == "Co":
        return _("a private-use character, which shows differently on every device")
    if category == "Cc":
        return _("a control character")
    if category == "Cs" or _NONCHARACTER.match(char):
        return _("a code point that is not a character")
    if char in _ZERO_WIDTH:
        return _("a zero-width character, which shows nothing")
    return _("an invisible formatting character")


def character_name(char: str) -> str:
    """Like "ZERO WIDTH SPACE (U+200B)"; the code alone where Unicode gives no name."""
    name = unicodedata.name(char, "")
    code = f"U+{ord(char):04X}"
    return f"{name} ({code})" if name else code


def _refusal(text: str, found: list[tuple[int, str]], field: str) -> ValidationError:
    index, char = found[0]
    before = " ".join(text[:index].split())
    if len(before) > _SNIPPET_LENGTH:
        before = "…" + before[-_SNIPPET_LENGTH:]
    where = (
        _("at position %(position)d, after “%(before)s”")
        % {"position": index + 1, "before": before}
        if before
        else _("at the start")
    )
    message = _(
        "%(field)s contains %(character)s %(where)s: %(kind)s. Remove it and try again."
    ) % {
        "field": field,
        "character": character_name(char),
        "where": where,
        "kind": _kind(char),
    }
    more = len(found) - 1
    if more:
        message += " " + ngettext(
            "One more character like it follows.",
            "%(count)d more characters like it follow.",
            more,
        ) % {"count": more}
    return ValidationError(message)


def clean_text(raw: object, *, max_length: int, field: str, multiline: bool = False) -> str:
    """Return `raw` NFC-normalised and trimmed, or raise ValidationError saying what is wrong.

    The one gate every service puts written text through, so a form, the API and a CSV upload
    refuse the same things with the same words.
    """
    if not isinstance(raw, str):
        raise ValidationError(_("%(field)s must be text.") % {"field": field})
    text = unicodedata.normalize("NFC", raw)
    if "\ufffd" in text:
        raise ValidationError(_("%(field)s is not valid UTF-8 text.") % {"field": field})
    found = unclean_characters(text)
    if found:
        raise _refusal(text, found, field)
    text = text.strip()
    if not text:
        raise ValidationError(_("%(field)s is empty.") % {"field": field})
    if not multiline:
        text = " ".join(text.split())
    if len(text) > max_length:
        raise ValidationError(
            _("%(field)s is %(length)d characters long; the limit is %(limit)d.")
            % {"field": field, "length": len(text), "limit": max_length}
        )
    return text


def normalise_for_comparison(text: str) -> str:
    """What a duplicate check compares: NFKC, case folded, confusables mapped to their UTS #39
    skeleton, punctuation and spacing ignored.

    Case is folded before the skeleton: disarm's key maps a capital I to l (they look alike),
    which would part "ASSISTANT" from "assistant". Its digit policy stays numeric (1 and l, 0 and
    O kept apart): a copy that swaps those still differs by a character or two, which the near-
    duplicate ratio catches, while statements that differ in a number stay different.
    """
    skeleton = disarm.skeleton_key(unicodedata.normalize("NFKC", text).casefold())
    return " ".join(_PUNCTUATION_OR_SPACE.sub(" ", skeleton).split())


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
