"""What every API view of this app shares: bearer authentication, domain errors as 4xx."""

from http import HTTPStatus

from django.core.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from api.authentication import BearerTokenAuthentication
from api.schema import PolityAutoSchema
from core.errors import DomainError


class PolityAPIView(APIView):
    authentication_classes = [BearerTokenAuthentication]
    schema = PolityAutoSchema()

    def handle_exception(self, exc):
        if isinstance(exc, DomainError):
            return Response({"detail": exc.message}, status=exc.status)
        if isinstance(exc, ValidationError):
            # Services clean text with core.text.clean_text, which refuses this way.
            return Response({"detail": " ".join(exc.messages)}, status=HTTPStatus.BAD_REQUEST)
        return super().handle_exception(exc)


class BoundedPagination(LimitOffsetPagination):
    """limit/offset with both bounded: an unbounded number reached the database as LIMIT or
    OFFSET and failed there (PostgreSQL: "bigint out of range"; SQLite: an overflow), a 500."""

    max_limit = 500
    max_offset = 10**9  # far past any list here; a larger offset gives the same empty page

    def get_offset(self, request):
        return min(super().get_offset(request), self.max_offset)


class PaginatedView(PolityAPIView):
    """An APIView with the project's paginator (limit/offset)."""

    # Also read by drf-spectacular: list answers are documented as pages, with limit and offset.
    pagination_class = BoundedPagination

    @property
    def paginator(self):
        if not hasattr(self, "_paginator"):
            self._paginator = self.pagination_class()
        return self._paginator


def paginate(view, items):
    """Paginate a list (or queryset) with the project's paginator and answer the page."""
    page = view.paginator.paginate_queryset(items, view.request, view=view)
    return view.paginator.get_paginated_response(page)


def etag_matches(request, etag: str) -> bool:
    """RFC 9110 If-None-Match: a list of (possibly weak) tags, or `*`."""
    header = request.headers.get("If-None-Match", "")
    if not header:
        return False
    if header.strip() == "*":
        return True
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return etag in tags
