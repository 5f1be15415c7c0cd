"""In a real browser: the API docs and the constitution pages run under the strict CSP."""

import os
from pathlib import Path

import pytest

from config.demo import DEMO_SLUG, load_demo
from config.demo_evaluation import SIMULATED_MODEL
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


def test_demo_version_page_shows_the_adherence_table_in_a_browser(open_page, thaw_after, tmp_path):
    """The demo's loop as a newcomer sees it: scenarios, and a simulated model's adherence per
    principle beside the votes. POLITY_SCREENSHOTS=dir keeps a full-page screenshot there."""
    load_demo()
    page = open_page(viewport={"width": 1280, "height": 900})
    page.goto(f"/contexts/{DEMO_SLUG}/constitution/1.0.0/")
    tables = page.locator("table.adherence-table")
    assert tables.count() >= 3
    first = tables.first
    assert SIMULATED_MODEL in first.inner_text()
    assert first.is_visible()
    page.locator("details summary", has_text="scenarios: when this matters").first.click()
    assert page.locator("li[id^=scenario-]").first.is_visible()
    folder = Path(os.environ.get("POLITY_SCREENSHOTS", tmp_path))
    first.scroll_into_view_if_needed()
    page.screenshot(path=str(folder / "demo-adherence.png"), full_page=False)
