"""«Most read»: views counted in the cache without a database write per view, flushed in
batches, bots left out, the block on the home and story pages, and no error when the cache is
emptied or down."""

import socket
import uuid

import pytest
import time_machine
from django.core.cache import caches
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import readership
from articles.models import MostRead, Story, StoryViews

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"  # noqa: E501
PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"  # noqa: E501


def read(client, story, times=1, agent=BROWSER, **headers):
    for _ in range(times):
        response = client.get(story.get_absolute_url(), HTTP_USER_AGENT=agent, **headers)
        assert response.status_code == 200


def flushed_views(story):
    return sum(StoryViews.objects.filter(story=story).values_list("views", flat=True))


def most_read_block(html):
    start = html.index('class="most-read"')
    return html[start : html.index("</section>", start)]


def test_story_view_writes_nothing_to_the_database(client, make_story):
    story = make_story()
    read(client, story)  # the story's first view of the hour is no different

    with CaptureQueriesContext(connection) as queries:
        read(client, story)

    writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert writes == []
    assert not StoryViews.objects.exists()


def test_views_are_written_by_the_flush(client, make_story):
    story = make_story()
    read(client, story, 3)
    read(client, story, 2, agent=PHONE)

    call_command("flush_story_views", verbosity=0)

    assert flushed_views(story) == 5


def test_flushing_twice_does_not_count_twice(client, make_story):
    story = make_story()
    read(client, story, 3)
    readership.flush()
    readership.flush()
    read(client, story)
    readership.flush()

    assert flushed_views(story) == 4


def test_views_of_one_hour_stay_in_that_hour(client, make_story):
    story = make_story(published_at=timezone.now() - timezone.timedelta(hours=2))
    with time_machine.travel(timezone.now().replace(minute=50), tick=False):
        read(client, story, 2)
    with time_machine.travel(timezone.now().replace(minute=50) + timezone.timedelta(minutes=20)):
        read(client, story)
        readership.flush()

    assert sorted(StoryViews.objects.values_list("views", flat=True)) == [1, 2]


@pytest.mark.parametrize(
    "agent",
    [
        "",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "TelegramBot (like TwitterBot)",
        "curl/8.5.0",
        "python-requests/2.32.3",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/126.0 Safari/537.36",
    ],
)
def test_bots_and_scripts_are_not_counted(client, make_story, agent):
    story = make_story()

    read(client, story, 2, agent=agent)
    readership.flush()

    assert flushed_views(story) == 0


def test_prefetches_are_not_counted(client, make_story):
    story = make_story()

    read(client, story, HTTP_SEC_PURPOSE="prefetch")
    readership.flush()

    assert flushed_views(story) == 0


def test_previews_of_drafts_are_not_counted(admin_client, make_story):
    draft = make_story(status=Story.Status.DRAFT)

    read(admin_client, draft)
    readership.flush()

    assert flushed_views(draft) == 0


def test_home_page_lists_the_most_read_stories_first(client, make_story):
    quiet, popular, middling = make_story("Тихая"), make_story("Популярная"), make_story("Средняя")
    read(client, popular, 5)
    read(client, middling, 3)
    read(client, quiet, 1)
    readership.flush()

    block = most_read_block(client.get("/").content.decode())

    assert "Самое читаемое" in block
    assert block.index("Популярная") < block.index("Средняя") < block.index("Тихая")


def test_story_page_shows_the_most_read_block(client, make_story):
    popular = make_story("Популярная")
    read(client, popular, 2)
    readership.flush()

    html = client.get(make_story().get_absolute_url()).content.decode()

    assert "Популярная" in most_read_block(html)


def test_views_older_than_a_day_do_not_count(client, make_story):
    two_days_ago = timezone.now() - timezone.timedelta(days=2)
    old_favourite = make_story("Вчерашний хит", published_at=two_days_ago)
    today = make_story("Сегодняшняя")
    with time_machine.travel(timezone.now() - timezone.timedelta(hours=30)):
        read(client, old_favourite, 10)
        readership.flush()
    read(client, today, 1)
    readership.flush()

    block = most_read_block(client.get("/").content.decode())

    assert "Сегодняшняя" in block and "Вчерашний хит" not in block


def test_withdrawn_and_draft_stories_leave_the_ranking_at_once(client, make_story):
    gone, stays = make_story("Снятая"), make_story("Остаётся")
    read(client, gone, 5)
    read(client, stays, 1)
    readership.flush()

    gone.withdraw()

    block = most_read_block(client.get("/").content.decode())
    assert "Остаётся" in block and "Снятая" not in block


def test_emptied_cache_keeps_the_last_figures(client, make_story):
    story = make_story("Популярная")
    read(client, story, 4)
    readership.flush()
    read(client, story, 2)  # not flushed yet: lost with the cache

    caches["default"].clear()  # a restart
    readership.flush()

    assert flushed_views(story) == 4
    assert "Популярная" in most_read_block(client.get("/").content.decode())
    assert MostRead.objects.get().views == 4


def test_deleted_story_views_are_dropped_by_the_flush(client, make_story):
    story = make_story()
    read(client, story, 2)
    story.delete()

    assert readership.flush() == 0


def test_a_running_flush_is_not_repeated(client, make_story):
    story = make_story()
    read(client, story, 2)
    caches["default"].add(readership.LOCK, "someone else", 60)

    assert readership.flush() is None
    assert flushed_views(story) == 0


def test_pages_answer_while_redis_is_down(client, make_story, dead_cache):
    story = make_story("Новость при упавшем кеше")

    assert client.get(story.get_absolute_url(), HTTP_USER_AGENT=BROWSER).status_code == 200
    assert client.get("/", HTTP_USER_AGENT=BROWSER).status_code == 200


def test_flush_command_says_the_cache_is_down(dead_cache):
    with pytest.raises(CommandError, match="Кеш не отвечает"):
        call_command("flush_story_views")


def _redis_answers():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _redis_answers(), reason="no Redis on 127.0.0.1:6379")
def test_views_counted_by_several_processes_meet_in_redis(client, make_story, settings):
    """Two app servers sharing Redis: each counts into it, one flush writes them all."""
    prefix = f"newsroom-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
            "KEY_PREFIX": prefix,
        },
        "other": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
            "KEY_PREFIX": prefix,
        },
    }
    story = make_story()
    try:
        read(client, story, 3)
        caches["other"].incr(readership._count_key(readership._hour_key(timezone.now()), story.pk))

        call_command("flush_story_views", verbosity=0)

        assert flushed_views(story) == 4
    finally:
        caches["default"].clear()


def test_background_flush_is_off_when_the_interval_is_zero(client, make_story, settings):
    settings.VIEW_COUNTS_FLUSH_SECONDS = 0
    read(client, make_story())

    assert readership._flusher is None


@pytest.mark.parametrize("page", ["home", "story"])
def test_page_query_count_does_not_grow_with_the_ranking(
    client, make_story, page, django_assert_max_num_queries
):
    target = make_story()
    url = "/" if page == "home" else target.get_absolute_url()
    read(client, make_story())
    readership.flush()
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    few = len(queries)

    for _ in range(9):
        read(client, make_story())
    readership.flush()

    with django_assert_max_num_queries(few):
        html = client.get(url).content.decode()
    assert most_read_block(html).count('class="card"') >= 5
