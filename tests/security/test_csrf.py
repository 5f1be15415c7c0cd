"""Cross-site request forgery: every state-changing endpoint, HTML and API, refuses a request from
another site, anonymous votes included.

The table below classifies every route of the URLconf as state-changing (with a request that
succeeds when sent from our own pages: the positive control) or read-only. A new route fails
`test_csrf_table_classifies_every_route` until it is classified, so none can be forgotten.

The API is different by design. DRF's views are CSRF-exempt and the API authenticates only by an
`Authorization: Bearer` header: CSRF works by making a browser send its *ambient* credentials
(cookies) with a request another site composed, and a browser never adds an Authorization header
to a cross-site request on its own. So a forged request reaches the API with no credential at all;
what must hold is that a session cookie is not a credential there, which the last tests check.
"""

import io
from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.core import signing
from django.test import Client, override_settings

from constitutions.models import Consumption, Part
from deliberation.identity.cookie import PARTICIPANT_COOKIE, PARTICIPANT_COOKIE_SALT
from deliberation.services.questions import ChoiceSpec, define_question
from tests.security.routes import database_state, url_for
from tests.security.urlconf import all_routes

ADMIN_PASSWORD = "a-long-administrator-password"
CROSS_SITE = {
    "HTTP_ORIGIN": "https://attacker.example",
    "HTTP_REFERER": "https://attacker.example/",
}


def _merge(world):
    ids = world.a.draft.principles.exclude(part=Part.CONTESTED).values_list("id", flat=True)[:2]
    return {"principles": [str(pk) for pk in ids], "text": "Merged.", "reason": "Same idea."}


