"""The API token page tells how to send a token, offers to copy a new one and links the docs."""

from django.contrib.staticfiles import finders
from django.urls import reverse


def test_tokens_page_shows_the_header_the_docs_and_a_copy_button(facilitator_client):
    url = reverse("frontend:constitution-tokens")
    html = facilitator_client.get(url).content.decode()
    # The placeholder is text, not a tag a browser would swallow.
    assert "<code>Authorization: Bearer &lt;token&gt;</code>" in html
    assert f'href="{reverse("api-docs")}"' in html
    created = facilitator_client.post(
        url, {"name": "eval run", "scope": "constitutions", "days": 30}
    ).content.decode()
    assert '<code id="new-token">pol_' in created
    assert 'data-copy="new-token"' in created
    assert 'src="/static/frontend/copy.js"' in created and "<script>" not in created
    assert finders.find("frontend/copy.js")
