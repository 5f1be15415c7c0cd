"""Bodies the API will not read answer JSON 400/413 (issue 16, finding 6).

`"[" * 1000 + "]" * 1000` to `POST /api/v1/consumptions` ended in a RecursionError (500), and a
body over Django's 2.5 MB limit in Django's HTML 400 page, which API clients cannot read.
"""

import json
from http import HTTPStatus

import pytest
from django.test import Client

from constitutions.models import Consumption

URL = "/api/v1/consumptions"


def _post(world, body: bytes, **extra):
    return Client().post(
        URL,
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {world.tokens['constitutions']}",
        **extra,
    )


def _consumption(world, **fields) -> dict:
    return {
        "context": world.a.context.slug,
        "version": world.a.published.number,
        "content_sha256": world.a.published.content_sha256,
        "job_name": "nightly",
        "kind": "training",
        **fields,
    }


@pytest.mark.parametrize("depth", [33, 1000, 40_000])
@pytest.mark.parametrize("bracket", ["[]", "{}"])
def test_api_deeply_nested_json_gets_a_json_400(world, db, depth, bracket):
    opening, closing = bracket
    nested = (opening if bracket == "[]" else '{"a":') * depth
    body = nested + ("1" if bracket == "{}" else "") + closing * depth
    response = _post(world, body.encode())
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "nested" in response.json()["detail"]
    assert not Consumption.objects.exists()


def test_api_nesting_inside_strings_is_not_counted(world, db):
    # Brackets inside a string are text, not structure: a job name may hold them.
    response = _post(world, json.dumps(_consumption(world, job_name="[[[[" * 20)).encode())
    assert response.status_code == HTTPStatus.CREATED, response.content
    deep_enough = {"a": [[[[[[[[[[1]]]]]]]]]]}
    response = _post(
        world, json.dumps(_consumption(world, job_name="x", extra=deep_enough)).encode()
    )
    assert response.status_code == HTTPStatus.CREATED, response.content


@pytest.mark.parametrize("megabytes", [3, 50])
def test_api_oversized_body_gets_a_json_413_without_being_read(world, db, megabytes):
    body = json.dumps(_consumption(world, job_name="x" * (megabytes * 1024 * 1024))).encode()
    response = _post(world, body)
    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert response["Content-Type"] == "application/json"
    assert "too large" in response.json()["detail"]
    assert not Consumption.objects.exists()


def test_api_bad_request_outside_a_view_is_json(world, db):
    # Django refuses some requests before any view (here: a Host header it does not serve).
    response = Client().post(
        URL,
        {},
        content_type="application/json",
        HTTP_HOST="not-ours.example",
        HTTP_AUTHORIZATION=f"Bearer {world.tokens['constitutions']}",
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]


def test_api_form_body_is_refused_with_the_json_it_takes(world, db):
    response = Client().post(
        URL,
        "job_name=x",
        content_type="application/x-www-form-urlencoded",
        HTTP_AUTHORIZATION=f"Bearer {world.tokens['constitutions']}",
    )
    assert response.status_code == HTTPStatus.UNSUPPORTED_MEDIA_TYPE
    assert "application/x-www-form-urlencoded" in response.json()["detail"]
