"""The results page's view model, from one analysis snapshot: the plain-words summary, "you and
the groups", the map, and each notable statement once, labelled with every role it plays
(consensus, representative of a group, bridging, contested, majority)."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from deliberation.models import AnalysisSnapshot, Vote
from frontend.presenters.groups import SHAPES, Bar, bars, group_name
from frontend.presenters.opinion_map import opinion_map
from frontend.presenters.summary import summarise, you_and_the_groups

# Statements taken from each list of the analysis; the snapshot keeps them all.
TOP = 5
# Per group: its three most distinctive statements are what sets it apart; more repeat the theme.
REPRESENTATIVE = 3


@dataclass(frozen=True)
class Role:
    """One reason a statement is listed: `kind` picks the template's wording of its figures."""

    kind: str  # consensus-agree, consensus-disagree, representative, bridging, contested, majority
    label: str
    figures: dict = field(default_factory=dict)


@dataclass
class StatementCard:
    id: int
    text: str
    bars: list[Bar]
    entry: dict
    roles: list[Role] = field(default_factory=list)


def _bridging(result: dict) -> list[dict]:
    eligible = (
        s
        for s in result["statements"]
        if s["in_maths"] and s["bridging_ratings"] >= result["parameters"]["bridging_min_votes"]
    )
    return sorted(eligible, key=lambda s: (-s["bridging_intercept"], s["statement_id"]))[:TOP]


def statement_cards(result: dict, texts: dict[int, str]) -> list[StatementCard]:
    """Every statement the analysis singles out, once, in the order its first role is listed."""
    by_id = {s["statement_id"]: s for s in result["statements"]}
    cards: dict[int, StatementCard] = {}

    def add(statement_id: int, role: Role, *, new_card: bool = True) -> None:
        if statement_id not in cards:
            if not new_card:
                return
            entry = by_id[statement_id]
            cards[statement_id] = StatementCard(
                statement_id, texts.get(statement_id, ""), bars(entry), entry
            )
        cards[statement_id].roles.append(role)

    for c in result["consensus_agree"][:TOP]:
        add(c["statement_id"], Role("consensus-agree", _("Consensus: agreed"), c))
    for c in result["consensus_disagree"][:TOP]:
        add(c["statement_id"], Role("consensus-disagree", _("Consensus: rejected"), c))
    for c in result["contested"][:TOP]:
        figures = {
            "agreeing": [group_name(g) for g in c["agreeing_groups"]],
            "disagreeing": [group_name(g) for g in c["disagreeing_groups"]],
        }
        add(c["statement_id"], Role("contested", _("Contested"), figures))
    for g in result["groups"]:
        for r in g["representative"][:REPRESENTATIVE]:
            label = _("Representative of %(group)s") % {"group": group_name(g["id"])}
            add(r["statement_id"], Role("representative", label, r))
    for s in _bridging(result):
        label = _("Bridging") if not s["bridging_helpful"] else _("Bridges the divide")
        add(s["statement_id"], Role("bridging", label, s))
    # A majority alone is no reason to list a statement (the consensus and the groups' own
    # statements say more); it is a label on the statements listed for another reason.
    for m in result["majority_agree"][:TOP]:
        add(m["statement_id"], Role("majority", _("Majority agrees"), m), new_card=False)
    for m in result["majority_disagree"][:TOP]:
        add(m["statement_id"], Role("majority", _("Majority disagrees"), m), new_card=False)
    return list(cards.values())


def results_view_model(
    snapshot: AnalysisSnapshot, viewer_id: int | None, with_statements: bool = False
) -> dict:
    """Everything the template shows, with statement texts looked up once."""
    result = snapshot.result
    texts = dict(snapshot.conversation.statements.values_list("id", "text"))
    total = result["n_in_conversation"] or 1
    groups = [
        {
            "id": g["id"],
            "name": group_name(g["id"]),
            "shape": SHAPES[g["id"] % len(SHAPES)],
            "size": g["size"],
            "percent": round(100 * g["size"] / total),
            "x": round(g["x"], 2),
            "y": round(g["y"], 2),
        }
        for g in result["groups"]
    ]
    votes = {}
    if viewer_id is not None:
        votes = dict(
            Vote.objects.filter(participant_id=viewer_id).values_list("statement_id", "value")
        )
    return {
        "snapshot": snapshot,
        "result": result,
        "summary": summarise(result, texts),
        "you_and_groups": you_and_the_groups(result, viewer_id, votes),
        "map": opinion_map(result, viewer_id, texts if with_statements else None),
        "groups": groups,
        "statement_cards": statement_cards(result, texts),
    }
