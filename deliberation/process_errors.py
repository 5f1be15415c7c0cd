"""Refusals about the process record, questions, answers and targets (issue 13)."""

from http import HTTPStatus

from django.utils.translation import gettext_lazy as _

from deliberation.errors import DeliberationError


class InvalidProcessSetting(DeliberationError):
    default_message = _("That process setting is not valid.")


class InvalidQuestion(DeliberationError):
    default_message = _("That question cannot be used.")


class InvalidTargets(DeliberationError):
    default_message = _("Those target shares cannot be used.")


class InvalidAnswer(DeliberationError):
    default_message = _("Choose one of the answers offered.")


class NotYourAnswer(DeliberationError):
    status = HTTPStatus.FORBIDDEN
    default_message = _("You can only answer for yourself.")


class ScreeningRequired(DeliberationError):
    status = HTTPStatus.FORBIDDEN
    default_message = _("Please answer a few short questions before your first vote.")


class ScreenedOut(DeliberationError):
    status = HTTPStatus.FORBIDDEN
    default_message = _(
        "Thank you for your interest. This conversation is for a particular group of people, "
        "and from your answers it is not one you are part of, so you cannot vote here. "
        "Nothing you answered has been kept."
    )
