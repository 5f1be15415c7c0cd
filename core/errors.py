"""The refusal every domain error derives from, with a message a person understands.

Views and the API turn any `DomainError` into a 4xx answer; `status` is the HTTP status that fits.
"""

from http import HTTPStatus

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    status = HTTPStatus.BAD_REQUEST
    default_message = _("That could not be done.")

    def __init__(self, message: str | None = None):
        self.message = str(message or self.default_message)
        super().__init__(self.message)
