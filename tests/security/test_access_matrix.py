"""Object-level access, table-driven over every route of the URLconf.

- A facilitator of context A gets 404 for anything of context B (read a draft, moderate,
  compile, publish, ...), whatever the method, and nothing is written; B's facilitator, asking
  the same, is not refused (the positive control).
- A participant cannot see or change another participant's votes: the participant cookie is
  signed, and a forged, re-signed or foreign one is ignored.
- An API token reads what its scope allows, in contexts its owner may see, and nothing once
  expired or revoked.
Every route must be in exactly one class below; a new route fails the first test until it is.
"""

import json
from http import HTTPStatus

import pytest
from django.core import signing
from django.test import Client

from constitutions.models import ApiToken
from deliberation.identity.cookie import PARTICIPANT_COOKIE, PARTICIPANT_COOKIE_SALT
from deliberation.models import Vote
from tests.security.routes import database_state, url_for
from tests.security.urlconf import all_routes

# Routes whose objects belong to one context: only its facilitators reach them.
FACILITATED = {
    "frontend:facilitate-context",
    "frontend:facilitate-context-edit",
    "frontend:facilitate-conversation-create",
    "frontend:facilitate-conversation",
    "frontend:facilitate-conversation-edit",
    "frontend:facilitate-conversation-state",
    "frontend:facilitate-invite-create",
    "frontend:facilitate-invite-revoke",
    "frontend:facilitate-xid-signing",
    "frontend:facilitate-xid-key",
    "frontend:facilitate-seed",
    "frontend:facilitate-seed-csv",
    "frontend:facilitate-queue",
    "frontend:facilitate-statements",
    "frontend:facilitate-statement-accept",
    "frontend:facilitate-statement-reject",
    "frontend:facilitate-statement-meta",
    "frontend:facilitate-participants",
    "frontend:facilitate-conversation-preview",
    "frontend:facilitate-conversation-qr",
    "frontend:facilitate-participant-exclude",
    "frontend:facilitate-participant-readmit",
    "frontend:results-status",
    "frontend:constitution-facilitate",
    "frontend:constitution-compile",
    "frontend:constitution-webhook-add",
    "frontend:constitution-webhook-remove",
    "frontend:constitution-draft",
    "frontend:constitution-merge",
    "frontend:constitution-publish",
    "frontend:constitution-discard",
    "frontend:constitution-principle",
    "frontend:constitution-scenario-edit",
    "frontend:constitution-scenario-drop",
    "frontend:constitution-proposal",
    "frontend:constitution-token-revoke",  # a token belongs to its user
    "frontend:facilitate-who-took-part",
    "frontend:facilitate-process",
    "frontend:constitution-weighting",
    "frontend:constitution-ratification",
}
# Published constitutions: everyone's when the context is public, its facilitators' when private.
PUBLISHED = {
    "frontend:constitution",
    "frontend:constitution-version",
    "frontend:constitution-diff",
    "frontend:who-took-part",
}
# Proposing a scenario: a POST by anyone who may read the published version.
PROPOSE = {"frontend:constitution-propose"}
# Addressed by conversation: open to anyone with the link; what they show or change depends on
# the participant cookie (tested below).
PARTICIPANT = {
    "frontend:participate",
    "frontend:how-it-works",
    "frontend:join",
    "frontend:switch",
    "frontend:vote",
    "frontend:my-votes",
    "frontend:change-vote",
    "frontend:write",
    "frontend:my-data",
    "frontend:delete-data",
    "frontend:screening",
    "frontend:about-you",
    "frontend:ratify",
    "frontend:results",
    "frontend:results-poll",
}
# No object of a context in the address: lists filtered by who asks, or nothing private.
UNADDRESSED = {
    "healthz",
    "set_language",
    "api-schema",
    "api-docs",
    "frontend:home",
    "frontend:login",
    "frontend:logout",
    "frontend:facilitate-home",
    "frontend:facilitate-context-create",
    "frontend:constitution-tokens",
}
# API route -> the token scope it needs (None: public contexts are open without a token; "any":
# any live token, as recording a use reads nothing).
API = {
    "api:context-list": None,
    "api:context-detail": None,
    "api:version-list": None,
    "api:version-detail": None,
    "api:principle-list": None,
    "api:version-diff": None,
    "api:consumption-list": None,
    "api:consumption-create": "any",
    "api:report-list": None,  # GET; its POST (a `report` token) is in tests/api/test_reports.py
    "api:conversation-list": None,
    "api:conversation-detail": None,
    "api:snapshot-list": "raw",
    "api:snapshot-detail": "raw",
    "api:vote-export": "raw",
    "api:statement-export": "raw",
}
ROUTES = {route.name: route for route in all_routes()}


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _browser(mapping: dict, *, salt: str = PARTICIPANT_COOKIE_SALT, key=None) -> Client:
    client = Client()
    client.cookies[PARTICIPANT_COOKIE] = signing.dumps(mapping, salt=salt, key=key, compress=True)
    return client


