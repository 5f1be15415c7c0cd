"""Conversations (summary and statistics) and, with a raw-data token, snapshots and votes.

Participants appear only under per-export pseudonyms (see api/exports.py).
"""

from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.response import Response

from api.authentication import context_for
from api.common import PaginatedView, PolityAPIView
from api.exports import (
    TABLE_FORMATS,
    encode_table,
    export_snapshot,
    export_votes,
    group_table,
    statement_table,
    vote_table,
)
from api.schema import REFUSALS
from api.serializers import ConversationSerializer, SnapshotSummarySerializer
from constitutions.models import ApiToken
from deliberation.models import AnalysisSnapshot, Statement
from deliberation.services.process import process_record


def _conversations(context):
    # Separate subqueries would be cheaper at scale; counts over one join are exact and short.
    return (
        context.conversations.exclude(state="draft")
        .annotate(
            participant_count=Count("participants", distinct=True),
            statement_count=Count("statements", distinct=True),
            accepted_count=Count(
                "statements", filter=Q(statements__state=Statement.State.ACCEPTED), distinct=True
            ),
            vote_count=Count("participants__votes", distinct=True),
        )
        .order_by("-created_at", "id")
    )


TABLE_FORMAT = OpenApiParameter(
    "format",
    str,
    enum=["json", *TABLE_FORMATS],
    description="json (default), or one table as csv or parquet (for pandas and polars).",
)


def _table_schema(json_schema) -> dict:
    return {
        (200, "application/json"): json_schema,
        (200, "text/csv"): OpenApiTypes.STR,
        (200, "application/vnd.apache.parquet"): OpenApiTypes.BINARY,
        400: REFUSALS["400"],  # a format that is none of these
    }


def _requested_format(request) -> str:
    """ "json", "csv" or "parquet"; anything else is answered with a 400 naming them."""
    requested = request.query_params.get("format", "json")
    if requested == "json" or requested in TABLE_FORMATS:
        return requested
    known = ", ".join(["json", *TABLE_FORMATS])
    raise exceptions.ParseError(f"format must be one of {known}.")


def _table_response(table, table_format: str, name: str, export_id: str | None) -> HttpResponse:
    response = HttpResponse(
        encode_table(table, table_format), content_type=TABLE_FORMATS[table_format]
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.{table_format}"'
    response["Cache-Control"] = "no-store"
    if export_id:
        response["X-Polity-Export"] = export_id
    return response


class ConversationList(PaginatedView):
    @extend_schema(responses=ConversationSerializer(many=True))
    def get(self, request, slug):
        context = context_for(request, slug, ApiToken.Scope.CONSTITUTIONS)
        page = self.paginator.paginate_queryset(_conversations(context), request, view=self)
        return self.paginator.get_paginated_response(ConversationSerializer(page, many=True).data)


class ConversationDetail(PolityAPIView):
    @extend_schema(responses=ConversationSerializer)
    def get(self, request, slug, conversation):
        context = context_for(request, slug, ApiToken.Scope.CONSTITUTIONS)
        found = get_object_or_404(_conversations(context), public_id=conversation)
        return Response(ConversationSerializer(found).data)


class SnapshotList(PaginatedView):
    @extend_schema(responses=SnapshotSummarySerializer(many=True))
    def get(self, request, slug, conversation):
        context = context_for(request, slug, ApiToken.Scope.RAW)
        found = get_object_or_404(_conversations(context), public_id=conversation)
        snapshots = AnalysisSnapshot.objects.newest_first(found)
        page = self.paginator.paginate_queryset(snapshots, request, view=self)
        return self.paginator.get_paginated_response(
            SnapshotSummarySerializer(page, many=True).data
        )


class SnapshotDetail(PolityAPIView):
    @extend_schema(parameters=[TABLE_FORMAT], responses=_table_schema(OpenApiTypes.OBJECT))
    def get(self, request, slug, conversation, snapshot):
        """The snapshot's analysis; as csv or parquet, its participants' groups and places."""
        context = context_for(request, slug, ApiToken.Scope.RAW)
        found = get_object_or_404(_conversations(context), public_id=conversation)
        table_format = _requested_format(request)
        snapshot = get_object_or_404(found.snapshots, pk=snapshot)
        if table_format == "json":
            return Response(export_snapshot(snapshot=snapshot))
        export_id, table = group_table(snapshot=snapshot)
        name = f"{found.public_id}-snapshot-{snapshot.pk}-groups"
        return _table_response(table, table_format, name, export_id)


class StatementExport(PolityAPIView):
    @extend_schema(parameters=[TABLE_FORMAT], responses=_table_schema(OpenApiTypes.OBJECT))
    def get(self, request, slug, conversation):
        """Every statement with its moderation state and flags (authors are not named)."""
        context = context_for(request, slug, ApiToken.Scope.RAW)
        found = get_object_or_404(_conversations(context), public_id=conversation)
        table_format = _requested_format(request)
        table = statement_table(conversation=found)
        if table_format == "json":
            rows = table.to_pylist()
            for row in rows:
                row["created_at"] = row["created_at"].isoformat()
            return Response({"conversation": found.public_id, "statements": rows})
        return _table_response(table, table_format, f"{found.public_id}-statements", None)


class VoteExport(PolityAPIView):
    @extend_schema(parameters=[TABLE_FORMAT], responses=_table_schema(OpenApiTypes.OBJECT))
    def get(self, request, slug, conversation):
        context = context_for(request, slug, ApiToken.Scope.RAW)
        found = get_object_or_404(_conversations(context), public_id=conversation)
        table_format = _requested_format(request)
        if table_format != "json":
            export_id, table = vote_table(conversation=found)
            name = f"{found.public_id}-votes"
            return _table_response(table, table_format, name, export_id)
        # Answers only for the separate scope, and only where the context allows it.
        with_answers = (
            request.auth.scope == ApiToken.Scope.RAW_ANSWERS
            and process_record(context).raw_answers_allowed
        )
        response = Response(export_votes(conversation=found, with_answers=with_answers))
        response["Cache-Control"] = "no-store"
        return response
