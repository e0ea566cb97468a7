"""Faults the site meets in production, in the suite: a cache that does not answer and a database
connection the server dropped (a PostgreSQL restart). `make faults` does the same to a running
production server under load (docs/faults.md)."""

import psycopg
import pytest
from django.conf import settings as django_settings
from django.db import OperationalError, close_old_connections, connection
from django.test import Client
from django.urls import reverse

from articles.models import LiveEntry, Story
from articles.models.stories import StoryQuerySet
from tests.adminforms import change

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"


@pytest.fixture
def story(make_story, make_quote):
    story = make_story("Бюджет при упавшем кеше")
    make_quote(story, "Бюджет будет сбалансирован.")
    story.start_live()
    LiveEntry.objects.create(story=story, body="Заседание началось.")
    return story


def test_reader_pages_answer_from_the_database_while_the_cache_is_down(dead_cache, story):
    client = Client(raise_request_exception=True, HTTP_USER_AGENT=BROWSER)
    for url in [
        "/",
        "/en/",
        reverse("articles:latest"),
        story.get_absolute_url(),
        reverse("articles:search") + "?q=бюджет",
        reverse("articles:feed-rss"),
        reverse("articles:quotes"),
        reverse("articles:live"),
        reverse("articles:live-updates", args=[story.pk]),
        "/sitemap.xml",
    ]:
        assert client.get(url).status_code == 200, url
    assert client.get("/healthz").status_code == 503


def test_editors_stay_signed_in_and_save_while_the_cache_is_down(dead_cache, story, editor_user):
    """Sessions live in the database: signing in, the admin and saving need no cache."""
    client = Client(raise_request_exception=True)
    client.force_login(editor_user)
    assert client.get(reverse("admin:index")).status_code == 200
    response = change(client, story, headline="Заголовок, сохранённый без кеша")
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.headline == "Заголовок, сохранённый без кеша"


def test_reader_pages_answer_503_while_the_database_is_down(client, story, monkeypatch):
    """Temporarily unavailable, not broken: 503 with Retry-After, never cached, so that a load
    balancer or CDN in front can serve what it has."""

    def down(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(StoryQuerySet, "for_listing", down)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-cache" in response["Cache-Control"]
    assert "Сайт ненадолго недоступен" in response.content.decode()


def test_other_errors_stay_server_errors(client, story, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(StoryQuerySet, "for_listing", broken)
    client.raise_request_exception = False
    assert client.get("/").status_code == 500


def test_database_connections_are_checked_before_reuse():
    """Connections are kept between requests (CONN_MAX_AGE); one the server dropped must be
    noticed at the next request rather than fail it."""
    assert django_settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def test_a_save_the_database_fails_leaves_the_story_as_it_was(
    client, story, editor_user, monkeypatch
):
    """A database that goes away during a save: 503, nothing half written (the admin saves in
    one transaction); the editor's text stays in the browser (autosave), as the page says."""
    client.force_login(editor_user)
    client.raise_request_exception = False
    story.refresh_from_db()
    headline, version = story.headline, story.version

    def fail(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(Story, "save", fail)
    response = change(client, story, headline="Новый заголовок", lede="Новое описание")
    assert response.status_code == 503
    assert "сохранён в этом браузере" in response.content.decode()
    monkeypatch.undo()
    story.refresh_from_db()
    assert (story.headline, story.version) == (headline, version)
    # Once the database answers again, the same save lands.
    assert change(client, story, headline="Новый заголовок").status_code == 302


@pytest.mark.skipif(
    not django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="a connection the server drops exists only on PostgreSQL",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_editors_save_lands_after_the_server_dropped_the_connection(story, editor_user):
    """What a PostgreSQL restart does to the connections a worker keeps: the next request gets
    a new one (CONN_HEALTH_CHECKS) and the editor's save lands."""
    client = Client()
    client.force_login(editor_user)
    assert client.get(reverse("admin:articles_story_change", args=[story.pk])).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
    close_old_connections()  # what Django does when the next request starts
    response = change(client, story, headline="Сохранено после перезапуска базы")
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.headline == "Сохранено после перезапуска базы"
