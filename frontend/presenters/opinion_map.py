"""The opinion map's SVG geometry: people (or base clusters), group labels, and statements as
a biplot, fitted into one box."""

import math

from frontend.presenters.groups import group_name

# Past this many participants the map shows base clusters (at most 100 discs sized by members)
# instead of one point per person, so the SVG stays small.
MAX_POINTS = 1500
MAP_WIDTH, MAP_HEIGHT, MAP_MARGIN = 480, 320, 24
# Statements drawn on the map when asked for: the ones that pull hardest; more would hide people.
MAP_STATEMENTS = 15


class _Scale:
    """Maps the analysis' 2-D coordinates into the SVG box, keeping the aspect ratio."""

    def __init__(self, points: list[tuple[float, float]]):
        xs = [x for x, _ in points] or [0.0]
        ys = [y for _, y in points] or [0.0]
        self.x0, self.y0 = min(xs), min(ys)
        width, height = max(max(xs) - self.x0, 1e-9), max(max(ys) - self.y0, 1e-9)
        self.k = min((MAP_WIDTH - 2 * MAP_MARGIN) / width, (MAP_HEIGHT - 2 * MAP_MARGIN) / height)
        self.dx = (MAP_WIDTH - width * self.k) / 2
        self.dy = (MAP_HEIGHT - height * self.k) / 2

    def __call__(self, x: float, y: float) -> tuple[float, float]:
        # SVG's y axis points down; flip it so "up" in the analysis is up on the page.
        return (
            round(self.dx + (x - self.x0) * self.k, 1),
            round(MAP_HEIGHT - self.dy - (y - self.y0) * self.k, 1),
        )


def opinion_map(result: dict, viewer_id: int | None, texts: dict | None = None) -> dict:
    """The SVG's content. With `texts` (statement id -> text) the statements are drawn too."""
    participants = result["participants"]
    statements = _biplot(result) if texts is not None else []
    # The box fits the statements too, so none is drawn outside it.
    scale = _Scale([(p["x"], p["y"]) for p in participants] + [(x, y) for _, x, y in statements])
    marks = []
    if len(participants) <= MAX_POINTS:
        for p in participants:
            x, y = scale(p["x"], p["y"])
            marks.append({"x": x, "y": y, "group": p["group"], "scale": 1})
    else:
        largest = max((b["size"] for b in result["base_clusters"]), default=1)
        for b in result["base_clusters"]:
            x, y = scale(b["x"], b["y"])
            # Area proportional to members: scale the marker by the square root.
            factor = round(1 + 3 * math.sqrt(b["size"] / largest), 2)
            marks.append({"x": x, "y": y, "group": b["group"], "scale": factor})
    labels = []
    for g in result["groups"]:
        x, y = scale(g["x"], g["y"])
        labels.append({"x": x, "y": y, "name": group_name(g["id"]), "group": g["id"]})
    you = None
    for p in participants:
        if p["participant_id"] == viewer_id:
            x, y = scale(p["x"], p["y"])
            you = {"x": x, "y": y, "group": p["group"], "group_name": group_name(p["group"])}
    drawn = []
    for number, (statement, x, y) in enumerate(statements, start=1):
        sx, sy = scale(x, y)
        text = texts.get(statement["statement_id"], "")
        drawn.append({"number": number, "text": text, "x": sx, "y": sy})
    return {
        "width": MAP_WIDTH,
        "height": MAP_HEIGHT,
        "marks": marks,
        "labels": labels,
        "you": you,
        "per_person": len(participants) <= MAX_POINTS,
        "statements": drawn,
    }


def _biplot(result: dict) -> list[tuple[dict, float, float]]:
    """The MAP_STATEMENTS most extreme statements as in a PCA biplot (Gabriel 1971): each at
    the direction where a participant agreeing with only it would land (Polis' statement
    projection), all shrunk by one factor so the farthest sits at the participants' own
    farthest distance from the centre. Directions and relative pull are kept; absolute
    distances are not, since one agree vote is scaled out far beyond where people are."""
    shown = sorted(
        (s for s in result["statements"] if s["in_maths"] and s["n_votes"] > 0),
        key=lambda s: (-s["extremity"], str(s["statement_id"])),
    )[:MAP_STATEMENTS]
    reach = max((math.hypot(p["x"], p["y"]) for p in result["participants"]), default=0.0)
    pull = max((math.hypot(s["x"], s["y"]) for s in shown), default=0.0)
    factor = reach / pull if pull > 0 else 0.0
    return [(s, s["x"] * factor, s["y"] * factor) for s in shown]
