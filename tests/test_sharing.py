"""Link previews, short links, share links and share cards: how stories travel."""

import io
import json
import re
from urllib.parse import parse_qs, unquote, urlsplit

import extruct
import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from articles.models import Story

pytestmark = pytest.mark.django_db

HOUR = timezone.timedelta(hours=1)


def json_ld(html):
    return extruct.extract(html, base_url="http://testserver/", syntaxes=["json-ld"])["json-ld"]


def by_type(items, kind):
    return next(item for item in items if item["@type"] == kind)


def meta(html, prop):
    """Every ``content`` of ``<meta property|name=prop>``."""
    return re.findall(rf'<meta (?:property|name)="{re.escape(prop)}" content="([^"]*)">', html)


def test_story_page_has_open_graph_and_twitter_card(client, make_story, make_photo):
    photo = make_photo(size=(1600, 1000), alt="Два президента")
    story = make_story(
        "Президенты обсудили сотрудничество",
        lede="Разговор прошёл по телефону.",
        tags=["Россия", "дипломатия"],
        photo=photo,
    )

    html = client.get(story.get_absolute_url()).content.decode()

    url = f"http://testserver{story.get_absolute_url()}"
    assert meta(html, "og:type") == ["article"]
    assert meta(html, "og:url") == [url]
    # The 1200 × 630 crop around the focal point, not the photo as uploaded.
    social = photo.renditions.get(spec="social.jpg")
    assert meta(html, "og:image") == [f"http://testserver{social.file.url}"]
    assert meta(html, "og:image:width") == ["1200"] and meta(html, "og:image:height") == ["630"]
    assert meta(html, "og:image:type") == ["image/jpeg"]
    assert meta(html, "og:image:alt") == ["Два президента"]
    assert meta(html, "twitter:image") == [f"http://testserver{social.file.url}"]
    assert meta(html, "article:published_time") == [
        timezone.localtime(story.published_at).isoformat()
    ]
    assert meta(html, "article:modified_time")
    assert meta(html, "article:section") == ["Политика"]
    assert sorted(meta(html, "article:tag")) == ["Россия", "дипломатия"]
    assert meta(html, "twitter:card") == ["summary_large_image"]


