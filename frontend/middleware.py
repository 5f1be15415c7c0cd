"""Answer 503 with a clear message while the database is unreachable, instead of a 500 page."""

import logging
from http import HTTPStatus

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def _is_outage(error: Exception) -> bool:
    # psycopg's pool raises PoolTimeout, an OperationalError, when no connection comes back.
    return isinstance(error, OperationalError | InterfaceError) or (
        isinstance(error, DatabaseError) and "connection" in str(error).lower()
    )


class ServiceUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not _is_outage(exception):
            return None
        logger.error("database unavailable: %s", exception)
        message = _(
            "Polity is briefly unavailable. Nothing you sent was lost; "
            "please try again in a minute."
        )
        if request.path.startswith("/api/") or request.headers.get("HX-Request"):
            response = JsonResponse({"detail": message}, status=HTTPStatus.SERVICE_UNAVAILABLE)
        else:
            response = HttpResponse(
                message,
                status=HTTPStatus.SERVICE_UNAVAILABLE,
                content_type="text/plain; charset=utf-8",
            )
        response["Retry-After"] = "30"
        return response
