"""Answer 503 with a clear message while the database is unreachable, instead of a 500 page;
answer a view's 404 with our page even while DEBUG is on."""

import logging
from http import HTTPStatus

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import Http404, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from frontend.views.errors import not_found

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


class StyledNotFoundMiddleware:
    """With DEBUG on, Django answers a view's Http404 with its technical page; participants and
    facilitators get our page either way (the admin and the API keep their own answers)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, Http404) or request.path.startswith(("/api/", "/admin/")):
            return None
        return not_found(request, exception)
