"""Default wording that turns a principle into the requests constitutional-AI training uses.

Critique and revision requests follow the shape of Bai et al. 2022, "Constitutional AI:
Harmlessness from AI Feedback" (appendix C); the preference form follows its RL-from-AI-feedback
principles, "Choose the response that ...". Facilitators can edit every one of them.
"""

from django.utils.translation import gettext as _

CHOOSE_PREFIX = "choose the response that"


def default_critique(text: str) -> str:
    return _(
        "Identify specific ways in which the assistant's last response does not follow this "
        "principle: “%(principle)s”"
    ) % {"principle": text}


def default_revision(text: str) -> str:
    return _(
        "Please rewrite the assistant's response so that it follows this principle: “%(principle)s”"
    ) % {"principle": text}


def as_preference(text: str) -> str:
    """The principle as a pairwise preference question, unchanged if it already is one."""
    if text.strip().lower().startswith(CHOOSE_PREFIX):
        return text.strip()
    return _("Choose the response that best follows this principle: “%(principle)s”") % {
        "principle": text
    }
