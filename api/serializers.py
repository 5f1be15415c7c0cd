from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from constitutions.models import AdherenceReport, ConstitutionVersion, Consumption
from deliberation.models import AnalysisSnapshot, Context


class ContextSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    versions_url = serializers.SerializerMethodField()
    latest_version = serializers.SerializerMethodField()

    class Meta:
        model = Context
        fields = [
            "slug",
            *Context.DESCRIPTION_FIELDS,
            "valid_from",
            "valid_until",
            "is_public",
            "url",
            "versions_url",
            "latest_version",
        ]

    def _absolute(self, name, **kwargs) -> str:
        return self.context["request"].build_absolute_uri(reverse(name, kwargs=kwargs))

    def get_url(self, context) -> str:
        return self._absolute("api:context-detail", slug=context.slug)

    def get_versions_url(self, context) -> str:
        return self._absolute("api:version-list", slug=context.slug)

    def get_latest_version(self, context) -> str | None:
        return getattr(context, "latest_number", None)


class VersionSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent.number", default=None, allow_null=True)
    url = serializers.SerializerMethodField()
    consumers = serializers.IntegerField(source="consumer_count", read_only=True)

    class Meta:
        model = ConstitutionVersion
        fields = [
            "id",
            "number",
            "content_sha256",
            "published_at",
            "parent",
            "changelog",
            "rule",
            "consumers",
            "url",
        ]

    def get_url(self, version) -> str:
        return self.context["request"].build_absolute_uri(
            reverse(
                "api:version-detail",
                kwargs={"slug": version.constitution.context.slug, "version": version.number},
            )
        )


class ConsumptionSerializer(serializers.ModelSerializer):
    version = serializers.CharField(source="version.number", read_only=True)

    class Meta:
        model = Consumption
        fields = ["id", "version", "content_sha256", "job_name", "kind", "url", "created_at"]


class ConsumptionRequestSerializer(serializers.Serializer):
    context = serializers.SlugField()
    version = serializers.CharField(max_length=40)
    content_sha256 = serializers.RegexField(r"^[0-9a-f]{64}$")
    job_name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Consumption.Kind.choices)
    url = serializers.URLField(required=False, allow_blank=True, max_length=500)


class ConversationSerializer(serializers.Serializer):
    id = serializers.CharField(source="public_id")
    topic = serializers.CharField()
    description = serializers.CharField()
    state = serializers.CharField()
    moderation = serializers.CharField()
    created_at = serializers.DateTimeField()
    participants = serializers.IntegerField(source="participant_count")
    votes = serializers.IntegerField(source="vote_count")
    statements = serializers.IntegerField(source="statement_count")
    accepted_statements = serializers.IntegerField(source="accepted_count")
    latest_snapshot = serializers.SerializerMethodField()

    def get_latest_snapshot(self, conversation) -> dict | None:
        snapshot = AnalysisSnapshot.objects.latest_for(conversation)
        if snapshot is None:
            return None
        return {
            "id": snapshot.pk,
            "created_at": snapshot.created_at.isoformat(),
            "algorithm": snapshot.algorithm,
            "groups": [
                {"group": g["id"], "size": g["size"]} for g in snapshot.result.get("groups", [])
            ],
            "participants": snapshot.participant_count,
            "votes": snapshot.vote_count,
        }


class SnapshotSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    algorithm = serializers.CharField()
    vote_watermark = serializers.IntegerField()
    participant_count = serializers.IntegerField()
    vote_count = serializers.IntegerField()
    created_at = serializers.DateTimeField()


class AdherenceResultSerializer(serializers.Serializer):
    principle = serializers.CharField(
        max_length=40, source="principle_key", help_text="The principle's key, like consensus-1."
    )
    samples = serializers.IntegerField(min_value=1, max_value=10**9)
    follow_share = serializers.FloatField(min_value=0, max_value=1)


class ReportedModelSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    revision = serializers.CharField(max_length=200, help_text="A revision, tag or weights hash.")


class AdherenceReportSerializer(serializers.ModelSerializer):
    version = serializers.CharField(source="version.number", read_only=True)
    content_sha256 = serializers.CharField(source="version.content_sha256", read_only=True)
    model = serializers.SerializerMethodField()
    reporter = serializers.CharField(source="reporter_name", read_only=True)
    results = AdherenceResultSerializer(many=True, read_only=True)

    class Meta:
        model = AdherenceReport
        fields = [
            "id",
            "version",
            "content_sha256",
            "model",
            "eval_sha256",
            "results",
            "url",
            "reporter",
            "created_at",
        ]

    @extend_schema_field(ReportedModelSerializer)
    def get_model(self, report) -> dict:
        return {"name": report.model_name, "revision": report.model_revision}


class AdherenceReportRequestSerializer(serializers.Serializer):
    content_sha256 = serializers.RegexField(
        r"^[0-9a-f]{64}$", help_text="The version's content SHA-256, as a check."
    )
    model = ReportedModelSerializer()
    eval_sha256 = serializers.RegexField(
        r"^[0-9a-f]{64}$", help_text="SHA-256 of the version's `?format=eval` body that was run."
    )
    results = AdherenceResultSerializer(many=True, allow_empty=False, max_length=1000)
    url = serializers.URLField(required=False, allow_blank=True, max_length=500)
