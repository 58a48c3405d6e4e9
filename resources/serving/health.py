"""/healthz: can this process reach its database and its search index?"""

import logging

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from ..models import PendingIndexUpdate
from ..search import engine

log = logging.getLogger(__name__)


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"pending_index_updates": PendingIndexUpdate.objects.count()}


def check_search():
    return {"documents": engine.document_count()}


@never_cache
def healthz(request):
    report, healthy = {}, True
    for name, check in (("database", check_database), ("search", check_search)):
        try:
            report[name] = {"status": "ok", **check()}
        except Exception as exc:  # a health check reports failures instead of raising them
            log.exception("Health check %s failed", name)
            report[name] = {"status": "error", "error": exc.__class__.__name__}
            healthy = False
    report["status"] = "ok" if healthy else "error"
    return JsonResponse(report, status=200 if healthy else 503)
