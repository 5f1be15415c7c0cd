"""The XSS corpus, stored everywhere people write, rendered in Chromium on every page that shows
it: no payload runs (no dialog, no console marker, no `window.__xss`), the DOM holds no element
built from a payload (no event-handler attribute, no javascript: address, no inline script),
and every page arrives with a strict Content-Security-Policy header.
"""

import pytest
from django.conf import settings
from django.core import signing
from django.test import Client

from deliberation.identity.cookie import PARTICIPANT_COOKIE, PARTICIPANT_COOKIE_SALT
from tests.security.csp import csp_problems
from tests.security.xss_payloads import MARKER, payloads
from tests.security.xss_world import make_xss_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What the page itself holds that a payload could have created, were it not escaped.
DOM_PROBE = """() => {
  const all = [...document.querySelectorAll('*')];
  return {
    xss: typeof window.__xss,
    handlers: all.filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length,
    javascriptUrls: all.filter(e => ['href', 'src', 'action', 'data', 'formaction']
      .some(n => (e.getAttribute(n) || '').replace(/\\s/g, '').toLowerCase()
        .startsWith('javascript:'))).length,
    inlineScripts: [...document.scripts].filter(s => !s.src).length,
    frames: document.querySelectorAll('iframe, object, embed').length,
  };
}"""
CLEAN = {"xss": "undefined", "handlers": 0, "javascriptUrls": 0, "inlineScripts": 0, "frames": 0}


def _pages(world) -> list[str]:
    c, conversation = world.context.slug, world.conversation.public_id
    facilitate = f"/facilitate/conversations/{conversation}/"
    statement_pages = -(-world.conversation.statements.count() // 25)
    return [
        "/",
        f"/c/{conversation}/",
        f"/c/{conversation}/my-votes/",
        f"/c/{conversation}/write/",
        f"/c/{conversation}/results/",
        "/facilitate/",
        f"/facilitate/contexts/{c}/",
        f"/facilitate/contexts/{c}/edit/",
        facilitate,
        f"{facilitate}edit/",
        f"{facilitate}seed/",
        f"{facilitate}moderation/",
        *(f"{facilitate}statements/?page={n}" for n in range(1, statement_pages + 1)),
        f"{facilitate}participants/",
        f"/facilitate/contexts/{c}/constitution/",
        f"/facilitate/contexts/{c}/constitution/drafts/{world.draft.pk}/",
        "/facilitate/tokens/",
        f"/contexts/{c}/constitution/",
        f"/contexts/{c}/constitution/1.0.0/",
        f"/contexts/{c}/constitution/1.0.0/diff/1.1.0/",
        "/api/docs/",
    ]


def _signed_in_cookies(world, base_url: str) -> list[dict]:
    client = Client()
    client.force_login(world.facilitator)
    participant = signing.dumps(
        {world.conversation.public_id: world.participant.pk},
        salt=PARTICIPANT_COOKIE_SALT,
        compress=True,
    )
    return [
        {
            "name": settings.SESSION_COOKIE_NAME,
            "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "url": base_url,
        },
        {"name": PARTICIPANT_COOKIE, "value": participant, "url": base_url},
    ]


def test_xss_corpus_has_at_least_200_payloads():
    texts = payloads()
    assert len(texts) >= 200
    assert len(set(texts)) == len(texts)
    assert all(MARKER in text or "__xss" in text or "{" in text for text in texts)


def test_xss_no_payload_runs_on_any_page(open_page, live_server, thaw_after):
    world = make_xss_world()
    page = open_page()
    page.context.add_cookies(_signed_in_cookies(world, live_server.url))
    fired: list[str] = []
    page.on("dialog", lambda dialog: (fired.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.on("console", lambda message: MARKER in message.text and fired.append(message.text))
    shown: set[str] = set()
    for url in _pages(world):
        response = page.goto(url)
        page.wait_for_load_state("load")
        assert response.status == 200, url
        assert csp_problems(response.headers.get("content-security-policy")) == [], url
        # Give handlers that fire on focus, toggle or animation a moment to do so.
        page.keyboard.press("Tab")
        page.wait_for_timeout(50)
        assert page.evaluate(DOM_PROBE) == CLEAN, url
        body = page.inner_text("body")
        shown |= {text for text in world.texts if text in body}
    assert fired == []
    # The payloads were on the pages, as text: every one of them somewhere.
    assert set(world.texts) - shown == set()


def test_xss_payloads_do_run_when_not_escaped(open_page):
    """The control: pasted raw into a page with no policy, the corpus does fire."""
    page = open_page()
    fired: list[str] = []
    page.on("dialog", lambda dialog: (fired.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda message: MARKER in message.text and fired.append(message.text))
    page.set_content("<body>" + "".join(payloads()[:40]) + "</body>")
    page.wait_for_timeout(200)
    assert page.evaluate("typeof window.__xss") == "number"
    assert any(MARKER in message for message in fired)
