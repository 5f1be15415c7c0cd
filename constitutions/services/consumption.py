"""The consumption registry: which training or evaluation job used which version and hash."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from constitutions.errors import ConstitutionError
from constitutions.models import ApiToken, ConstitutionVersion, Consumption
from core.text import clean_text


def record_consumption(
    *,
    version: ConstitutionVersion,
    token: ApiToken | None,
    content_sha256: str,
    job_name: str,
    kind: str,
    url: str = "",
) -> Consumption:
    """Record a use; the hash must be the version's, so the registry only lists verified copies."""
    if content_sha256 != version.content_sha256:
        raise ConstitutionError(
            _("That hash is not the hash of version %(number)s.") % {"number": version.number}
        )
    job_name = clean_text(job_name, max_length=200, field=_("Job name"))
    if kind not in Consumption.Kind.values:
        raise ConstitutionError(_("The kind of job is training, evaluation or other."))
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise ConstitutionError(_("The job address must be an http(s) URL.")) from None
    return Consumption.objects.create(
        version=version,
        token=token,
        job_name=job_name,
        kind=kind,
        url=url,
        content_sha256=content_sha256,
    )
