"""The page cache and HTTP caching of reader pages: anonymous readers get kept copies, any change
an editor makes shows at once, nobody signed in and nothing private is ever kept."""

import socket
import uuid

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import readership
from articles.models import Correction, LiveEntry, MostRead, Story, StoryViews

from .adminforms import admin_url, change, run_action

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0"


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 300


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what waits for a commit, as production does when a request's transaction ends."""

    def run(action, *args, **kwargs):
        # What the test did before is taken as committed: its version write is not waited for.
        connection.site_version_pending = None
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


@pytest.fixture
def editor(editor_user):
    client = Client()
    client.force_login(editor_user)
    return client


@pytest.fixture
def story(make_story, committed):
    return committed(make_story, "Аким открыл школу", tags=["школы"])


def html(response):
    return response.content.decode()


def reader_urls(story):
    return [
        "/",
        "/news/",
        story.section.get_absolute_url(),
        story.get_absolute_url(),
        reverse("articles:tag", args=["shkoly"]),
        reverse("articles:feed-rss"),
        reverse("articles:search") + "?q=школа",
    ]


# --- What is kept ----------------------------------------------------------------------------


def test_second_anonymous_request_is_answered_from_the_cache(
    client, story, django_assert_max_num_queries
):
    for url in reader_urls(story):
        first = client.get(url)
        with django_assert_max_num_queries(1):  # the site's version, by primary key
            again = client.get(url)

        assert again.status_code == 200, url
        assert again.content == first.content, url


def test_with_redis_a_kept_page_costs_no_query(client, story, redis_cache):
    client.get(story.get_absolute_url())

    with CaptureQueriesContext(connection) as queries:
        assert client.get(story.get_absolute_url()).status_code == 200
    assert len(queries) == 0