def test_story_json_ld_is_a_news_article_with_breadcrumbs(client, make_story, make_photo):
    author = get_user_model().objects.create_user("aliya", first_name="Алия", last_name="Серик")
    photo = make_photo()
    story = make_story("Президенты обсудили сотрудничество", lede="По телефону.", photo=photo)
    story.authors.add(author)

    items = json_ld(client.get(story.get_absolute_url()).content.decode())

    article = by_type(items, "NewsArticle")
    url = f"http://testserver{story.get_absolute_url()}"
    assert article["headline"] == story.headline
    assert article["description"] == "По телефону."
    social = photo.renditions.get(spec="social.jpg")
    assert article["image"][0]["url"] == f"http://testserver{social.file.url}"
    assert article["datePublished"].startswith(story.published_at.isoformat()[:19])
    assert article["dateModified"]
    assert article["author"] == [
        {"@type": "Person", "name": "Алия Серик", "url": "http://testserver/authors/aliya/"}
    ]
    assert article["publisher"]["name"] == "Newsroom"
    assert article["publisher"]["logo"]["url"].startswith("http://testserver/static/img/logo")
    assert article["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert article["inLanguage"] == "ru"
    crumbs = by_type(items, "BreadcrumbList")["itemListElement"]
    assert [crumb["name"] for crumb in crumbs] == ["Newsroom", "Политика", story.headline]
    assert crumbs[-1]["item"] == url


def test_headline_cannot_break_out_of_structured_data(client, make_story):
    hostile = '</script><script>alert("x")</script><!-- & \u2028'
    story = make_story(hostile, lede=hostile)

    html = client.get(story.get_absolute_url()).content.decode()

    assert '<script>alert("x")' not in html
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(scripts) == 2
    article = by_type([json.loads(script) for script in scripts], "NewsArticle")
    assert article["headline"] == hostile
    assert "<" not in scripts[0] and ">" not in scripts[0]
    assert by_type(json_ld(html), "NewsArticle")["headline"] == hostile
    assert meta(html, "og:title") == [
        "&lt;/script&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;!-- &amp; \u2028"
    ]


@pytest.mark.parametrize("page", ["home", "section", "tag", "newsmaker"])
def test_other_pages_have_fitting_previews_and_structured_data(
    client, make_story, make_quote, make_newsmaker, page
):
    speaker = make_newsmaker("Айгуль Сарсенова", role="Синоптик")
    story = make_story(tags=["погода"])
    make_quote(story, speaker=speaker)
    url, title, kind = {
        "home": ("/", "Newsroom", "WebSite"),
        "section": (story.section.get_absolute_url(), "Политика", "CollectionPage"),
        "tag": ("/tags/pogoda/", "погода", "CollectionPage"),
        "newsmaker": (speaker.get_absolute_url(), "Айгуль Сарсенова", "ProfilePage"),
    }[page]

    html = client.get(url).content.decode()

    assert meta(html, "og:title") == [title]
    assert meta(html, "og:url") == [f"http://testserver{url}"]
    assert meta(html, "og:image")[0].startswith("http://testserver/")
    assert by_type(json_ld(html), kind)


def test_story_without_photo_unfurls_with_its_share_card(client, make_story):
    story = make_story("Әкім жаңа көпір ашты: ә ғ қ ң ө ұ ү һ і")

    html = client.get(story.get_absolute_url()).content.decode()
    card_url = meta(html, "og:image")[0]
    response = client.get(card_url.removeprefix("http://testserver"))

    assert meta(html, "og:image:width") == ["1200"] and meta(html, "og:image:height") == ["630"]
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "immutable" in response["Cache-Control"]
    image = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert image.size == (1200, 630)
    assert by_type(json_ld(html), "NewsArticle")["image"][0]["url"] == card_url


def test_share_card_is_drawn_once_and_again_when_the_headline_changes(
    client, make_story, media_root
):
    story = make_story("Первый заголовок")
    first = story.get_share_card_url()
    client.get(first)
    client.get(first)
    drawn = list((media_root / "cards" / str(story.pk)).iterdir())
    assert len(drawn) == 1
    mtime = drawn[0].stat().st_mtime_ns
    client.get(first)
    assert drawn[0].stat().st_mtime_ns == mtime

    story.headline = "Второй заголовок"
    story.save()
    second = story.get_share_card_url()

    assert second != first
    assert client.get(second).status_code == 200
    assert [p.name for p in (media_root / "cards" / str(story.pk)).iterdir()] == [
        second.rsplit("card-", 1)[1]
    ]
    assert client.get(first)["Location"] == second


def test_share_card_of_unpublished_story_is_not_found(client, make_story):
    story = make_story(status=Story.Status.DRAFT)

    assert client.get(story.get_share_card_url()).status_code == 404


def test_short_link_redirects_permanently_to_the_canonical_address(
    client, make_story, make_section
):
    story = make_story("Старый заголовок")
    short = story.get_short_url()
    story.headline, story.slug = "Новый заголовок", "novyy-zagolovok"
    story.section = make_section("Экономика")
    story.save()

    response = client.get(short)

    assert short == f"/s/{story.short_code}/"
    assert short.isascii() and len(story.short_code) <= 4
    assert response.status_code == 301
    assert response["Location"] == story.get_absolute_url()


@pytest.mark.parametrize("code", ["zzzzzz", "0", "-1", "ab.c", "a" * 40, "ш", "%00"])
def test_unknown_short_links_are_not_found(client, make_story, code):
    make_story()

    assert client.get(f"/s/{code}/").status_code == 404


def test_short_link_of_unpublished_story_is_not_found(client, make_story):
    draft = make_story(status=Story.Status.DRAFT)
    scheduled = make_story(published_at=timezone.now() + HOUR)
    withdrawn = make_story(status=Story.Status.WITHDRAWN, published_at=timezone.now() - HOUR)

    for story in (draft, scheduled, withdrawn):
        assert client.get(story.get_short_url()).status_code == 404
        assert client.get(story.get_share_card_url()).status_code == 404


def test_story_announces_its_short_link_and_copy_button_copies_it(client, make_story):
    story = make_story()

    html = client.get(story.get_absolute_url()).content.decode()

    short = f"http://testserver/s/{story.short_code}/"
    assert f'<link rel="shortlink" href="{short}">' in html
    assert re.search(rf'<button type="button" class="copy-link" data-url="{short}"', html)


def test_admin_shows_the_short_link_next_to_the_story(admin_client, make_story, settings):
    settings.SITE_URL = "https://news.example.kz"
    story = make_story()

    html = admin_client.get(reverse("admin:articles_story_change", args=[story.pk])).content

    assert f"https://news.example.kz/s/{story.short_code}/".encode() in html


def test_each_share_link_carries_its_own_utm_source(client, make_story):
    story = make_story("Главы государств провели переговоры")

    html = client.get(story.get_absolute_url(), {"utm_source": "telegram"}).content.decode()

    canonical = f"http://testserver{story.get_absolute_url()}"
    links = re.findall(r'<a href="((?:https://|mailto:)[^"]+)"', html.split('class="share"')[1])
    sources = {}
    for link in links:
        shared = unquote(re.search(r"(?:url=|u=|body=|text=[^&]*%20)([^&]+)", link).group(1))
        shared = unquote(shared.replace("&amp;", "&"))
        params = parse_qs(urlsplit(shared).query)
        assert shared.split("?")[0] == canonical
        assert params["utm_medium"] == ["social"]
        sources[params["utm_source"][0]] = link
    assert set(sources) == {"telegram", "whatsapp", "vk", "facebook", "x", "email"}


def test_canonical_address_never_carries_tracking_parameters(client, make_story):
    story = make_story()

    html = client.get(
        story.get_absolute_url(), {"utm_source": "vk", "utm_medium": "social", "fbclid": "1"}
    ).content.decode()

    canonical = f"http://testserver{story.get_absolute_url()}"
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert meta(html, "og:url") == [canonical]
    assert by_type(json_ld(html), "NewsArticle")["url"] == canonical


def test_earlier_story_shows_newer_stories_that_recall_it(client, make_story):
    earlier = make_story("Начало истории", published_at=timezone.now() - 48 * HOUR)
    later = make_story("Продолжение истории")
    draft = make_story("Черновик продолжения", status=Story.Status.DRAFT)
    later.related.add(earlier)
    draft.related.add(earlier)

    html = client.get(earlier.get_absolute_url()).content.decode()

    block = html.split("Продолжение темы", 1)[1]
    assert "Продолжение истории" in block
    assert "Черновик продолжения" not in html
    assert "Продолжение темы" not in client.get(later.get_absolute_url()).content.decode()


def test_deleting_a_story_removes_its_share_cards(
    client, make_story, media_root, django_capture_on_commit_callbacks
):
    story = make_story()
    client.get(story.get_share_card_url())
    folder = media_root / "cards" / str(story.pk)
    assert list(folder.iterdir())

    with django_capture_on_commit_callbacks(execute=True):
        story.delete()

    assert not folder.exists() or not list(folder.iterdir())


def test_story_page_query_count_does_not_grow_with_follow_ups(
    client, make_story, django_assert_max_num_queries
):
    def build(n):
        earlier = make_story(published_at=timezone.now() - 48 * HOUR)
        for _ in range(n):
            make_story().related.add(earlier)
        return earlier.get_absolute_url()

    one, many = build(1), build(20)

    with CaptureQueriesContext(connection) as few_queries:
        client.get(one)
    with django_assert_max_num_queries(len(few_queries)):
        html = client.get(many).content.decode()
    assert html.count('class="card"') >= 20
