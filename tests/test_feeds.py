"""Feeds and sitemaps: what they list, what they never list, and that real parsers read them."""

import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Story

pytestmark = pytest.mark.django_db

HOUR = timezone.timedelta(hours=1)
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@pytest.fixture
def hidden(make_story):
    """A story in each state readers must not see, all tagged and quoted like visible ones."""
    return [
        make_story("Черновик о тарифах", status=Story.Status.DRAFT, tags=["тарифы"]),
        make_story("Тарифы на проверке", status=Story.Status.REVIEW, tags=["тарифы"]),
        make_story(
            "Будущая новость о тарифах", published_at=timezone.now() + HOUR, tags=["тарифы"]
        ),
        make_story(
            "Снятая новость о тарифах",
            status=Story.Status.WITHDRAWN,
            published_at=timezone.now() - HOUR,
            tags=["тарифы"],
        ),
    ]


def feed_urls(story, speaker):
    section, tag = story.section, story.tags.get()
    return [
        reverse("articles:feed-rss"),
        reverse("articles:feed-atom"),
        section.get_rss_url(),
        section.get_atom_url(),
        tag.get_rss_url(),
        tag.get_atom_url(),
        speaker.get_rss_url(),
        speaker.get_atom_url(),
    ]


def test_every_feed_parses_cleanly_in_feedparser(
    client, make_story, make_quote, make_newsmaker, make_photo
):
    speaker = make_newsmaker("Айгуль Сарсенова")
    photo = make_photo(alt="Счётчик")
    story = make_story("Тарифы на свет & газ <не> вырастут", tags=["тарифы"], photo=photo)
    make_quote(story, "Повышения не будет", speaker=speaker, context="на брифинге")

    for url in feed_urls(story, speaker):
        response = client.get(url)
        parsed = feedparser.parse(response.content)
        assert response.status_code == 200, url
        assert not parsed.bozo, (url, parsed.get("bozo_exception"))
        assert parsed.version == ("atom10" if "atom" in url else "rss20"), url
        assert len(parsed.entries) == 1, url
        assert parsed.entries[0].link.startswith("http://testserver/news/"), url


def test_rss_item_has_full_lede_enclosure_categories_and_stable_guid(
    client, make_story, make_photo
):
    lede = "Тарифы сохранятся до конца года. " * 20
    photo = make_photo(size=(1600, 900))
    story = make_story("Тарифы не вырастут", lede=lede, tags=["тарифы"], photo=photo)
    story.authors.create(username="aliya", first_name="Алия", last_name="Серик")

    root = ET.fromstring(client.get(reverse("articles:feed-rss")).content)

    channel = root.find("channel")
    assert root.tag == "rss" and root.get("version") == "2.0"
    for required in ("title", "link", "description", "language"):
        assert channel.findtext(required), required
    item = channel.find("item")
    assert item.findtext("description") == lede
    assert item.findtext("title") == "Тарифы не вырастут"
    assert item.findtext("link") == f"http://testserver{story.get_absolute_url()}"
    guid = item.find("guid")
    assert guid.text == f"http://testserver/s/{story.short_code}/"
    assert guid.get("isPermaLink") == "false"
    # The photo as wide as pages show it, in JPEG, with its size in bytes.
    enclosure = item.find("enclosure")
    rendition = photo.renditions.get(spec="w1440.jpg")
    assert enclosure.get("url") == f"http://testserver{rendition.file.url}"
    assert enclosure.get("type") == "image/jpeg"
    assert int(enclosure.get("length")) == rendition.file.size == rendition.size
    assert {c.text for c in item.findall("category")} == {"Политика", "тарифы"}
    assert item.findtext("pubDate")


def test_atom_feed_has_the_required_elements(client, make_story):
    make_story("Тарифы не вырастут", lede="До конца года.")

    root = ET.fromstring(client.get(reverse("articles:feed-atom")).content)

    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author/" + ATOM + "name"):
        assert root.findtext(ATOM + required.replace("/" + ATOM, "/" + ATOM)), required
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == "http://testserver/news/atom.xml"
    entry = root.find(f"{ATOM}entry")
    for required in ("id", "title", "updated", "summary"):
        assert entry.findtext(ATOM + required), required
    assert entry.findtext(f"{ATOM}summary") == "До конца года."


def test_feeds_list_no_unpublished_story(client, make_story, make_quote, make_newsmaker, hidden):
    speaker = make_newsmaker()
    visible = make_story("Видимая новость о тарифах", tags=["тарифы"])
    for story in [visible, *hidden]:
        make_quote(story, f"Цитата: {story.headline}", speaker=speaker)

    for url in feed_urls(visible, speaker):
        text = client.get(url).content.decode()
        assert "Видимая новость о тарифах" in text, url
        for story in hidden:
            assert story.headline not in text, url


def test_scheduled_story_enters_feeds_and_sitemaps_at_its_time(client, make_story):
    story = make_story("Запланированный репортаж", published_at=timezone.now() + HOUR)
    assert (
        "Запланированный репортаж" not in client.get(reverse("articles:feed-rss")).content.decode()
    )
    assert story.get_absolute_url() not in client.get("/sitemap-stories.xml").content.decode()

    Story.objects.filter(pk=story.pk).update(published_at=timezone.now() - HOUR)

    assert "Запланированный репортаж" in client.get(reverse("articles:feed-rss")).content.decode()
    assert story.get_absolute_url() in client.get("/sitemap-stories.xml").content.decode()


