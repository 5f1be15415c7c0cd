"""Constitution pages: the facilitation area under /facilitate/, published versions for everyone."""

from django.urls import path

from frontend.languages import in_context_language
from frontend.views import constitutions as views
from frontend.views import process_constitution, process_report, process_setup, scenarios, tokens

FACILITATE = "facilitate/contexts/<slug:slug>/constitution/"
DRAFT = FACILITATE + "drafts/<int:version_id>/"
PUBLIC = "contexts/<slug:slug>/constitution/"

urlpatterns = [
    path(FACILITATE, views.facilitate, name="constitution-facilitate"),
    path(FACILITATE + "compile/", views.compile_view, name="constitution-compile"),
    path(FACILITATE + "webhooks/", views.webhook_add, name="constitution-webhook-add"),
    path(
        FACILITATE + "webhooks/<int:subscriber_id>/remove/",
        views.webhook_remove,
        name="constitution-webhook-remove",
    ),
    path(DRAFT, views.draft, name="constitution-draft"),
    path(DRAFT + "merge/", views.merge, name="constitution-merge"),
    path(DRAFT + "publish/", views.publish, name="constitution-publish"),
    path(DRAFT + "discard/", views.discard, name="constitution-discard"),
    path(
        DRAFT + "weighting/",
        process_constitution.weighting_decision,
        name="constitution-weighting",
    ),
    path(
        DRAFT + "ratification/",
        process_constitution.ratification,
        name="constitution-ratification",
    ),
    path(
        DRAFT + "principles/<int:principle_id>/<slug:name>/",
        views.principle_action,
        name="constitution-principle",
    ),
    path(
        DRAFT + "scenarios/<int:scenario_id>/edit/",
        scenarios.scenario_edit,
        name="constitution-scenario-edit",
    ),
    path(
        DRAFT + "scenarios/<int:scenario_id>/drop/",
        scenarios.scenario_drop,
        name="constitution-scenario-drop",
    ),
    path(
        DRAFT + "proposals/<int:proposal_id>/<slug:decision>/",
        scenarios.proposal_moderate,
        name="constitution-proposal",
    ),
    path(
        "facilitate/contexts/<slug:slug>/who-took-part/",
        process_report.representativeness,
        name="facilitate-who-took-part",
    ),
    path(
        "facilitate/contexts/<slug:slug>/process/",
        process_setup.process_setup,
        name="facilitate-process",
    ),
    path("contexts/<slug:slug>/who-took-part/", process_report.who_took_part, name="who-took-part"),
    path("facilitate/tokens/", tokens.tokens, name="constitution-tokens"),
    path(
        "facilitate/tokens/<int:token_id>/revoke/",
        tokens.token_revoke,
        name="constitution-token-revoke",
    ),
    # Public pages: in the visitor's language, matched to the context's (frontend/languages.py).
    path(PUBLIC, in_context_language(views.current), name="constitution"),
    path(
        PUBLIC + "<str:number>/",
        in_context_language(views.version_page),
        name="constitution-version",
    ),
    path(
        PUBLIC + "<str:number>/diff/<str:other>/",
        in_context_language(views.diff),
        name="constitution-diff",
    ),
    path(
        PUBLIC + "<str:number>/principles/<slug:key>/propose/",
        in_context_language(scenarios.propose),
        name="constitution-propose",
    ),
]
