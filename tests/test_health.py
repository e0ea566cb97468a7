"""/healthz: 200 when the database and the cache answer, 503 otherwise, never cached."""

import pytest
from django.core.cache.backends.base import BaseCache


class UnreachableCache(BaseCache):
    """A cache server that does not answer, as a stopped Redis does."""

    def __init__(self, location, params):
        super().__init__(params)

    def set(self, *args, **kwargs):
        raise ConnectionError("cache server does not answer")

    get = add = delete = set


@pytest.mark.django_db
def test_healthy_site_answers_ok_and_is_never_cached(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies


@pytest.mark.django_db
def test_unreachable_cache_makes_the_site_unhealthy(client, settings):
    settings.CACHES = {"default": {"BACKEND": "tests.test_health.UnreachableCache"}}

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.content == b"unavailable\n"  # which part failed goes to the log only
    assert "no-store" in response["Cache-Control"]


def test_unreachable_database_makes_the_site_unhealthy(client, caplog):
    # No database access is allowed in this test: every query fails, as with a database down.
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.content == b"unavailable\n"
    assert "health check failed" in caplog.text


@pytest.mark.django_db
def test_health_check_answers_over_plain_http_behind_an_https_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301
