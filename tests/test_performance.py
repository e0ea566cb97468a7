"""What keeps reader pages fast as the archive grows: lists never read story bodies, no page
counts the whole archive, query counts stay flat, and a story page stays light."""

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.db import connection
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

HOUR = timezone.timedelta(hours=1)


class CaptureQueriesContext:
    """Every SQL statement run inside, as ``{"sql": ...}`` like Django's own capture."""

    def __init__(self, connection):
        self.connection, self.queries = connection, []

    def __enter__(self):
        self.wrapper = self.connection.execute_wrapper(self.record)
        self.wrapper.__enter__()
        return self.queries

    def __exit__(self, *exc):
        self.wrapper.__exit__(*exc)

    def record(self, execute, sql, params, many, context):
        self.queries.append({"sql": sql})
        return execute(sql, params, many, context)


@pytest.fixture
def archive(make_story, make_quote, make_newsmaker, make_source):
    """Stories with every kind of link a list can follow."""
    speaker, source = make_newsmaker("Айдар Нуров"), make_source()
    author = get_user_model().objects.create_user("reporter")
    stories = []
    for n in range(6):
        story = make_story(
            f"Новость о школах {n}",
            body="<p>" + "Длинный текст тела новости. " * 50 + "</p>",
            tags=["школы"],
            published_at=timezone.now() - HOUR * (n + 1),
        )
        story.authors.add(author)
        story.sources.add(source)
        make_quote(story, speaker=speaker)
        stories.append(story)
    stories[0].related.add(stories[1])
    return {"stories": stories, "speaker": speaker, "source": source}


def list_urls(archive):
    story = archive["stories"][0]
    return [
        "/",
        reverse("articles:latest"),
        story.section.get_absolute_url(),
        reverse("articles:tag", args=["shkoly"]),
        archive["speaker"].get_absolute_url(),
        archive["source"].get_absolute_url(),
        reverse("articles:author", args=["reporter"]),
        reverse("articles:quotes"),
        reverse("articles:live"),
        reverse("articles:corrections"),
        reverse("articles:feed-rss"),
        reverse("articles:section-rss", args=[story.section.slug]),
        reverse("articles:tag-atom", args=["shkoly"]),
        "/sitemap.xml",
        "/sitemap-stories.xml",
        "/sitemap-news.xml",
    ]


def story_columns(sql):
    """The columns of articles_story a query selects (not those it only filters on)."""
    select = sql.split(" FROM ", 1)[0]
    return set(re.findall(r'"articles_story"\."(\w+)"', select))


def test_lists_never_read_story_bodies_or_the_search_index(client, archive):
    for url in list_urls(archive):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        for query in queries:
            columns = story_columns(query["sql"])
            assert not columns & {"body", "search_vector", "search_title", "search_document"}, (
                url,
                query["sql"],
            )


def test_story_page_reads_only_its_own_body(client, archive):
    story = archive["stories"][0]

    with CaptureQueriesContext(connection) as queries:
        assert client.get(story.get_absolute_url()).status_code == 200

    with_body = [q["sql"] for q in queries if "body" in story_columns(q["sql"])]
    assert len(with_body) == 1  # the story itself; related and latest stories come without


def test_lists_count_no_further_than_the_pages_they_offer(client, make_story, settings):
    settings.STORIES_PER_PAGE, settings.LISTING_MAX_PAGES = 2, 2
    for n in range(7):
        make_story(f"Новость {n}", published_at=timezone.now() - HOUR * (n + 1))

    with CaptureQueriesContext(connection) as queries:
        second = client.get(reverse("articles:latest"), {"page": 2})
    beyond = client.get(reverse("articles:latest"), {"page": 3})

    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert counts and all("LIMIT 5" in sql for sql in counts)
    assert second.status_code == 200 and beyond.status_code == 404
    html = second.content.decode()
    assert "Страница 2<" in html and "Страница 2 из" not in html  # there are more than shown
    assert 'rel="next"' not in html


def test_short_lists_still_say_how_many_pages_they_have(client, make_story, settings):
    settings.STORIES_PER_PAGE = 2
    for n in range(3):
        make_story(f"Новость {n}")

    assert "Страница 1 из 2" in client.get(reverse("articles:latest")).content.decode()


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


def test_feeds_and_sitemaps_cost_the_same_whatever_the_number_of_stories(
    client, make_story, archive
):
    urls = list_urls(archive)[10:]
    few = {url: _queries(client, url) for url in urls}
    for n in range(25):
        make_story(f"Ещё новость {n}", tags=["школы", f"тег {n}"])

    assert {url: _queries(client, url) for url in urls} == few


def test_story_page_weighs_under_100_kb_with_its_styles_and_scripts(client, make_story, make_quote):
    story = make_story(
        "Тяжёлая новость",
        body="".join(f"<p>Абзац номер {n} обычной длины для новости.</p>" for n in range(30)),
        tags=[f"тег {n}" for n in range(10)],
    )
    for n in range(10):
        make_quote(story, f"Цитата номер {n}", position=n)
    story.related.add(*[make_story() for _ in range(10)])

    html = client.get(story.get_absolute_url()).content.decode()
    assets = re.findall(r'(?:href|src)="/static/([^"]+\.(?:css|js))"', html)
    weight = len(html.encode()) + sum(Path(finders.find(a)).stat().st_size for a in assets)

    assert assets  # the stylesheet and the scripts are counted
    assert weight < 100 * 1024, weight


def test_admin_story_list_reads_no_bodies_and_counts_once(client, archive, editor_user):
    client.force_login(editor_user)
    story = archive["stories"][0]
    url = reverse("admin:articles_story_changelist") + f"?section__id__exact={story.section_id}"

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)

    assert response.status_code == 200 and story.headline in response.content.decode()
    for query in queries:
        assert "body" not in story_columns(query["sql"]), query["sql"]
    counts = [
        q["sql"] for q in queries if "COUNT(" in q["sql"].upper() and "articles_story" in q["sql"]
    ]
    assert len(counts) == 1  # the filtered list's, not the whole table's as well


def test_story_sitemap_is_split_into_pages_the_index_lists(client, make_story, monkeypatch):
    from articles.sitemaps import StorySitemap

    monkeypatch.setattr(StorySitemap, "limit", 2)
    stories = [make_story(f"Новость {n}") for n in range(5)]

    index = client.get("/sitemap.xml").content.decode()
    third = client.get("/sitemap-stories.xml", {"p": 3}).content.decode()

    assert "sitemap-stories.xml?p=3" in index and "sitemap-stories.xml?p=4" not in index
    assert third.count("<url>") == 1 and stories[0].get_absolute_url() in third
