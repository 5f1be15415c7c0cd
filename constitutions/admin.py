"""The admin shows constitutions for inspection only: versions and principles change through the
curation pages (drafts) or not at all (published), never through generic admin forms."""

from django.contrib import admin

from constitutions.models import (
    ApiToken,
    ConstitutionVersion,
    Consumption,
    Principle,
    WebhookDelivery,
    WebhookSubscriber,
)
from deliberation.admin import ValidatedFiltersAdmin


class ReadOnlyAdmin(ValidatedFiltersAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ConstitutionVersion)
class VersionAdmin(ReadOnlyAdmin):
    list_display = ["constitution", "number", "published_at", "content_sha256"]
    list_filter = ["published_at"]


@admin.register(Principle)
class PrincipleAdmin(ReadOnlyAdmin):
    list_display = ["text", "part", "version"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = ["subscriber", "version", "status", "attempts", "response_code", "created_at"]


@admin.register(Consumption)
class ConsumptionAdmin(ReadOnlyAdmin):
    list_display = ["job_name", "kind", "version", "created_at"]


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["name", "user", "scope", "prefix", "expires_at", "revoked_at"]
    exclude = ["token_sha256"]


@admin.register(WebhookSubscriber)
class WebhookSubscriberAdmin(ReadOnlyAdmin):
    list_display = ["url", "context", "is_active"]
    exclude = ["secret"]
