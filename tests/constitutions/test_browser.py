"""In a real browser: the API docs and the constitution pages run under the strict CSP."""

import pytest

from tests.constitutions.helpers import published_version

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_api_docs_render_without_csp_violations(page, live_server):
    page.goto("/api/docs/")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "Polity API" in page.inner_text(".swagger-ui .info .title")
    assert page.locator(".opblock").count() > 5  # the operations were loaded from /api/schema/


def test_public_constitution_page_renders_without_csp_violations(
    page, thaw_after, context, conversation, facilitator
):
    published_version(context, conversation, facilitator)
    page.goto(f"/contexts/{context.slug}/constitution/")
    assert "constitution 1.0.0" in page.inner_text("h1")
    page.locator("details summary").first.click()
    assert page.locator("svg.bar").count() > 0
