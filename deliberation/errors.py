"""Refusals of the deliberation domain, each with a message a person understands (see
core.errors.DomainError, which views and the API turn into 4xx answers)."""

from http import HTTPStatus

from django.utils.translation import gettext_lazy as _

from core.errors import DomainError


class DeliberationError(DomainError):
    pass


class ConversationClosed(DeliberationError):
    status = HTTPStatus.CONFLICT
    default_message = _("This conversation is not open for votes or statements.")


class StatementUnavailable(DeliberationError):
    status = HTTPStatus.NOT_FOUND
    default_message = _("That statement does not exist in this conversation or was removed.")


class InvalidVote(DeliberationError):
    default_message = _("A vote is agree, disagree or pass.")


class ParticipantExcluded(DeliberationError):
    status = HTTPStatus.FORBIDDEN
    default_message = _("A facilitator has excluded you from this conversation.")


class WritingNotAllowed(DeliberationError):
    status = HTTPStatus.FORBIDDEN
    default_message = _("Participants cannot write statements in this conversation.")


class JoinRefused(DeliberationError):
    status = HTTPStatus.FORBIDDEN
    default_message = _("You need a valid invitation to join this conversation.")


class RateLimited(DeliberationError):
    status = HTTPStatus.TOO_MANY_REQUESTS
    default_message = _("You are going too fast. Please wait a minute and try again.")


class DuplicateStatement(DeliberationError):
    """The statement exists already (exactly or nearly); `existing` is shown to vote on instead."""

    status = HTTPStatus.CONFLICT
    default_message = _("This statement has already been written. You can vote on it instead.")

    def __init__(self, existing, message: str | None = None):
        self.existing = existing
        super().__init__(message)


class InvalidUpload(DeliberationError):
    """A file was refused as a whole; `problems` lists (line number, reason)."""

    default_message = _("The file was not imported. Nothing was changed.")

    def __init__(self, problems: list[tuple[int, str]], message: str | None = None):
        self.problems = problems
        super().__init__(message)


# The process record, questions, answers and targets (issue 13).


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
