"""What the API refuses to read: bodies over a size limit, JSON nested deeper than a limit.

Python's JSON decoder recurses once per level, so `"[" * 1000 + "]" * 1000` ended in a
RecursionError (a 500). No request to this API needs more than a few levels or a few kilobytes;
the limits leave wide margins and answer in JSON, as every API error does.
"""

import io
import re
from http import HTTPStatus

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser, get_encoding

MAX_DEPTH = 32
# A JSON string (escapes included), or one bracket outside strings.
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


def nesting_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in `text`, brackets inside strings ignored."""
    depth = deepest = 0
    for token in _TOKENS.finditer(text):
        bracket = token.group()
        if bracket in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif bracket in "]}":
            depth -= 1
    return deepest


class DepthLimitedJSONParser(JSONParser):
    """DRF's JSON parser, after a linear scan that refuses nesting deeper than `MAX_DEPTH`."""

    def parse(self, stream, media_type=None, parser_context=None):
        body = stream.read() if stream is not None else b""
        try:
            text = body.decode(get_encoding(parser_context or {}))
        except (UnicodeDecodeError, LookupError) as error:
            raise ParseError(
                _("The body cannot be decoded: %(error)s") % {"error": error}
            ) from None
        if nesting_depth(text) > MAX_DEPTH:
            raise ParseError(
                _("JSON nested more than %(depth)d levels deep is not accepted.")
                % {"depth": MAX_DEPTH}
            )
        return super().parse(io.BytesIO(body), media_type, parser_context)


class ApiBodyLimitMiddleware:
    """Under /api/, a body larger than `POLITY_API_MAX_BODY_BYTES` is answered 413 unread."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > settings.POLITY_API_MAX_BODY_BYTES:
                limit = settings.POLITY_API_MAX_BODY_BYTES // 1024
                return JsonResponse(
                    {
                        "detail": _("The request body is too large (at most %(kb)d KB).")
                        % {"kb": limit}
                    },
                    status=HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                )
        return self.get_response(request)
