from http import HTTPStatus

from django.shortcuts import render
from django.utils.translation import gettext as _


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
