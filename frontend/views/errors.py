from http import HTTPStatus

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.defaults import bad_request, page_not_found


def csrf_failure(request, reason=""):
    """A refused cross-site or expired form: say what to do, never what the check was."""
    return render(
        request,
        "frontend/error.html",
        {
            "title": _("This form has expired"),
            "message": _("Please go back, reload the page and try again."),
        },
        status=HTTPStatus.FORBIDDEN,
    )


def not_found(request, exception):
    """Django's 404 page, except under /api/, whose clients read JSON: an address that matches no
    route (a malformed slug, say) is answered like an unknown object, `{"detail": ...}`."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found.")}, status=HTTPStatus.NOT_FOUND)
    return page_not_found(request, exception)


def bad_request_page(request, exception):
    """Django's 400 page, except under /api/: a request Django itself refuses before any view
    (too many form fields, a malformed multipart body) is answered in JSON there too."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": _("The request cannot be read.")}, status=HTTPStatus.BAD_REQUEST
        )
    return bad_request(request, exception)
