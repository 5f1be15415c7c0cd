"""Ratification: the participants of a draft's source conversations approve or reject each
principle and the whole text (issue 13, item 7).

A round is opened on a draft and closed by a facilitator; closing computes the results
(overall, per opinion group, and weighted to the population) and keeps them with the round. A
context may require, before publishing, a closed round whose whole text reached a share of
approval in every opinion group (`ProcessRecord.ratification_min_approval`).
"""

from collections import defaultdict
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from constitutions.errors import InvalidCuration, VersionPublished
from constitutions.models import (
    ConstitutionVersion,
    Principle,
    RatificationRound,
    RatificationVote,
)
from deliberation.models import AnalysisSnapshot, Conversation, Participant
from deliberation.services.process import process_record
from deliberation.services.representativeness import sample


class RatificationRefused(InvalidCuration):
    default_message = _("This ratification cannot take place.")


def _ratifying_key(context_id: int) -> str:
    return f"polity:ratifying:{context_id}"


def conversations_ratifying(context_id: int) -> frozenset[str]:
    """Public ids of the context's conversations with an open round: cached, as the voting
    page asks on every vote whether to show the "Ratify" link."""
    ratifying = cache.get(_ratifying_key(context_id))
    if ratifying is None:
        rounds = RatificationRound.objects.filter(
            closed_at__isnull=True, version__constitution__context_id=context_id
        ).values_list("version__snapshots", flat=True)
        ratifying = frozenset(s["conversation"] for snapshots in rounds for s in snapshots)
        cache.set(_ratifying_key(context_id), ratifying, 300)
    return ratifying


def open_ratification(*, version: ConstitutionVersion, actor) -> RatificationRound:
    with transaction.atomic():
        locked = ConstitutionVersion.objects.select_for_update().get(pk=version.pk)
        if locked.is_published:
            raise VersionPublished(
                _("A published version cannot be put to ratification: ratify a draft.")
            )
        try:
            with transaction.atomic():
                opened = RatificationRound.objects.create(version=locked, opened_by=actor)
        except IntegrityError:
            raise RatificationRefused(_("A ratification of this draft is already open.")) from None
    cache.delete(_ratifying_key(locked.constitution.context_id))
    return opened


def open_round_for(conversation: Conversation) -> RatificationRound | None:
    """The open round on a draft compiled from `conversation`, if any."""
    rounds = RatificationRound.objects.filter(
        closed_at__isnull=True,
        version__constitution__context_id=conversation.context_id,
        version__published_at__isnull=True,
    ).select_related("version")
    for round_ in rounds:
        if conversation.public_id in {s["conversation"] for s in round_.version.snapshots}:
            return round_
    return None


def ratifiable_principles(version: ConstitutionVersion):
    return version.principles.filter(is_dropped=False).order_by("part", "position", "id")


def ratify(
    *,
    ratification: RatificationRound,
    participant: Participant,
    approvals: dict[int, bool],
    whole: bool,
) -> int:
    """Record `participant`'s approval or rejection of principles and of the whole text."""
    version = ratification.version
    if not ratification.is_open or version.is_published:
        raise RatificationRefused(_("This ratification is closed."))
    sources = {s["conversation"] for s in version.snapshots}
    if participant.conversation.public_id not in sources or participant.is_excluded:
        raise RatificationRefused(
            _("Only participants of the conversations behind this draft can ratify it.")
        )
    allowed = set(ratifiable_principles(version).values_list("id", flat=True))
    if not set(approvals) <= allowed:
        raise RatificationRefused(_("That principle is not part of this draft."))
    with transaction.atomic():
        for principle_id, approve in approvals.items():
            RatificationVote.objects.update_or_create(
                round=ratification,
                participant=participant,
                principle_id=principle_id,
                defaults={"approve": approve},
            )
        RatificationVote.objects.update_or_create(
            round=ratification, participant=participant, principle=None, defaults={"approve": whole}
        )
    return len(approvals) + 1


def _group_of(version: ConstitutionVersion) -> dict[int, str]:
    """participant -> opinion group label, from the draft's own snapshots."""
    many = len(version.snapshots) > 1
    labels = {}
    for snapshot in AnalysisSnapshot.objects.filter(
        pk__in=[s["id"] for s in version.snapshots]
    ).select_related("conversation"):
        for p in snapshot.result["participants"]:
            if p["group"] is not None:
                name = f"group {p['group'] + 1}"
                labels[p["participant_id"]] = (
                    f"{snapshot.conversation.public_id} {name}" if many else name
                )
    return labels


def _tally(votes, group_of, weights) -> dict[str, Any]:
    approve = total = w_approve = w_total = 0.0
    groups: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for participant_id, yes in votes:
        weight = weights.get(participant_id, 1.0)
        total += 1
        approve += yes
        w_total += weight
        w_approve += weight * yes
        group = group_of.get(participant_id)
        if group is not None:
            groups[group][0] += yes
            groups[group][1] += 1
    return {
        "votes": int(total),
        "approve": int(approve),
        "approval": round(approve / total, 6) if total else None,
        "weighted_approval": round(w_approve / w_total, 6) if w_total else None,
        "groups": [
            {"group": g, "votes": n, "approve": a, "approval": round(a / n, 6)}
            for g, (a, n) in sorted(groups.items())
        ],
    }


def ratification_results(ratification: RatificationRound) -> dict[str, Any]:
    version = ratification.version
    group_of = _group_of(version)
    weights = sample(version.constitution.context).weight_of()
    by_principle: dict[int | None, list[tuple[int, bool]]] = defaultdict(list)
    for participant_id, principle_id, approve in ratification.votes.values_list(
        "participant_id", "principle_id", "approve"
    ):
        by_principle[principle_id].append((participant_id, approve))
    texts = dict(Principle.objects.filter(version=version).values_list("id", "text"))
    return {
        "whole_text": _tally(by_principle.pop(None, []), group_of, weights),
        "principles": [
            {"principle": pid, "text": texts.get(pid, ""), **_tally(v, group_of, weights)}
            for pid, v in sorted(by_principle.items())
        ],
    }


def close_ratification(*, ratification: RatificationRound) -> RatificationRound:
    with transaction.atomic():
        locked = RatificationRound.objects.select_for_update().get(pk=ratification.pk)
        if not locked.is_open:
            return locked
        locked.results = ratification_results(locked)
        locked.closed_at = timezone.now()
        locked.save(update_fields=["results", "closed_at"])
    cache.delete(_ratifying_key(locked.version.constitution.context_id))
    return locked


def latest_closed_round(version: ConstitutionVersion) -> RatificationRound | None:
    return (
        RatificationRound.objects.filter(version=version, closed_at__isnull=False)
        .order_by("-closed_at", "-id")
        .first()
    )


def check_ratified(version: ConstitutionVersion) -> None:
    """Refuse publishing where the context requires ratification and the draft lacks it."""
    required = process_record(version.constitution.context).ratification_min_approval
    if required is None:
        return
    round_ = latest_closed_round(version)
    if round_ is None:
        raise RatificationRefused(
            _("This context requires a ratification of the draft before it is published.")
        )
    groups = round_.results["whole_text"]["groups"]
    short = [g["group"] for g in groups if g["approval"] < required]
    if not groups or short:
        raise RatificationRefused(
            _(
                "The ratification did not reach %(share)s approval in every opinion group "
                "(%(short)s)."
            )
            % {"share": f"{required:.0%}", "short": ", ".join(short) or _("no group voted")}
        )
