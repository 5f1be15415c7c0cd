"""Addresses with a NUL byte name nothing: answer 404 before any view puts one in a query.

Routes capture `<str:...>` parameters (conversation ids, version numbers), which match any
character but "/"; a "%00" in one reached PostgreSQL, which refuses NUL in text, and the request
ended in a 500 on every page and API endpoint with such a parameter.
"""

from django.http import Http404


class NulInPathMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            # Raised here, it still becomes the site's 404 (JSON under /api/), with every header.
            raise Http404
        return self.get_response(request)
