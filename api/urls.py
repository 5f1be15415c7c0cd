"""The public API under /api/v1/ (namespace "api"), included by config/urls.py."""

from django.urls import path

from api.views import constitutions, conversations

app_name = "api"

VERSION = "contexts/<slug:slug>/constitution/versions/<str:version>/"
CONVERSATION = "contexts/<slug:slug>/conversations/<str:conversation>/"

urlpatterns = [
    path("contexts/", constitutions.ContextList.as_view(), name="context-list"),
    path("contexts/<slug:slug>/", constitutions.ContextDetail.as_view(), name="context-detail"),
    path(
        "contexts/<slug:slug>/constitution/versions/",
        constitutions.VersionList.as_view(),
        name="version-list",
    ),
    path(VERSION, constitutions.VersionDetail.as_view(), name="version-detail"),
    path(f"{VERSION}principles/", constitutions.PrincipleList.as_view(), name="principle-list"),
    path(f"{VERSION}diff/<str:other>/", constitutions.VersionDiff.as_view(), name="version-diff"),
    path(
        f"{VERSION}consumptions/", constitutions.ConsumptionList.as_view(), name="consumption-list"
    ),
    path("consumptions", constitutions.ConsumptionCreate.as_view(), name="consumption-create"),
    path(
        "contexts/<slug:slug>/conversations/",
        conversations.ConversationList.as_view(),
        name="conversation-list",
    ),
    path(CONVERSATION, conversations.ConversationDetail.as_view(), name="conversation-detail"),
    path(f"{CONVERSATION}snapshots/", conversations.SnapshotList.as_view(), name="snapshot-list"),
    path(
        f"{CONVERSATION}snapshots/<int:snapshot>/",
        conversations.SnapshotDetail.as_view(),
        name="snapshot-detail",
    ),
    path(f"{CONVERSATION}votes/", conversations.VoteExport.as_view(), name="vote-export"),
    path(
        f"{CONVERSATION}statements/",
        conversations.StatementExport.as_view(),
        name="statement-export",
    ),
]
