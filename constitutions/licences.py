"""The licences a context can publish its constitutions under, as recorded in each document.

Identifiers are SPDX's; `hf` is the identifier the Hugging Face Hub's dataset cards use."""

from typing import Any

DEFAULT = "CC-BY-4.0"
LICENCES: dict[str, dict[str, Any]] = {
    "CC-BY-4.0": {
        "id": "CC-BY-4.0",
        "name": "Creative Commons Attribution 4.0 International",
        "url": "https://creativecommons.org/licenses/by/4.0/",
        "hf": "cc-by-4.0",
    },
    "CC0-1.0": {
        "id": "CC0-1.0",
        "name": "Creative Commons Zero 1.0 Universal (public domain dedication)",
        "url": "https://creativecommons.org/publicdomain/zero/1.0/",
        "hf": "cc0-1.0",
    },
}


def licence_record(identifier: str) -> dict[str, str]:
    """What a published document records of its licence."""
    return {key: LICENCES[identifier][key] for key in ("id", "name", "url")}
