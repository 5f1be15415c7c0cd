"""How opinion groups and vote counts are shown: letters, shapes and vote bars."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from constitutions.renderers.common import group_name as constitution_group_name

# Group i is drawn with the i-th shape and colour (results.css), so colour is never the only cue.
SHAPES = (_lazy("circle"), _lazy("square"), _lazy("triangle"), _lazy("diamond"), _lazy("cross"))


def group_name(index: int | None) -> str:
    if index is None:
        return _("not yet grouped")
    return constitution_group_name(index)  # one set of letters for the page and every export


@dataclass(frozen=True)
class Bar:
    """One group's (or everyone's) votes on a statement, as widths of a 100-unit SVG bar."""

    label: str
    agree: int
    disagree: int
    passed: int
    seen: int

    @property
    def agree_width(self) -> int:
        return round(100 * self.agree / self.seen) if self.seen else 0

    @property
    def disagree_width(self) -> int:
        return round(100 * self.disagree / self.seen) if self.seen else 0

    @property
    def pass_width(self) -> int:
        return 100 - self.agree_width - self.disagree_width if self.seen else 0

    @property
    def pass_x(self) -> int:
        return self.agree_width + self.disagree_width


def bars(entry: dict) -> list[Bar]:
    bars = [
        Bar(
            group_name(g["group"]),
            g["agree"],
            g["disagree"],
            g["seen"] - g["agree"] - g["disagree"],
            g["seen"],
        )
        for g in entry["groups"]
    ]
    bars.append(
        Bar(_("Everyone"), entry["n_agree"], entry["n_disagree"], entry["n_pass"], entry["n_votes"])
    )
    return bars
