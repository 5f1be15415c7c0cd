"""Conversations (summary and statistics) and, with a raw-data token, snapshots and votes.

Participants appear only under per-export pseudonyms (see api/exports.py).
"""

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from api.authentication import context_for
from api.common import PaginatedView, PolityAPIView
from api.exports import export_snapshot, export_votes
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
    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, slug, conversation, snapshot):
        context = context_for(request, slug, ApiToken.Scope.RAW)
        found = get_object_or_404(_conversations(context), public_id=conversation)
        return Response(export_snapshot(snapshot=get_object_or_404(found.snapshots, pk=snapshot)))


class VoteExport(PolityAPIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, slug, conversation):
        context = context_for(request, slug, ApiToken.Scope.RAW)
        found = get_object_or_404(_conversations(context), public_id=conversation)
        # Answers only for the separate scope, and only where the context allows it.
        with_answers = (
            request.auth.scope == ApiToken.Scope.RAW_ANSWERS
            and process_record(context).raw_answers_allowed
        )
        response = Response(export_votes(conversation=found, with_answers=with_answers))
        response["Cache-Control"] = "no-store"
        return response
