"""Adherence reports as the version page shows them: per principle, every model reported."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from constitutions.models import AdherenceResult, ConstitutionVersion


@dataclass(frozen=True)
class AdherenceRow:
    model: str
    revision: str
    follow_share: float
    samples: int
    reporter: str
    reported_at: datetime
    url: str

    @property
    def percent(self) -> int:
        # Half up (62.5 -> 63), not Python's round-half-even, as readers expect of a percentage.
        return int(self.follow_share * 100 + 0.5)


def adherence_by_principle(version: ConstitutionVersion) -> dict[str, list[AdherenceRow]]:
    """Principle key -> one row per report naming it, newest first."""
    rows: dict[str, list[AdherenceRow]] = defaultdict(list)
    results = (
        AdherenceResult.objects.filter(report__version=version)
        .select_related("report")
        .order_by("-report__created_at", "-report_id", "id")
    )
    for result in results:
        report = result.report
        rows[result.principle_key].append(
            AdherenceRow(
                model=report.model_name,
                revision=report.model_revision,
                follow_share=result.follow_share,
                samples=result.samples,
                reporter=report.reporter_name,
                reported_at=report.created_at,
                url=report.url,
            )
        )
    return dict(rows)


def with_adherence(document: dict, version: ConstitutionVersion) -> dict:
    """Add each principle's rows (`adherence`) to a stored document about to be shown."""
    rows = adherence_by_principle(version)
    for key in ("consensus_principles", "group_principles"):
        for principle in document[key]:
            principle["adherence"] = rows.get(principle["key"], [])
    return document