def test_access_matrix_classifies_every_route():
    classes = [FACILITATED, PUBLISHED, PROPOSE, PARTICIPANT, UNADDRESSED, set(API)]
    classified = [name for names in classes for name in names]
    assert len(classified) == len(set(classified)), "a route is in two classes"
    assert set(ROUTES) - set(classified) == set(), "classify these routes in this module"
    assert set(classified) - set(ROUTES) == set(), "these routes no longer exist"


@pytest.mark.parametrize("name", sorted(FACILITATED))
def test_access_facilitator_of_a_gets_404_for_everything_of_b(world, db, name):
    url = url_for(ROUTES[name], world.b)
    outsider = _signed_in(world.a.facilitator)
    before = database_state()
    statuses = {outsider.get(url).status_code, outsider.post(url).status_code}
    assert HTTPStatus.NOT_FOUND in statuses
    assert statuses <= {HTTPStatus.NOT_FOUND, HTTPStatus.METHOD_NOT_ALLOWED}
    assert database_state() == before
    # B's own facilitator reaches the same address (POST-only routes answer GET with 405).
    assert _signed_in(world.b.facilitator).get(url).status_code != HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_access_published_versions_of_a_private_context_are_for_its_facilitators(world, db, name):
    url = url_for(ROUTES[name], world.b)
    assert Client().get(url).status_code == HTTPStatus.NOT_FOUND
    assert _signed_in(world.a.facilitator).get(url).status_code == HTTPStatus.NOT_FOUND
    assert _signed_in(world.b.facilitator).get(url).status_code == HTTPStatus.OK
    assert Client().get(url_for(ROUTES[name], world.a)).status_code == HTTPStatus.OK


def test_access_scenario_proposals_reach_only_readable_versions(world, db):
    data = {"text": "Someone asks for tomorrow's opening hours."}
    outsider = _signed_in(world.a.facilitator)
    before = database_state()
    private = url_for(ROUTES["frontend:constitution-propose"], world.b)
    assert Client().post(private, data).status_code == HTTPStatus.NOT_FOUND
    assert outsider.post(private, data).status_code == HTTPStatus.NOT_FOUND
    assert database_state() == before
    public = url_for(ROUTES["frontend:constitution-propose"], world.a)
    assert Client().post(public, data).status_code == HTTPStatus.FOUND
    assert database_state() != before


def test_access_facilitator_home_lists_only_own_contexts(world, db):
    body = _signed_in(world.a.facilitator).get(url_for(ROUTES["frontend:facilitate-home"], world.a))
    assert world.a.context.title in body.content.decode()
    assert world.b.context.title not in body.content.decode()


def test_access_only_staff_create_contexts(world, db):
    url = url_for(ROUTES["frontend:facilitate-context-create"], world.a)
    response = _signed_in(world.a.facilitator).post(url, {"title": "Mine", "slug": "mine"})
    assert response.status_code == HTTPStatus.FORBIDDEN


def test_access_token_page_lists_only_own_tokens(world, db):
    url = url_for(ROUTES["frontend:constitution-tokens"], world.a)
    body = _signed_in(world.a.facilitator).get(url).content.decode()
    assert world.a.token.name in body and world.b.token.name not in body


# --- Participants -------------------------------------------------------------------------


def _votes_of(participant) -> dict[int, int]:
    return dict(Vote.objects.filter(participant=participant).values_list("statement_id", "value"))


def _forged_browsers(world):
    """Browsers claiming side A's participant without its signature, or across conversations."""
    victim = {world.a.conversation.public_id: world.a.participant.pk}
    unsigned = Client()
    unsigned.cookies[PARTICIPANT_COOKIE] = json.dumps(victim)
    tampered = _browser(victim)
    value = tampered.cookies[PARTICIPANT_COOKIE].value
    tampered.cookies[PARTICIPANT_COOKIE] = value[:-2] + ("AA" if value[-2:] != "AA" else "BB")
    return {
        "unsigned": unsigned,
        "tampered": tampered,
        "other key": _browser(victim, key="not-the-secret-key-" * 3),
        "other salt": _browser(victim, salt="polity.another-purpose"),
        # B's participant id, genuinely signed, replayed on conversation A.
        "foreign": _browser({world.a.conversation.public_id: world.b.participant.pk}),
    }