# Route -> who sends it, and the form data. Senders: "admin", a signed-in superuser;
# "facilitator", side A's, signed in; "participant", the browser of side A's participant;
# "visitor", a browser that has not joined; "anonymous", signed out.
STATE_CHANGING = {
    "frontend:join": ("visitor", lambda w: {"invite": w.a.invite}),
    "frontend:vote": ("visitor", lambda w: {"statement": w.a.statement.pk, "value": "1"}),
    "frontend:change-vote": ("participant", lambda w: {"value": "0"}),
    "frontend:write": ("visitor", lambda w: {"text": "The assistant should name its sources."}),
    "frontend:delete-data": ("participant", lambda w: {"confirm": "on"}),
    "frontend:about-you": ("participant", lambda w: {"skip": "1"}),
    "frontend:constitution-ratification": ("admin", lambda w: {"action": "open"}),
    "frontend:facilitate-process": (
        "admin",
        lambda w: {"form": "channel", "name": "Newsletter", "kind": "public"},
    ),
    "frontend:switch": ("participant", lambda w: {"invite": w.a.invite}),
    "frontend:login": (
        "anonymous",
        lambda w: {"username": "csrf-admin", "password": ADMIN_PASSWORD},
    ),
    "frontend:logout": ("admin", lambda w: {}),
    "frontend:facilitate-context-create": (
        "admin",
        lambda w: {"title": "New context", "slug": "new-context", "is_public": "on"},
    ),
    "frontend:facilitate-context-edit": ("admin", lambda w: {"title": "Renamed context"}),
    "frontend:facilitate-conversation-create": (
        "admin",
        lambda w: {
            "topic": "A new conversation",
            "state": "open",
            "moderation": "strict",
            "identity_mode": "anonymous",
        },
    ),
    "frontend:facilitate-conversation-edit": (
        "admin",
        lambda w: {
            "topic": "Renamed conversation",
            "state": "closed",
            "moderation": "strict",
            "identity_mode": "anonymous",
        },
    ),
    "frontend:facilitate-conversation-state": (
        "admin",
        lambda w: {"state": "closed", "confirm": "yes"},
    ),
    "frontend:facilitate-invite-create": ("admin", lambda w: {"label": "x", "single_use": "on"}),
    "frontend:facilitate-invite-revoke": ("admin", lambda w: {}),
    "frontend:facilitate-xid-signing": ("admin", lambda w: {"required": "on"}),
    "frontend:facilitate-xid-key": ("admin", lambda w: {}),
    "frontend:facilitate-seed": ("admin", lambda w: {"text": "The assistant should be brief."}),
    "frontend:facilitate-seed-csv": (
        "admin",
        lambda w: {"file": _csv("text\nThe assistant should answer in French when asked.\n")},
    ),
    "frontend:facilitate-statement-accept": ("admin", lambda w: {}),
    "frontend:facilitate-statement-reject": ("admin", lambda w: {"reason": "Off topic."}),
    "frontend:facilitate-statement-meta": ("admin", lambda w: {"is_meta": "on"}),
    "frontend:facilitate-participant-exclude": (
        "admin",
        lambda w: {"reason": "Spam.", "confirm": "yes"},
    ),
    "frontend:facilitate-participant-readmit": ("admin", lambda w: {}),
    "frontend:constitution-compile": (
        "admin",
        lambda w: {
            "conversations": [str(w.a.conversation.pk)],
            "rule": "gic",
            "threshold": "0.5",
            "min_votes_per_group": "1",
        },
    ),
    "frontend:constitution-webhook-add": ("admin", lambda w: {"url": "http://127.0.0.1:9/hook"}),
    "frontend:constitution-webhook-remove": ("admin", lambda w: {}),
    "frontend:constitution-merge": ("admin", _merge),
    "frontend:constitution-publish": (
        "admin",
        lambda w: {"number": "1.1.0", "changelog": "Second version."},
    ),
    "frontend:constitution-discard": ("admin", lambda w: {"confirm": "yes"}),
    "frontend:constitution-principle": (
        "admin",
        lambda w: {"text": "Choose the response that cites the catalogue.", "reason": "Clearer."},
    ),
    "frontend:constitution-tokens": (
        "admin",
        lambda w: {"name": "new token", "scope": "raw", "days": "30"},
    ),
    "frontend:constitution-token-revoke": ("facilitator", lambda w: {}),
    "frontend:constitution-scenario-edit": (
        "admin",
        lambda w: {"conversation": "When does it close?", "reason": "Clearer."},
    ),
    "frontend:constitution-scenario-drop": ("admin", lambda w: {"reason": "Off topic."}),
    "frontend:constitution-proposal": ("admin", lambda w: {"reason": "Not a situation."}),
    "frontend:constitution-propose": ("visitor", lambda w: {"text": "A child asks for a map."}),
}
# Token-authenticated, cookie-blind: see the module docstring and the tests at the end.
API_WRITES = {"api:consumption-create"}
# Write only once something is set up first (a screening question, a verdict that flips under
# weighting, an open ratification): the tests below and tests/frontend/test_process_csrf.py.
SET_UP_FIRST = {"frontend:screening", "frontend:constitution-weighting", "frontend:ratify"}
READ_ONLY = {
    "healthz",
    # The language switcher writes only its own cookie; its CSRF refusal is checked in
    # tests/frontend/test_languages.py.
    "set_language",
    "api-schema",
    "api-docs",
    "frontend:home",
    "frontend:participate",
    "frontend:how-it-works",
    "frontend:my-votes",
    "frontend:my-data",
    "frontend:results",
    "frontend:results-poll",
    "frontend:results-status",
    "frontend:facilitate-home",
    "frontend:facilitate-context",
    "frontend:facilitate-conversation",
    "frontend:facilitate-queue",
    "frontend:facilitate-statements",
    "frontend:facilitate-participants",
    "frontend:facilitate-conversation-preview",
    "frontend:facilitate-conversation-qr",
    "frontend:constitution-facilitate",
    "frontend:constitution-draft",
    "frontend:constitution",
    "frontend:constitution-version",
    "frontend:constitution-diff",
    "frontend:facilitate-who-took-part",
    "frontend:who-took-part",
    *(r.name for r in all_routes() if r.name.startswith("api:")),
} - API_WRITES


def _csv(text: str):
    upload = io.BytesIO(text.encode())
    upload.name = "seeds.csv"
    return upload


def _route(name):
    return next(route for route in all_routes() if route.name == name)


