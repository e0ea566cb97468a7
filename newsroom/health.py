"""The health check load balancers and monitors ask: is this server able to answer readers?"""

import logging

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)
PROBE_KEY = "healthz-probe"


@never_cache
def healthz(request):
    """200 when the database and the cache answer, 503 otherwise; the body says no more.

    The reason goes to the log, not to the public: a failing check should not tell an attacker
    which part is down.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        cache.set(PROBE_KEY, 1, timeout=5)
        if cache.get(PROBE_KEY) != 1 and not _cache_is_dummy():
            raise ConnectionError("the cache does not keep what it is given")
    except Exception as error:  # any failure of a backend means "not healthy"
        logger.warning("health check failed: %s", error.__class__.__name__)
        return HttpResponse("unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def _cache_is_dummy():
    return cache.__class__.__name__ == "DummyCache"
