"""Polity's opinion engine: pure Python/numpy, no Django."""

from .inputs import (
    AGREE,
    DISAGREE,
    PASS,
    Conversation,
    Moderation,
    Parameters,
    Statement,
    Vote,
    VoteTable,
)

__all__ = [
    "AGREE",
    "DISAGREE",
    "PASS",
    "Conversation",
    "Moderation",
    "Parameters",
    "Statement",
    "Vote",
    "VoteTable",
]
