"""Bugs schemathesis found, each pinned by the request that found it (a NUL byte in text and
an unbounded page only failed on PostgreSQL)."""

from http import HTTPStatus

import pytest
from django.test import Client

from tests.security.routes import url_for
from tests.security.urlconf import all_routes


@pytest.mark.parametrize(
    "query", ["limit=45470592985627034661158912&offset=-101", "offset=99999999999999999999999999"]
)
def test_api_huge_limit_or_offset_gives_a_page_not_a_server_error(world, db, query):
    for url in ("/api/v1/contexts/", "/api/v1/contexts/context-a/constitution/versions/"):
        response = Client().get(f"{url}?{query}")
        assert response.status_code == HTTPStatus.OK, url
        assert response.json()["count"] == 1


def test_api_refuses_a_job_name_with_a_control_character_with_400(world, db):
    body = {
        "context": world.a.context.slug,
        "version": world.a.published.number,
        "content_sha256": world.a.published.content_sha256,
        "job_name": "nightly\x0frun",
        "kind": "training",
    }
    response = Client().post(
        "/api/v1/consumptions",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {world.tokens['constitutions']}",
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "control character" in response.json()["detail"]
    assert not world.a.published.consumptions.exists()


def test_api_address_matching_no_route_answers_json_404(db):
    response = Client().get("/api/v1/contexts/%C3%AE%C2%AA/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json() == {"detail": "Not found."}
    assert Client().get("/no-such-page/")["Content-Type"].startswith("text/html")


def test_api_search_with_a_nul_byte_answers_400(db):
    response = Client().get("/api/v1/contexts/?search=a%00b")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "control character" in response.json()["detail"]


@pytest.mark.parametrize(
    "route", [r for r in all_routes() if "<str:" in r.pattern], ids=lambda r: r.name
)
def test_nul_byte_in_an_address_answers_404_everywhere(world, db, route):
    url = url_for(route, world.a)
    parameter = url_for(route, world.a).rstrip("/").rsplit("/", 1)[-1]
    response = Client().get(url.replace(parameter, "a%00b", 1))
    assert response.status_code == HTTPStatus.NOT_FOUND