def test_feeds_of_unknown_things_are_not_found(client, db):
    for url in ("/news/nope/rss.xml", "/tags/nope/atom.xml", "/people/nope/rss.xml"):
        assert client.get(url).status_code == 404, url


def test_pages_announce_their_feeds(client, make_story, make_quote, make_newsmaker):
    speaker = make_newsmaker()
    story = make_story(tags=["тарифы"])
    make_quote(story, speaker=speaker)
    pages = {
        "/": reverse("articles:feed-rss"),
        story.get_absolute_url(): story.section.get_rss_url(),
        story.section.get_absolute_url(): story.section.get_atom_url(),
        story.tags.get().get_absolute_url(): story.tags.get().get_rss_url(),
        speaker.get_absolute_url(): speaker.get_atom_url(),
    }

    for page, feed in pages.items():
        html = client.get(page).content.decode()
        assert 'rel="alternate" type="application/' in html
        assert f'href="{feed}"' in html, page


def test_feed_query_count_does_not_grow_with_items(
    client, make_story, make_quote, make_newsmaker, django_assert_max_num_queries
):
    speaker = make_newsmaker()
    for n in range(12):
        story = make_story(f"Новость {n}", tags=["один", "два"])
        story.authors.create(username=f"reporter-{n}")
        make_quote(story, speaker=speaker)

    for url in (reverse("articles:feed-rss"), speaker.get_rss_url()):
        with django_assert_max_num_queries(4):
            client.get(url)


def sitemap_locations(client, url):
    root = ET.fromstring(client.get(url).content)
    return [loc.text for loc in root.iter(f"{SITEMAP}loc")]


def test_sitemap_index_lists_each_sitemap(client, make_story):
    make_story()

    response = client.get("/sitemap.xml")

    root = ET.fromstring(response.content)
    assert root.tag == f"{SITEMAP}sitemapindex"
    locations = [loc.text for loc in root.iter(f"{SITEMAP}loc")]
    assert locations == [
        f"http://testserver/sitemap-{name}.xml"
        for name in ("stories", "news", "sections", "tags", "newsmakers")
    ]
    for location in locations:
        assert client.get(location.removeprefix("http://testserver")).status_code == 200


def test_sitemaps_list_published_pages_with_lastmod_of_the_last_edit(
    client, make_story, make_quote, make_newsmaker, hidden
):
    speaker = make_newsmaker()
    story = make_story("Видимая", tags=["тарифы"])
    make_quote(story, speaker=speaker)
    for other in hidden:
        make_quote(other, speaker=make_newsmaker("Скрытый Спикер"))

    stories = sitemap_locations(client, "/sitemap-stories.xml")
    root = ET.fromstring(client.get("/sitemap-stories.xml").content)

    assert stories == [f"http://testserver{story.get_absolute_url()}"]
    last_edit = timezone.localtime(story.updated_at).date().isoformat()
    assert root.find(f"{SITEMAP}url/{SITEMAP}lastmod").text == last_edit
    assert sitemap_locations(client, "/sitemap-sections.xml") == [
        f"http://testserver{story.section.get_absolute_url()}"
    ]
    assert sitemap_locations(client, "/sitemap-tags.xml") == ["http://testserver/tags/tarify/"]
    assert sitemap_locations(client, "/sitemap-newsmakers.xml") == [
        f"http://testserver{speaker.get_absolute_url()}"
    ]


def test_news_sitemap_has_the_last_two_days_with_news_fields(client, make_story, hidden):
    fresh = make_story("Свежая & важная новость")
    make_story("Вчерашняя новость", published_at=timezone.now() - 30 * HOUR)
    make_story("Старая новость", published_at=timezone.now() - 72 * HOUR)

    root = ET.fromstring(client.get("/sitemap-news.xml").content)

    urls = root.findall(f"{SITEMAP}url")
    assert len(urls) == 2
    first = urls[0]
    assert first.findtext(f"{SITEMAP}loc") == f"http://testserver{fresh.get_absolute_url()}"
    news = first.find(f"{NEWS}news")
    assert news.findtext(f"{NEWS}title") == "Свежая & важная новость"
    assert news.findtext(f"{NEWS}publication/{NEWS}name") == "Newsroom"
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "ru"
    assert news.findtext(f"{NEWS}publication_date").startswith(
        timezone.localtime(fresh.published_at).date().isoformat()
    )


def test_sitemap_query_count_does_not_grow_with_stories(
    client, make_story, django_assert_max_num_queries
):
    for n in range(15):
        make_story(f"Новость {n}", tags=[f"тег {n}"])

    with django_assert_max_num_queries(10):  # two per sitemap: pages and lastmod
        assert client.get("/sitemap.xml").status_code == 200
    for url in ("/sitemap-stories.xml", "/sitemap-news.xml", "/sitemap-tags.xml"):
        with django_assert_max_num_queries(2):
            assert client.get(url).status_code == 200


def test_robots_txt_points_to_the_sitemap(client, db):
    response = client.get("/robots.txt")

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /search/" in lines
