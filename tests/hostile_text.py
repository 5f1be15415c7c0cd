"""Hostile texts for tests, spelled with escapes: a reader (and ruff's RUF001) cannot tell a
look-alike letter from the real one, so none is written literally."""

# Cyrillic letters that look like Latin ones (Unicode confusables.txt maps each to the Latin).
_CYRILLIC = str.maketrans(
    {
        "a": "\u0430",
        "c": "\u0441",
        "e": "\u0435",
        "o": "\u043e",
        "p": "\u0440",
        "A": "\u0410",
        "E": "\u0415",
        "H": "\u041d",
        "T": "\u0422",
    }
)


def homoglyph_copy(text: str) -> str:
    """`text` with every Latin letter that has a Cyrillic twin replaced by it."""
    copy = text.translate(_CYRILLIC)
    assert copy != text
    return copy


def tags(ascii_text: str) -> str:
    """ASCII spelled in Unicode tag characters: shown as nothing, read by some models."""
    return "".join(chr(0xE0000 + ord(char)) for char in ascii_text)
