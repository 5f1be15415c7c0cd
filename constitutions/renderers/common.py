"""What the derived formats share."""

from typing import Any


def training_principles(document: dict[str, Any]) -> list[dict[str, Any]]:
    """What training formats carry: the consensus principles (group-specific ones are kept for
    group-specific models and contested statements are not principles at all)."""
    return document["consensus_principles"]


def provenance(document: dict[str, Any]) -> dict[str, Any]:
    return {
        "constitution": document["constitution"]["id"],
        "context": document["constitution"]["context"],
        "version": document["version"],
        "content_sha256": document["content_sha256"],
    }
