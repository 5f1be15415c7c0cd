"""`/healthz`: can this web process take votes?

200 "ok" when the database (and the broker, when configured) answer; 200 "degraded" when only
the broker is down, since votes are still stored and analyses wait in the database's outbox
(a load balancer must keep such a process in rotation); 503 when the database is down.
"""

from http import HTTPStatus

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def _broker_ok() -> bool:
    import redis

    try:
        return bool(
            redis.Redis.from_url(
                settings.REDIS_URL, socket_timeout=1, socket_connect_timeout=1
            ).ping()
        )
    except Exception:
        return False


@never_cache
def healthz(request):
    checks = {"database": _database_ok()}
    if settings.REDIS_URL:
        checks["broker"] = _broker_ok()
    if not checks["database"]:
        status = "unavailable"
    else:
        status = "ok" if all(checks.values()) else "degraded"
    return JsonResponse(
        {"status": status, "checks": checks},
        status=HTTPStatus.SERVICE_UNAVAILABLE if status == "unavailable" else HTTPStatus.OK,
    )
