"""Adherence reports: how a model did on a published version's eval set, per principle.

A report is checked in full before anything is written (the version's hash, the eval set's
hash, every principle key, every count and share), then written in one transaction, and never
changed afterwards: a correction is a new report.
"""

import math

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from constitutions.errors import InvalidReport
from constitutions.models import AdherenceReport, AdherenceResult, ApiToken, ConstitutionVersion
from constitutions.renderers.canonical import stored_document
from constitutions.renderers.evalset import PARTS, eval_sha256
from core.text import clean_text


def reportable_keys(document) -> list[str]:
    """The keys a report may name: the version's consensus and group-specific principles."""
    return [principle["key"] for _part, key in PARTS for principle in document[key]]


def _results(results, keys: list[str]) -> list[AdherenceResult]:
    if not results:
        raise InvalidReport(_("Report at least one principle."))
    seen, rows = set(), []
    for result in results:
        key = result.get("principle")
        if key not in keys:
            raise InvalidReport(
                _("“%(key)s” is not a principle of this version (it has %(keys)s).")
                % {"key": key, "keys": ", ".join(keys)}
            )
        if key in seen:
            raise InvalidReport(_("“%(key)s” is reported twice.") % {"key": key})
        seen.add(key)
        samples, share = result.get("samples"), result.get("follow_share")
        if isinstance(samples, bool) or not isinstance(samples, int) or samples < 1:
            raise InvalidReport(
                _("The sample count of “%(key)s” must be a whole number above 0.") % {"key": key}
            )
        if (
            isinstance(share, bool)
            or not isinstance(share, int | float)
            or not math.isfinite(share)
            or not 0 <= share <= 1
        ):
            raise InvalidReport(
                _("The share of “%(key)s” judged to follow it must be between 0 and 1.")
                % {"key": key}
            )
        rows.append(AdherenceResult(principle_key=key, samples=samples, follow_share=share))
    return rows


def record_report(
    *,
    version: ConstitutionVersion,
    token: ApiToken,
    content_sha256: str,
    model_name: str,
    model_revision: str,
    eval_sha256_hex: str,
    results: list[dict],
    url: str = "",
) -> AdherenceReport:
    """Record how a model did on `version`, for the owner of `token` (a `report`-scope token)."""
    if token.scope != ApiToken.Scope.REPORT:
        raise InvalidReport(_("Adherence reports need a token with the report scope."))
    if not version.is_published:
        raise InvalidReport(_("Only published versions take adherence reports."))
    if content_sha256 != version.content_sha256:
        raise InvalidReport(
            _("That hash is not the hash of version %(number)s.") % {"number": version.number}
        )
    document = stored_document(version)
    if eval_sha256_hex != eval_sha256(document):
        raise InvalidReport(
            _("That eval set hash is not the hash of version %(number)s's eval export.")
            % {"number": version.number}
        )
    model_name = clean_text(model_name, max_length=200, field=_("Model"))
    model_revision = clean_text(model_revision, max_length=200, field=_("Model revision"))
    rows = _results(results, reportable_keys(document))
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise InvalidReport(_("The results address must be an http(s) URL.")) from None
    with transaction.atomic():
        report = AdherenceReport.objects.create(
            version=version,
            token=token,
            reporter=token.user,
            reporter_name=token.user.get_username(),
            model_name=model_name,
            model_revision=model_revision,
            eval_sha256=eval_sha256_hex,
            url=url,
        )
        for row in rows:
            row.report = report
        AdherenceResult.objects.bulk_create(rows)
    return report
