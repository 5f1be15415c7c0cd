from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.decorators.cache import never_cache

from frontend.login_throttle import ThrottledLoginView
from frontend.views.facilitate import contexts, conversations, moderation, participants

# Everything a facilitator does, under /facilitate/. Conversations are addressed by public id,
# statements and participants only within their conversation.
CONVERSATION = "conversations/<str:public_id>/"
STATEMENT = CONVERSATION + "statements/<int:statement_id>/"
PARTICIPANT = CONVERSATION + "participants/<int:participant_id>/"

urlpatterns = [
    path("login/", ThrottledLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", contexts.home, name="facilitate-home"),
    path("new-context/", contexts.context_create, name="facilitate-context-create"),
    path("contexts/<slug:slug>/", contexts.context_detail, name="facilitate-context"),
    path("contexts/<slug:slug>/edit/", contexts.context_edit, name="facilitate-context-edit"),
    path(
        "contexts/<slug:slug>/conversations/new/",
        conversations.conversation_create,
        name="facilitate-conversation-create",
    ),
    path(CONVERSATION, conversations.conversation_detail, name="facilitate-conversation"),
    path(
        CONVERSATION + "edit/", conversations.conversation_edit, name="facilitate-conversation-edit"
    ),
    path(
        CONVERSATION + "state/",
        conversations.conversation_state,
        name="facilitate-conversation-state",
    ),
    path(CONVERSATION + "invites/", conversations.invite_create, name="facilitate-invite-create"),
    path(
        CONVERSATION + "invites/<int:invite_id>/revoke/",
        conversations.invite_revoke,
        name="facilitate-invite-revoke",
    ),
    path(
        CONVERSATION + "external-ids/signing/",
        conversations.xid_signing,
        name="facilitate-xid-signing",
    ),
    path(
        CONVERSATION + "external-ids/key/",
        conversations.xid_key_regenerate,
        name="facilitate-xid-key",
    ),
    path(CONVERSATION + "seed/", conversations.seed, name="facilitate-seed"),
    path(CONVERSATION + "seed/csv/", conversations.seed_csv, name="facilitate-seed-csv"),
    path(CONVERSATION + "moderation/", moderation.queue, name="facilitate-queue"),
    path(CONVERSATION + "statements/", moderation.statement_list, name="facilitate-statements"),
    path(STATEMENT + "accept/", moderation.statement_accept, name="facilitate-statement-accept"),
    path(STATEMENT + "reject/", moderation.statement_reject, name="facilitate-statement-reject"),
    path(STATEMENT + "meta/", moderation.statement_meta, name="facilitate-statement-meta"),
    path(
        CONVERSATION + "participants/",
        participants.participant_list,
        name="facilitate-participants",
    ),
    path(
        PARTICIPANT + "exclude/",
        participants.participant_exclude,
        name="facilitate-participant-exclude",
    ),
    path(
        PARTICIPANT + "readmit/",
        participants.participant_readmit,
        name="facilitate-participant-readmit",
    ),
]

# Facilitator pages show drafts, invite links and signing keys: no browser or proxy may keep one.
for pattern in urlpatterns:
    pattern.callback = never_cache(pattern.callback)
