"""Contexts, published versions in every format, principles, diffs and the consumption registry.

Drafts never leave through the API, and nothing here can write to a version: the only write is
a consumption record, which points at a published version.
"""

from django.db.models import Count, OuterRef, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.response import Response

from api.authentication import (
    check_context_access,
    context_for,
    readable_contexts,
)
from api.common import PaginatedView, PolityAPIView, etag_matches, paginate
from api.published import rendered
from api.schema import REFUSALS
from api.serializers import (
    ConsumptionRequestSerializer,
    ConsumptionSerializer,
    ContextSerializer,
    VersionSerializer,
)
from constitutions.diff import PARTS, diff_documents
from constitutions.models import ApiToken, ConstitutionVersion
from constitutions.readers import published_version
from constitutions.renderers import FORMATS, TRAINING_FORMATS
from constitutions.renderers.canonical import stored_document
from constitutions.renderers.common import parse_parts
from constitutions.services.consumption import record_consumption
from constitutions.services.publishing import latest_published
from deliberation.text import clean_text

IMMUTABLE = "max-age=31536000, immutable"


def _published_versions(context):
    return (
        ConstitutionVersion.objects.published()
        .filter(constitution__context=context)
        .select_related("parent", "constitution__context")
        .annotate(consumer_count=Count("consumptions"))
    )


def _version(context, number: str) -> ConstitutionVersion:
    if number == "latest":
        latest = latest_published(getattr(getattr(context, "constitution", None), "pk", None))
        if latest is None:
            raise Http404
        return latest
    return get_object_or_404(_published_versions(context), number=number)


def _query_text(request, name: str) -> str:
    """A text filter, cleaned: a NUL byte reached PostgreSQL, which refuses it in text (a 500);
    now any control character is a 400 with the reason."""
    raw = request.query_params.get(name, "")
    return clean_text(raw, max_length=200, field=name) if raw.strip() else ""


class ContextList(PaginatedView):
    @extend_schema(
        parameters=[
            OpenApiParameter("search", str, description="Words in the title or description."),
            OpenApiParameter("domain", str, description="Exact domain."),
            OpenApiParameter(
                "has_constitution", bool, description="Only with a published version."
            ),
        ],
        responses={200: ContextSerializer(many=True), 400: REFUSALS["400"]},
    )
    def get(self, request):
        contexts = readable_contexts(request).order_by("title", "id")
        if search := _query_text(request, "search"):
            contexts = contexts.filter(title__icontains=search) | contexts.filter(
                description__icontains=search
            )
        if domain := _query_text(request, "domain"):
            contexts = contexts.filter(domain=domain)
        if request.query_params.get("has_constitution") in {"true", "1"}:
            contexts = contexts.filter(constitution__versions__published_at__isnull=False)
        latest = (
            ConstitutionVersion.objects.published()
            .filter(constitution__context=OuterRef("pk"))
            .order_by("-published_at")
            .values("number")[:1]
        )
        contexts = contexts.distinct().annotate(latest_number=Subquery(latest))
        page = self.paginator.paginate_queryset(contexts, request, view=self)
        data = ContextSerializer(page, many=True, context={"request": request}).data
        return self.paginator.get_paginated_response(data)


class ContextDetail(PolityAPIView):
    @extend_schema(responses=ContextSerializer)
    def get(self, request, slug):
        context = context_for(request, slug, ApiToken.Scope.CONSTITUTIONS)
        latest = latest_published(getattr(getattr(context, "constitution", None), "pk", None))
        context.latest_number = latest.number if latest else None
        return Response(ContextSerializer(context, context={"request": request}).data)


class VersionList(PaginatedView):
    @extend_schema(responses=VersionSerializer(many=True))
    def get(self, request, slug):
        context = context_for(request, slug, ApiToken.Scope.CONSTITUTIONS)
        versions = _published_versions(context).order_by("-published_at", "-id")
        page = self.paginator.paginate_queryset(versions, request, view=self)
        data = VersionSerializer(page, many=True, context={"request": request}).data
        return self.paginator.get_paginated_response(data)


