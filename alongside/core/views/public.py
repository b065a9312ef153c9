from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

if TYPE_CHECKING:
    from django.http import HttpRequest


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@require_safe
def crisis(request: HttpRequest) -> HttpResponse:
    return render(request, "core/crisis.html")


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


def _readiness_problems() -> list[str]:
    problems = []
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            problems.append("database migrations are not all applied")
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
        problems.append(f"database: {exc.__class__.__name__}")
    if settings.REDIS_URL:
        from redis import Redis
        from redis.exceptions import RedisError

        try:
            Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()
        except RedisError as exc:
            problems.append(f"redis: {exc.__class__.__name__}")
    return problems


@never_cache
@require_safe
def readyz(request: HttpRequest) -> HttpResponse:
    problems = _readiness_problems()
    return JsonResponse(
        {"status": "ready" if not problems else "not ready", "problems": problems},
        status=200 if not problems else 503,
    )
