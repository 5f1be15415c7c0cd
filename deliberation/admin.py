"""The Django admin over the deliberation domain, read-mostly.

Facilitation happens in the facilitator pages, where every change goes through a service and
lands in the audit log. Here only a context's and a conversation's own settings can be
changed; votes, their history, statements, participants, invites, the audit log and analysis
snapshots can be looked at, never written, and nothing can be deleted (a deleted conversation
would take its votes with it).
"""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.core.exceptions import FieldDoesNotExist, ValidationError

from deliberation.models import (
    AnalysisSnapshot,
    Context,
    Conversation,
    Invite,
    ModerationAction,
    Participant,
    Statement,
    Vote,
    VoteEvent,
)


class ValidatedChangeList(ChangeList):
    """A list page whose filter and search values are checked before any query runs.

    A NUL byte reached PostgreSQL (which refuses it in text) and gave a 500; a value outside a
    field's choices matched nothing silently. Both now get the admin's own "incorrect lookup"
    answer (a redirect to `?e=1`).
    """

    def get_queryset(self, request, exclude_parameters=None):
        for key, values in request.GET.lists():
            for value in values:
                if "\x00" in value:
                    raise IncorrectLookupParameters(f"{key} holds a NUL byte")
                self._check_choice(key, value)
        return super().get_queryset(request, exclude_parameters)

    def _check_choice(self, key: str, value: str) -> None:
        path = key.removesuffix("__exact")
        try:
            field = get_fields_from_path(self.model, path)[-1]
        except (FieldDoesNotExist, ValueError):
            return  # not a field lookup (paging, ordering, search): Django checks those
        if field.choices and not field.is_relation:
            try:
                field.validate(field.to_python(value), None)
            except ValidationError as error:
                raise IncorrectLookupParameters(error) from None


class ValidatedFiltersAdmin(admin.ModelAdmin):
    def get_changelist(self, request, **kwargs):
        return ValidatedChangeList


# Accounts' list pages search and filter too: the same checks.
admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class PolityUserAdmin(ValidatedFiltersAdmin, UserAdmin):
    pass


@admin.register(Group)
class PolityGroupAdmin(ValidatedFiltersAdmin, GroupAdmin):
    pass


class NoDeleteAdmin(ValidatedFiltersAdmin):
    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(NoDeleteAdmin):
    # Big tables (votes, events) must not be counted in full on every list page.
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Context)
class ContextAdmin(NoDeleteAdmin):
    list_display = ("title", "slug", "domain", "is_public", "updated_at")
    list_filter = ("is_public",)
    search_fields = ("title", "slug", "domain")
    readonly_fields = ("slug", "created_at", "updated_at")
    filter_horizontal = ("facilitators",)


@admin.register(Conversation)
class ConversationAdmin(NoDeleteAdmin):
    list_display = ("topic", "context", "state", "moderation", "identity_mode", "created_at")
    list_filter = ("state", "moderation", "identity_mode")
    list_select_related = ("context",)
    search_fields = ("topic", "public_id")
    # Opening and closing, and requiring signed external ids, are logged actions: they go
    # through the facilitator pages. The signing key is a secret, shown there to facilitators.
    # Who may take part changes only on the facilitator's page, which writes the audit log.
    readonly_fields = (
        "context",
        "public_id",
        "state",
        "moderation",
        "participants_can_write",
        "identity_mode",
        "xid_allowlist",
        "xid_signed",
        "created_at",
        "updated_at",
    )
    exclude = ("xid_key",)

    def has_add_permission(self, request):
        return False


@admin.register(Statement)
class StatementAdmin(ReadOnlyAdmin):
    list_display = ("text", "conversation", "state", "is_seed", "is_meta", "created_at")
    list_filter = ("state", "is_seed", "is_meta")
    list_select_related = ("conversation",)
    search_fields = ("text",)


@admin.register(Participant)
class ParticipantAdmin(ReadOnlyAdmin):
    list_display = ("id", "conversation", "kind", "excluded_at", "created_at")
    list_filter = ("kind",)
    list_select_related = ("conversation",)
    # Ids vouched for by an embedding site or kept from another platform point at real people.
    exclude = ("xid", "external_id")


@admin.register(Invite)
class InviteAdmin(ReadOnlyAdmin):
    list_display = ("label", "conversation", "single_use", "uses", "revoked_at", "created_at")
    list_select_related = ("conversation",)
    exclude = ("token_sha256",)


@admin.register(Vote)
class VoteAdmin(ReadOnlyAdmin):
    list_display = ("id", "conversation", "participant", "statement_id", "value", "updated_at")
    list_filter = ("value",)
    list_select_related = ("conversation", "participant")


@admin.register(VoteEvent)
class VoteEventAdmin(ReadOnlyAdmin):
    list_display = ("id", "conversation", "participant", "statement_id", "value", "created_at")
    list_filter = ("value",)
    list_select_related = ("conversation", "participant")


@admin.register(ModerationAction)
class ModerationActionAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "conversation", "actor", "action", "reason")
    list_filter = ("action",)
    list_select_related = ("conversation", "actor")


@admin.register(AnalysisSnapshot)
class AnalysisSnapshotAdmin(ReadOnlyAdmin):
    list_display = ("id", "conversation", "algorithm", "participant_count", "vote_count", "seconds")
    list_select_related = ("conversation",)
    # The result can be megabytes of JSON; the API serves it, the admin lists the facts.
    exclude = ("result", "state")
