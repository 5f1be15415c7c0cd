"""Every HTML page carries a strict Content-Security-Policy header: every GET route of the
URLconf, asked by a facilitator, a participant and a visitor, whatever it answers."""

from django.core import signing
from django.test import Client

from deliberation.identity.cookie import PARTICIPANT_COOKIE, PARTICIPANT_COOKIE_SALT
from tests.security.csp import csp_problems
from tests.security.routes import url_for
from tests.security.urlconf import all_routes


def _browsers(world):
    facilitator, participant = Client(), Client()
    facilitator.force_login(world.a.facilitator)
    participant.cookies[PARTICIPANT_COOKIE] = signing.dumps(
        {world.a.conversation.public_id: world.a.participant.pk},
        salt=PARTICIPANT_COOKIE_SALT,
        compress=True,
    )
    return {"facilitator": facilitator, "participant": participant, "visitor": Client()}


def test_csp_is_strict_on_every_html_page(world, db):
    html_pages = 0
    for route in all_routes():
        url = url_for(route, world.a)
        for who, browser in _browsers(world).items():
            response = browser.get(url)
            if not response.get("Content-Type", "").startswith("text/html"):
                continue
            html_pages += 1
            problems = csp_problems(response.get("Content-Security-Policy"))
            assert problems == [], (route.name, who, response.status_code, problems)
    assert html_pages > 60  # most routes answer each of the three with a page


def test_csp_is_strict_on_error_pages(world, db):
    for url in ("/no-such-page/", "/c/no-such-conversation/", "/facilitate/contexts/nope/"):
        response = Client().get(url, follow=True)
        assert csp_problems(response.get("Content-Security-Policy")) == [], url


def test_csp_checker_refuses_loose_policies():
    assert csp_problems(None)
    strict = (
        "default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; "
        "base-uri 'none'; frame-ancestors 'none'; img-src 'self' data:"
    )
    assert csp_problems(strict) == []
    for loose in ("'unsafe-inline'", "'unsafe-eval'", "*", "https:", "*.example.org", "data:"):
        policy = strict.replace("script-src 'self'", f"script-src 'self' {loose}")
        assert csp_problems(policy), loose
