"""Refusals of the constitutions domain; views and the API answer with `status` and `message`."""

from http import HTTPStatus

from django.utils.translation import gettext_lazy as _

from core.errors import DomainError


class ConstitutionError(DomainError):
    pass


class VersionPublished(ConstitutionError):
    status = HTTPStatus.CONFLICT
    default_message = _("This version is published and can no longer change. Make a new version.")


class NoAnalysis(ConstitutionError):
    status = HTTPStatus.CONFLICT
    default_message = _("A chosen conversation has not been analysed yet.")


class InvalidCuration(ConstitutionError):
    default_message = _("That editorial step is not possible.")


class InvalidVersionNumber(ConstitutionError):
    default_message = _("A version number is three whole numbers, like 1.0.0.")


class InvalidWebhookUrl(ConstitutionError):
    default_message = _("Webhook addresses must be public http(s) addresses.")


class InvalidParts(ConstitutionError):
    default_message = _(
        "parts is a comma-separated list of consensus and group, like ?parts=consensus,group."
    )


class NothingToTrain(ConstitutionError):
    status = HTTPStatus.CONFLICT
    default_message = _("This version has no principles in the parts asked for.")