def test_page_cache_off_renders_every_time(client, story, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/news/")

    with CaptureQueriesContext(connection) as queries:
        client.get("/news/")
    assert len(queries) > 1


def test_kept_story_page_still_counts_its_views(client, story):
    for _ in range(3):
        client.get(story.get_absolute_url(), HTTP_USER_AGENT=BROWSER)

    readership.flush()

    assert sum(StoryViews.objects.filter(story=story).values_list("views", flat=True)) == 3


# --- Any change shows at once ----------------------------------------------------------------


def test_edited_headline_shows_on_every_page_at_once(client, editor, story, committed):
    for url in reader_urls(story):
        client.get(url)

    response = committed(change, editor, story, headline="Аким открыл новую школу")

    assert response.status_code == 302
    for url in reader_urls(story)[:-1]:
        assert "новую школу" in html(client.get(url, follow=True)), url


def test_correction_shows_at_once(client, editor, story, committed):
    client.get(story.get_absolute_url())
    now = timezone.localtime()

    committed(
        change,
        editor,
        story,
        **{
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-kind": "correction",
            "corrections-0-published_at_0": now.strftime("%d.%m.%Y"),
            "corrections-0-published_at_1": now.strftime("%H:%M:%S"),
            "corrections-0-text": "В школе 1200 мест, а не 1500.",
        },
    )

    assert Correction.objects.filter(story=story).exists()
    assert "1200 мест" in html(client.get(story.get_absolute_url()))
    assert "1200 мест" in html(client.get(reverse("articles:corrections")))


def test_published_draft_appears_at_once(client, editor, make_story, committed):
    draft = committed(make_story, "Черновик о мосте", status=Story.Status.REVIEW)
    assert "Черновик о мосте" not in html(client.get("/"))

    committed(run_action, editor, "publish", [draft])

    assert "Черновик о мосте" in html(client.get("/"))
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_withdrawn_story_leaves_at_once(client, editor, story, committed):
    assert client.get(story.get_absolute_url()).status_code == 200
    assert story.headline in html(client.get("/"))

    committed(run_action, editor, "withdraw", [story], confirmed="1", comment="Ошибка")

    assert client.get(story.get_absolute_url()).status_code == 410
    assert story.headline not in html(client.get("/"))


def test_deleted_story_leaves_at_once(client, editor, story, committed):
    client.get(story.get_absolute_url())
    client.get("/news/")

    committed(editor.post, admin_url(Story, "delete", story.pk), {"post": "yes"})

    assert client.get(story.get_absolute_url()).status_code == 404
    assert story.headline not in html(client.get("/news/"))


def test_live_entry_shows_at_once(client, editor, story, committed):
    committed(story.start_live)
    client.get(story.get_absolute_url())
    now = timezone.localtime()
    form = {
        "story": story.pk,
        "body": "Вода поднялась ещё на 10 см.",
        "posted_at_0": now.strftime("%d.%m.%Y"),
        "posted_at_1": now.strftime("%H:%M:%S"),
        "speaker": "",
        "photo_alt": "",
        "photo_credit": "",
    }

    response = committed(editor.post, reverse("admin:articles_liveentry_add"), form)

    assert response.status_code == 302 and LiveEntry.objects.exists()
    assert "ещё на 10 см" in html(client.get(story.get_absolute_url()))


def test_scheduled_story_appears_at_its_time_without_a_save(client, make_story, committed):
    due = timezone.now() + timezone.timedelta(minutes=10)
    scheduled = committed(make_story, "Запланированная новость", published_at=due)
    assert "Запланированная новость" not in html(client.get("/"))
    assert client.get(scheduled.get_absolute_url()).status_code == 404

    with time_machine.travel(due + timezone.timedelta(seconds=1)):
        assert "Запланированная новость" in html(client.get("/"))
        assert client.get(scheduled.get_absolute_url()).status_code == 200


def test_new_most_read_ranking_shows_at_once(client, make_story, committed):
    first, second = committed(make_story, "Первая"), committed(make_story, "Вторая")
    client.get("/")
    StoryViews.objects.create(story=second, hour=timezone.now(), views=10)

    committed(MostRead.objects.rank)

    assert 'class="most-read"' in html(client.get("/"))
    assert MostRead.objects.get(rank=1).story == second
    assert first.pk


# --- Never kept ------------------------------------------------------------------------------


def test_signed_in_editors_get_fresh_private_pages(editor, client, story):
    client.get(story.get_absolute_url())
    Story.objects.filter(pk=story.pk).update(headline="Без сохранения")  # no signal on purpose

    response = editor.get(story.get_absolute_url())

    assert "Без сохранения" in html(response)
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert "Аким открыл школу" in html(client.get(story.get_absolute_url()))  # the kept copy


def test_editors_view_of_a_draft_never_reaches_readers(editor, client, make_story, committed):
    draft = committed(make_story, "Секретный черновик", status=Story.Status.DRAFT)

    assert editor.get(draft.get_absolute_url()).status_code == 200
    response = client.get(draft.get_absolute_url())

    assert response.status_code == 404
    assert "Секретный черновик" not in html(response)


def test_preview_links_are_never_kept(client, make_story, committed):
    from articles.models import PreviewLink

    draft = committed(make_story, "Черновик по ссылке", status=Story.Status.DRAFT)
    url = PreviewLink.create_for(draft).get_absolute_url()

    first = client.get(url)
    PreviewLink.objects.all().delete()

    assert first.status_code == 200 and "no-store" in first["Cache-Control"]
    assert client.get(url).status_code == 404


def test_a_session_cookie_skips_the_cache(client, story):
    client.get("/news/")
    Story.objects.filter(pk=story.pk).update(headline="Изменено тихо")
    client.cookies["sessionid"] = "whatever"

    assert "Изменено тихо" in html(client.get("/news/"))


def test_posts_are_never_answered_from_the_cache(story):
    client = Client(enforce_csrf_checks=True)
    client.get("/news/")

    response = client.post("/news/")

    assert response.status_code == 403  # no CSRF token: not the kept page
    assert "Cache-Control" not in response or "public" not in response["Cache-Control"]


def test_admin_pages_are_never_kept(editor, story):
    editor.get(admin_url(Story, "changelist"))
    Story.objects.filter(pk=story.pk).update(headline="Изменено в базе")

    assert "Изменено в базе" in html(editor.get(admin_url(Story, "changelist")))


# --- HTTP caching ----------------------------------------------------------------------------


def test_reader_pages_may_be_kept_briefly_by_browsers_and_shared_caches(client, story, settings):
    for url in reader_urls(story):
        response = client.get(url)
        cache_control = response["Cache-Control"]

        assert "public" in cache_control, url
        assert f"max-age={settings.HTTP_MAX_AGE}" in cache_control, url
        assert f"s-maxage={settings.HTTP_SHARED_MAX_AGE}" in cache_control, url
        assert f"stale-while-revalidate={settings.HTTP_STALE_SECONDS}" in cache_control, url
        assert response["ETag"] and response["Last-Modified"], url
        assert "Cookie" not in response.get("Vary", ""), url


@pytest.mark.parametrize("cached", [True, False])
def test_unchanged_page_answers_not_modified(client, story, settings, cached):
    settings.PAGE_CACHE_SECONDS = 300 if cached else 0
    first = client.get(story.get_absolute_url())

    by_etag = client.get(story.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])

    assert by_etag.status_code == 304 and by_etag.content == b""
    if cached:  # the date of the site's version, which only the page cache reads
        since = first["Last-Modified"]
        assert client.get(story.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=since).status_code == 304


def test_changed_page_answers_in_full_to_an_old_etag(client, editor, story, committed):
    first = client.get(story.get_absolute_url())

    committed(change, editor, story, headline="Аким открыл другую школу")
    response = client.get(story.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])

    assert response.status_code == 200
    assert "другую школу" in html(response)


def test_admin_and_previews_stay_private(editor, client, make_story):
    from articles.models import PreviewLink

    draft = make_story("Черновик", status=Story.Status.DRAFT)
    admin = editor.get(admin_url(Story, "changelist"))
    preview = client.get(PreviewLink.create_for(draft).get_absolute_url())

    assert "private" in admin["Cache-Control"]
    assert "public" not in preview["Cache-Control"] and "no-store" in preview["Cache-Control"]


# --- Redis -----------------------------------------------------------------------------------


def _redis_answers():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.fixture
def redis_cache(settings):
    if not _redis_answers():
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/5",
            "KEY_PREFIX": f"newsroom-test-{uuid.uuid4().hex}",
        }
    }
    yield
    from django.core.cache import cache

    cache.clear()


def test_with_redis_an_edit_shows_at_once(client, editor, story, committed, redis_cache):
    client.get(story.get_absolute_url())

    committed(change, editor, story, headline="Аким открыл третью школу")

    assert "третью школу" in html(client.get(story.get_absolute_url()))
