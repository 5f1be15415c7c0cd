"""Polity's opinion engine: pure Python/numpy, no Django."""

from .analysis import ALGORITHM, analyse
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
from .results import Analysis
from .state import State
from .synthetic import SyntheticConversation, synthetic_conversation

__all__ = [
    "AGREE",
    "ALGORITHM",
    "DISAGREE",
    "PASS",
    "Analysis",
    "Conversation",
    "Moderation",
    "Parameters",
    "State",
    "Statement",
    "SyntheticConversation",
    "Vote",
    "VoteTable",
    "analyse",
    "synthetic_conversation",
]