def _client(world, actor: str, *, cross_site: bool) -> Client:
    client = Client(enforce_csrf_checks=cross_site)
    if actor in ("admin", "facilitator"):
        client.force_login(world.admin if actor == "admin" else world.a.facilitator)
    if actor == "participant":
        side = world.a
        client.cookies[PARTICIPANT_COOKIE] = signing.dumps(
            {side.conversation.public_id: side.participant.pk},
            salt=PARTICIPANT_COOKIE_SALT,
            compress=True,
        )
    return client


@pytest.fixture
def admin_world(world, db):
    world.admin = get_user_model().objects.create_superuser("csrf-admin", password=ADMIN_PASSWORD)
    return world


def test_csrf_table_classifies_every_route():
    names = {route.name for route in all_routes()}
    classified = set(STATE_CHANGING) | API_WRITES | READ_ONLY | SET_UP_FIRST
    assert names - classified == set(), "classify these routes in tests/security/test_csrf.py"
    assert classified - names == set(), "these routes no longer exist"


@pytest.mark.parametrize("name", sorted(STATE_CHANGING))
@override_settings(POLITY_WEBHOOKS_ALLOW_PRIVATE=True)
def test_csrf_cross_site_post_is_refused_and_writes_nothing(admin_world, name):
    actor, data = STATE_CHANGING[name]
    url = url_for(_route(name), admin_world.a)
    forger = _client(admin_world, actor, cross_site=True)
    before = database_state()
    forged = forger.post(url, data(admin_world), **CROSS_SITE)
    assert forged.status_code == HTTPStatus.FORBIDDEN
    assert database_state() == before
    # The same request from our own pages goes through: the refusal above was the CSRF check.
    genuine = _client(admin_world, actor, cross_site=False)
    before = database_state()
    genuine = genuine.post(url, data(admin_world))
    assert genuine.status_code < HTTPStatus.BAD_REQUEST, genuine.content[:500]
    assert database_state() != before


@pytest.mark.parametrize("name", sorted(READ_ONLY))
def test_csrf_read_only_routes_write_nothing_on_get_or_post(admin_world, name):
    url = url_for(_route(name), admin_world.a)
    for actor in ("admin", "participant", "visitor"):
        client = _client(admin_world, actor, cross_site=False)
        before = database_state()
        client.get(url)
        client.post(url, {"value": "1", "statement": admin_world.a.statement.pk})
        assert database_state() == before, actor


def test_csrf_api_ignores_a_session_cookie(admin_world):
    """A signed-in facilitator's browser, driven by another site, cannot record a consumption."""
    body = {
        "context": admin_world.a.context.slug,
        "version": admin_world.a.published.number,
        "content_sha256": admin_world.a.published.content_sha256,
        "job_name": "forged job",
        "kind": "training",
    }
    url = url_for(_route("api:consumption-create"), admin_world.a)
    for cross_site in (True, False):
        client = _client(admin_world, "admin", cross_site=cross_site)
        response = client.post(url, body, content_type="application/json", **CROSS_SITE)
        assert response.status_code == HTTPStatus.UNAUTHORIZED
        assert "token" in response.json()["detail"]
    assert not Consumption.objects.exists()
    # With the token itself (which no browser sends cross-site) the same request is recorded.
    token = {"HTTP_AUTHORIZATION": f"Bearer {admin_world.tokens['constitutions']}"}
    response = Client(enforce_csrf_checks=True).post(
        url, body, content_type="application/json", **token
    )
    assert response.status_code == HTTPStatus.CREATED
    assert Consumption.objects.count() == 1


def test_csrf_cross_site_screening_is_refused_and_counts_nothing(admin_world):
    define_question(
        context=admin_world.a.context,
        kind="screening",
        key="adult",
        text="Are you 18 or over?",
        choices=[ChoiceSpec("yes", "Yes"), ChoiceSpec("no", "No", eligible=False)],
    )
    url = url_for(_route("frontend:screening"), admin_world.a)
    before = database_state()
    forged = _client(admin_world, "visitor", cross_site=True).post(
        url, {"adult": "yes"}, **CROSS_SITE
    )
    assert forged.status_code == HTTPStatus.FORBIDDEN
    assert database_state() == before
    genuine = _client(admin_world, "visitor", cross_site=False).post(url, {"adult": "yes"})
    assert genuine.status_code == HTTPStatus.SEE_OTHER
    assert database_state() != before