class FormatNegotiation(DefaultContentNegotiation):
    """`?format=` chooses the body's type, and the view checks the Accept header against it;
    DRF's own negotiation knows only its JSON renderer and refused text/markdown with a 406."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class VersionDetail(PolityAPIView):
    """One published version; `latest` is the highest published number."""

    content_negotiation_class = FormatNegotiation

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "format", str, enum=list(FORMATS), default="json", description="Representation."
            ),
            OpenApiParameter(
                "parts",
                str,
                default="consensus",
                description="Training formats only (hf-cai, anthropic-cai, rlaif, system-prompt): "
                "the parts to train on, `consensus`, `group` or `consensus,group`.",
            ),
        ],
        # The body's shape depends on `format`: a JSON document or list, Markdown, JSON Lines.
        responses={
            (200, "application/json"): OpenApiTypes.ANY,
            (200, "text/markdown"): OpenApiTypes.STR,
            (200, "application/x-ndjson"): OpenApiTypes.STR,
            (200, "text/plain"): OpenApiTypes.STR,
            304: None,
            400: REFUSALS["400"],
            406: REFUSALS["400"],
            409: REFUSALS["400"],
        },
    )
    def get(self, request, slug, version):
        chosen = published_version(slug, version)
        if chosen is None:
            # Unknown, unreadable or unpublished: the same answers as every other endpoint.
            context_for(request, slug, ApiToken.Scope.CONSTITUTIONS)
            raise Http404
        context = chosen.context
        check_context_access(request, context, ApiToken.Scope.CONSTITUTIONS)
        name = request.query_params.get("format", "json")
        if name not in FORMATS:
            return Response(
                {
                    "detail": _("Unknown format. Choose one of: %(formats)s.")
                    % {"formats": ", ".join(FORMATS)}
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        chosen_format = FORMATS[name]
        media_type = chosen_format.media_type.split(";")[0]
        if not request.accepts(media_type):
            return Response(
                {
                    "detail": _(
                        "The %(format)s format is %(type)s, which the Accept header does not "
                        "allow. Accept %(type)s (or */*), or choose another ?format=."
                    )
                    % {"format": name, "type": media_type}
                },
                status=status.HTTP_406_NOT_ACCEPTABLE,
            )
        raw_parts = request.query_params.get("parts")
        if raw_parts is not None and not chosen_format.trains:
            return Response(
                {
                    "detail": _(
                        "?parts= applies to the training formats (%(formats)s); %(format)s is "
                        "always the complete version."
                    )
                    % {"formats": ", ".join(TRAINING_FORMATS), "format": name}
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        parts = parse_parts(raw_parts)
        etag = f'"{chosen.content_sha256}"'
        headers = {
            "ETag": etag,
            "Vary": "Authorization",
            "X-Polity-Constitution": str(chosen.constitution_id),
            "X-Polity-Version": chosen.number,
            "X-Polity-Content-SHA256": chosen.content_sha256,
            # A numbered version never changes; "latest" may move to a newer one.
            "Cache-Control": ("public, " if context.is_public else "private, ")
            + (IMMUTABLE if version != "latest" else "no-cache"),
        }
        if etag_matches(request, etag):
            response = HttpResponse(status=status.HTTP_304_NOT_MODIFIED)
        else:
            body = rendered(chosen, name, parts)
            response = HttpResponse(body, content_type=chosen_format.media_type)
            filename = f"{context.slug}-{chosen.number}.{chosen_format.extension}"
            headers["Content-Disposition"] = f'inline; filename="{filename}"'
        for header, value in headers.items():
            response[header] = value
        return response


class PrincipleList(PaginatedView):
    @extend_schema(
        parameters=[OpenApiParameter("part", str, enum=["consensus", "group", "contested"])],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request, slug, version):
        context = context_for(request, slug, ApiToken.Scope.CONSTITUTIONS)
        document = stored_document(_version(context, version))
        wanted = request.query_params.get("part")
        items = [
            {"part": part.split("_")[0], **principle}
            for part in PARTS
            if wanted in (None, part.split("_")[0])
            for principle in document[part]
        ]
        return paginate(self, items)


class VersionDiff(PolityAPIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, slug, version, other):
        context = context_for(request, slug, ApiToken.Scope.CONSTITUTIONS)
        old, new = _version(context, version), _version(context, other)
        return Response(diff_documents(stored_document(old), stored_document(new)))


class ConsumptionList(PaginatedView):
    @extend_schema(responses=ConsumptionSerializer(many=True))
    def get(self, request, slug, version):
        context = context_for(request, slug, ApiToken.Scope.CONSTITUTIONS)
        consumptions = _version(context, version).consumptions.select_related("version")
        page = self.paginator.paginate_queryset(consumptions, request, view=self)
        return self.paginator.get_paginated_response(ConsumptionSerializer(page, many=True).data)


class ConsumptionCreate(PolityAPIView):
    """A training or evaluation job records which version (and hash) it used."""

    @extend_schema(request=ConsumptionRequestSerializer, responses={201: ConsumptionSerializer})
    def post(self, request):
        if not isinstance(request.auth, ApiToken):
            raise exceptions.NotAuthenticated(_("Recording a use needs an API token."))
        data = ConsumptionRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        context = context_for(request, data.validated_data["context"], ApiToken.Scope.CONSTITUTIONS)
        version = _version(context, data.validated_data["version"])
        consumption = record_consumption(
            version=version,
            token=request.auth,
            content_sha256=data.validated_data["content_sha256"],
            job_name=data.validated_data["job_name"],
            kind=data.validated_data["kind"],
            url=data.validated_data.get("url", ""),
        )
        return Response(ConsumptionSerializer(consumption).data, status=status.HTTP_201_CREATED)
