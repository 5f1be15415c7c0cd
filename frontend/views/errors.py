"""Error pages in the site's layout, and JSON under /api/, whose clients read JSON."""

from http import HTTPStatus

from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.defaults import bad_request

ERROR_TEMPLATE = "frontend/error.html"


def _page(request, *, title: str, message: str, status: int):
    return render(request, ERROR_TEMPLATE, {"title": title, "message": message}, status=status)


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def csrf_failure(request, reason=""):
    """A refused cross-site or expired form: say what to do, never what the check was."""
    return _page(
        request,
        title=_("This form has expired"),
        message=_("Please go back, reload the page and try again."),
        status=HTTPStatus.FORBIDDEN,
    )


def not_found(request, exception=None):
    """Our 404 page; under /api/ an address that matches no route (a malformed slug, say) is
    answered like an unknown object, `{"detail": ...}`."""
    if _is_api(request):
        return JsonResponse({"detail": _("Not found.")}, status=HTTPStatus.NOT_FOUND)
    return _page(
        request,
        title=_("Page not found"),
        message=_(
            "There is nothing at this address. The link may be mistyped, or what it led to is "
            "not open (yet) or no longer public."
        ),
        status=HTTPStatus.NOT_FOUND,
    )


def forbidden(request, exception=None):
    # Our own refusals carry a message for the person (e.g. who may create contexts); anything
    # else gets the general one.
    detail = str(exception) if exception is not None and exception.args else ""
    return _page(
        request,
        title=_("Not allowed"),
        message=detail or _("Your account may not open this page."),
        status=HTTPStatus.FORBIDDEN,
    )


def server_error(request):
    """Rendered without the request's context processors: whatever failed (the database, the
    session) must not fail this page too."""
    if _is_api(request):
        return JsonResponse(
            {"detail": _("Something went wrong on our side.")},
            status=HTTPStatus.INTERNAL_SERVER_ERROR,
        )
    body = loader.render_to_string(
        ERROR_TEMPLATE,
        {
            "title": _("Something went wrong"),
            "message": _(
                "Something went wrong on our side and it has been logged. Please try again in a "
                "moment."
            ),
        },
    )
    return HttpResponseServerError(body)


def bad_request_page(request, exception):
    """Django's 400 page, except under /api/: a request Django itself refuses before any view
    (too many form fields, a malformed multipart body) is answered in JSON there too."""
    if _is_api(request):
        return JsonResponse(
            {"detail": _("The request cannot be read.")}, status=HTTPStatus.BAD_REQUEST
        )
    return bad_request(request, exception)