@pytest.mark.parametrize("forgery", ["unsigned", "tampered", "other key", "other salt", "foreign"])
def test_access_forged_participant_cookie_is_ignored(world, db, forgery):
    victim = world.a.participant
    votes = _votes_of(victim)
    browser = _forged_browsers(world)[forgery]
    public_id = world.a.conversation.public_id
    my_votes = browser.get(url_for(ROUTES["frontend:my-votes"], world.a)).content.decode()
    assert world.a.statement.text not in my_votes
    browser.post(url_for(ROUTES["frontend:change-vote"], world.a), {"value": "-1"})
    browser.post(
        url_for(ROUTES["frontend:vote"], world.a),
        {"statement": world.a.statement.pk, "value": str(-votes[world.a.statement.pk] or 1)},
    )
    browser.post(url_for(ROUTES["frontend:delete-data"], world.a), {"confirm": "on"})
    victim.refresh_from_db()
    assert _votes_of(victim) == votes
    assert world.b.participant.votes.count() > 0
    assert public_id == world.a.conversation.public_id


def test_access_participant_sees_and_changes_only_own_votes(world, db):
    victim, votes = world.a.participant, _votes_of(world.a.participant)
    other = world.a.conversation.participants.exclude(pk=victim.pk).order_by("id").first()
    browser = _browser({world.a.conversation.public_id: other.pk})
    browser.post(url_for(ROUTES["frontend:change-vote"], world.a), {"value": "0"})
    assert _votes_of(other)[world.a.statement.pk] == 0
    assert _votes_of(victim) == votes


# --- API tokens ---------------------------------------------------------------------------


def _api(world, name: str, side, token: str | None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {world.tokens[token]}"} if token else {}
    url = url_for(ROUTES[name], side)
    if name == "api:consumption-create":
        body = {
            "context": side.context.slug,
            "version": side.published.number,
            "content_sha256": side.published.content_sha256,
            "job_name": "a job",
            "kind": "evaluation",
        }
        return Client().post(url, body, content_type="application/json", **headers)
    return Client().get(url, **headers)


@pytest.mark.parametrize("name", sorted(API))
def test_access_api_token_scope_and_context(world, db, name):
    needed = API[name]
    # Side A is public and its facilitator owns the tokens; side B is private and not theirs.
    for token in (None, *ApiToken.Scope.values):
        status = _api(world, name, world.a, token).status_code
        allowed = needed in (None, token) or (needed == "any" and token is not None)
        # The answers scope is the raw scope plus self-description answers (issue 13).
        allowed = allowed or (needed == "raw" and token == "raw-answers")
        if allowed:
            assert status in (HTTPStatus.OK, HTTPStatus.CREATED), (token, status)
        else:
            expected = HTTPStatus.UNAUTHORIZED if token is None else HTTPStatus.FORBIDDEN
            assert status == expected, (token, status)
        if name != "api:context-list":
            # Recording a use asks for a token before it looks at the context; everything else
            # hides a context the request may not read before asking for a token.
            early = needed == "any" and token is None
            hidden = {HTTPStatus.UNAUTHORIZED} if early else {HTTPStatus.NOT_FOUND}
            assert _api(world, name, world.b, token).status_code in hidden, token


@pytest.mark.parametrize("name", sorted(API))
@pytest.mark.parametrize("token", ["expired", "revoked"])
def test_access_api_refuses_expired_and_revoked_tokens(world, db, name, token):
    response = _api(world, name, world.a, token)
    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json()["detail"]


def test_access_api_context_list_hides_contexts_the_token_cannot_read(world, db):
    url = url_for(ROUTES["api:context-list"], world.a)
    for token in (None, *ApiToken.Scope.values):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {world.tokens[token]}"} if token else {}
        slugs = {c["slug"] for c in Client().get(url, **headers).json()["results"]}
        assert slugs == {world.a.context.slug}, token


def test_access_api_token_opens_no_html_page(world, db):
    url = url_for(ROUTES["frontend:constitution-draft"], world.a)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {world.tokens['constitutions']}"}
    assert Client().get(url, **headers).status_code == HTTPStatus.FOUND  # to the sign-in page
