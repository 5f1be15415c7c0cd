"""`/healthz` tells a load balancer whether this process can take votes."""

import pytest
from django.test import override_settings

CLOSED_PORT_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.mark.django_db
def test_healthz_is_ok_when_the_database_answers(client):
    with override_settings(REDIS_URL=""):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": True}}


@pytest.mark.django_db
def test_healthz_stays_in_rotation_but_degraded_when_only_the_broker_is_down(client):
    with override_settings(REDIS_URL=CLOSED_PORT_REDIS):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "checks": {"database": True, "broker": False}}
