"""The results page in plain words: what nearly everyone agrees on, how each group differs, what
is contested, and how one participant's votes compare with each group's majority.

Everything here is read from one analysis snapshot's own result (its consensus, representative
and contested lists), never recomputed, so the words and the numbers beside them cannot disagree.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from frontend.presenters.groups import group_name

# Statements quoted per part of the summary: a summary, not the whole list.
QUOTED = 3
# "Mostly like" / "mostly unlike" a group's majority, as a share of the compared votes.
MOSTLY = 0.7


@dataclass(frozen=True)
class Quoted:
    statement_id: int
    text: str


@dataclass(frozen=True)
class GroupLine:
    group_id: int
    name: str
    size: int
    agrees: Quoted | None  # the statement the group agrees with most distinctively
    rejects: Quoted | None  # ... and rejects most distinctively
    sentence: str


@dataclass(frozen=True)
class ContestedLine:
    statement: Quoted
    agreeing: tuple[str, ...]
    disagreeing: tuple[str, ...]
    sentence: str


@dataclass(frozen=True)
class Summary:
    n_participants: int
    n_grouped: int
    agreed: tuple[Quoted, ...]
    rejected: tuple[Quoted, ...]
    groups: tuple[GroupLine, ...]
    contested: tuple[ContestedLine, ...]
    opening: str


@dataclass(frozen=True)
class Comparison:
    group_id: int
    name: str
    same: int
    compared: int
    is_yours: bool
    sentence: str


@dataclass(frozen=True)
class YouAndGroups:
    group: str | None  # the viewer's group's name, None while not grouped
    comparisons: tuple[Comparison, ...]
    n_votes: int
    min_votes: int


def summarise(result: dict, texts: dict[int, str]) -> Summary:
    def quoted(statement_id: int) -> Quoted:
        return Quoted(statement_id, texts.get(statement_id, ""))

    groups = tuple(_group_line(g, quoted) for g in result["groups"])
    contested = tuple(_contested_line(c, quoted) for c in result["contested"][:QUOTED])
    n, k = result["n_participants"], len(result["groups"])
    people = ngettext("%(n)s person voted", "%(n)s people voted", n) % {"n": n}
    if k:
        opening = ngettext(
            "%(people)s; those who voted enough form %(k)s opinion group.",
            "%(people)s; those who voted enough form %(k)s opinion groups.",
            k,
        ) % {"people": people, "k": k}
    else:
        opening = _("%(people)s; too few voted on enough statements to form groups yet.") % {
            "people": people
        }
    return Summary(
        n_participants=n,
        n_grouped=result["n_in_conversation"],
        agreed=tuple(quoted(c["statement_id"]) for c in result["consensus_agree"][:QUOTED]),
        rejected=tuple(quoted(c["statement_id"]) for c in result["consensus_disagree"][:QUOTED]),
        groups=groups,
        contested=contested,
        opening=opening,
    )


def _first(representative: list[dict], direction: str, quoted) -> Quoted | None:
    for entry in representative:
        if entry["direction"] == direction:
            return quoted(entry["statement_id"])
    return None


def _group_line(group: dict, quoted) -> GroupLine:
    name, size = group_name(group["id"]), group["size"]
    agrees = _first(group["representative"], "agree", quoted)
    rejects = _first(group["representative"], "disagree", quoted)
    who = ngettext("%(group)s (%(n)s person)", "%(group)s (%(n)s people)", size) % {
        "group": name,
        "n": size,
    }
    if agrees and rejects:
        sentence = _(
            "%(who)s stands out for agreeing with “%(agree)s” and rejecting “%(reject)s”."
        ) % {"who": who, "agree": agrees.text, "reject": rejects.text}
    elif agrees:
        sentence = _("%(who)s stands out for agreeing with “%(agree)s”.") % {
            "who": who,
            "agree": agrees.text,
        }
    elif rejects:
        sentence = _("%(who)s stands out for rejecting “%(reject)s”.") % {
            "who": who,
            "reject": rejects.text,
        }
    else:
        sentence = _("%(who)s: no statement sets it apart with enough confidence yet.") % {
            "who": who
        }
    return GroupLine(group["id"], name, size, agrees, rejects, sentence)


def _contested_line(entry: dict, quoted) -> ContestedLine:
    agreeing = tuple(group_name(g) for g in entry["agreeing_groups"])
    disagreeing = tuple(group_name(g) for g in entry["disagreeing_groups"])
    statement = quoted(entry["statement_id"])
    sentence = _("“%(text)s”: %(agreeing)s agree, %(disagreeing)s disagree.") % {
        "text": statement.text,
        "agreeing": _(" and ").join(agreeing),
        "disagreeing": _(" and ").join(disagreeing),
    }
    return ContestedLine(statement, agreeing, disagreeing, sentence)


def _majority(position: dict) -> int | None:
    """A group's majority on a statement: agree (1) or disagree (-1) when more than half of
    those in it who saw the statement voted so, else none."""
    if position["seen"] and 2 * position["agree"] > position["seen"]:
        return 1
    if position["seen"] and 2 * position["disagree"] > position["seen"]:
        return -1
    return None


def you_and_the_groups(
    result: dict, viewer_id: int | None, votes: dict[int, int]
) -> YouAndGroups | None:
    """How the viewer's agree and disagree votes (`votes`: statement id -> value) compare with
    each group's majority, on the statements where that group has one. None for someone who
    has not voted."""
    if viewer_id is None or not votes:
        return None
    yours = next(
        (p["group"] for p in result["participants"] if p["participant_id"] == viewer_id), None
    )
    same = {g["id"]: 0 for g in result["groups"]}
    compared = dict(same)
    for entry in result["statements"]:
        vote = votes.get(entry["statement_id"])
        if not vote:  # not voted, or passed: nothing to compare
            continue
        for position in entry["groups"]:
            majority = _majority(position)
            if majority is not None and position["group"] in compared:
                compared[position["group"]] += 1
                same[position["group"]] += majority == vote
    comparisons = tuple(
        _comparison(g["id"], same[g["id"]], compared[g["id"]], g["id"] == yours)
        for g in result["groups"]
    )
    return YouAndGroups(
        group=group_name(yours) if yours is not None else None,
        comparisons=comparisons,
        n_votes=len(votes),
        min_votes=result["parameters"]["min_votes_in_conversation"],
    )


def _comparison(group_id: int, same: int, compared: int, is_yours: bool) -> Comparison:
    name = group_name(group_id)
    figures = {"group": name, "same": same, "n": compared}
    if not compared:
        sentence = _(
            "None of your agree or disagree votes is on a statement where %(group)s has a "
            "clear majority."
        )
    elif same >= MOSTLY * compared:
        sentence = _(
            "You mostly voted like %(group)s's majority: the same way on %(same)s of %(n)s "
            "statements."
        )
    elif compared - same >= MOSTLY * compared:
        sentence = _(
            "You mostly voted unlike %(group)s's majority: the same way on only %(same)s of "
            "%(n)s statements."
        )
    else:
        sentence = _(
            "You sometimes voted like %(group)s's majority: the same way on %(same)s of %(n)s "
            "statements."
        )
    sentence = sentence % figures
    return Comparison(group_id, name, same, compared, is_yours, sentence)
