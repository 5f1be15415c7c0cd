"""Adherence reports of a published version: anyone who may read the version lists them; a job
holding a `report`-scope token posts one (checked in full by the service, append-only)."""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response

from api.authentication import context_for
from api.common import PaginatedView
from api.serializers import AdherenceReportRequestSerializer, AdherenceReportSerializer
from api.views.constitutions import _version
from constitutions.models import ApiToken
from constitutions.services.adherence import record_report
from deliberation.access import can_facilitate
from deliberation.models import Context


def _reportable_context(request, slug: str) -> Context:
    """The context a report may be posted for: public, or facilitated by the token's owner
    (404 otherwise, as for reading); the token must carry the `report` scope (403)."""
    token = request.auth if isinstance(request.auth, ApiToken) else None
    if token is None:
        raise exceptions.NotAuthenticated(_("Posting an adherence report needs an API token."))
    context = Context.objects.filter(slug=slug).first()
    if context is None or not (context.is_public or can_facilitate(token.user, context)):
        raise Http404
    if token.scope != ApiToken.Scope.REPORT:
        raise exceptions.PermissionDenied(
            _("This token may not post adherence reports; create one with the report scope.")
        )
    return context


class AdherenceReportList(PaginatedView):
    @extend_schema(responses=AdherenceReportSerializer(many=True))
    def get(self, request, slug, version):
        context = context_for(request, slug, ApiToken.Scope.CONSTITUTIONS)
        reports = (
            _version(context, version)
            .adherence_reports.select_related("version")
            .prefetch_related("results")
        )
        page = self.paginator.paginate_queryset(reports, request, view=self)
        return self.paginator.get_paginated_response(
            AdherenceReportSerializer(page, many=True).data
        )

    @extend_schema(
        request=AdherenceReportRequestSerializer, responses={201: AdherenceReportSerializer}
    )
    def post(self, request, slug, version):
        context = _reportable_context(request, slug)
        data = AdherenceReportRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = record_report(
            version=_version(context, version),
            token=request.auth,
            content_sha256=data.validated_data["content_sha256"],
            model_name=data.validated_data["model"]["name"],
            model_revision=data.validated_data["model"]["revision"],
            eval_sha256_hex=data.validated_data["eval_sha256"],
            results=[
                {"principle": r["principle_key"], **{k: r[k] for k in ("samples", "follow_share")}}
                for r in data.validated_data["results"]
            ],
            url=data.validated_data.get("url", ""),
        )
        return Response(AdherenceReportSerializer(report).data, status=status.HTTP_201_CREATED)
