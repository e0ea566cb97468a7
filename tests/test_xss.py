"""Cross-site scripting: a corpus of public payloads (tests/fixtures/xss_payloads.txt) goes in
through every field an editor, a reporter, a partner's feed, a wire file or a reader controls,
and comes out of every page, feed and endpoint as text, never as markup that runs.

Pages are parsed the way browsers parse them (html5lib): no script but the page's own, no event
handler, no javascript: address. tests/test_xss_browser.py loads the same pages in Chromium.
"""

import contextlib
import json
import re
from io import StringIO
from urllib.parse import urlencode, urlsplit

import feedparser
import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from articles import partners
from articles.models import (
    Correction,
    LiveEntry,
    Newsmaker,
    PartnerFeed,
    Photo,
    Quote,
    Section,
    Story,
    Tag,
)
from articles.richtext import insert_embeds
from tests.adminforms import admin_url, story_form_data
from tests.hostile import json_ld, meta_content, payloads, problems
from tests.images import picture_bytes, upload

pytestmark = pytest.mark.django_db

PAYLOADS = payloads()
NONCE = re.compile(r"'nonce-([^']+)'")


def test_corpus_has_at_least_a_hundred_distinct_payloads():
    assert len(set(PAYLOADS)) >= 100


def nonce_of(response):
    found = NONCE.search(response.headers.get("Content-Security-Policy", ""))
    return found.group(1) if found else None


def get_page(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response


def assert_clean(response, url=""):
    found = problems(response.content.decode(), nonce=nonce_of(response))
    assert not found, (url or response.request["PATH_INFO"], found[:5])


def pack(limit):
    """The payloads packed into as few texts of at most ``limit`` characters as there can be,
    whole (one longer than ``limit`` is cut): one page then shows many."""
    packs, current = [], ""
    for payload in PAYLOADS:
        payload = payload[:limit]
        if current and len(current) + 1 + len(payload) > limit:
            packs.append(current)
            current = payload
        else:
            current = f"{current} {payload}" if current else payload
    return [*packs, current]


def build_site():
    """Every payload in every field readers see: headlines, ledes and image texts of stories,
    names and descriptions of sections, tags, newsmakers and their roles, authors' names; and
    one live story carrying each payload as a quote, a correction and in live entries. Returns
    the live story."""
    now = timezone.now()
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"author{i}", first_name=name, last_name=name[::-1])
        for i, name in enumerate(pack(150))
    )
    sections = [
        Section.objects.create(name=name, description=name, position=i)
        for i, name in enumerate(pack(100))
    ]
    tags = [Tag.objects.create(name=name) for name in pack(90)]
    newsmakers = [Newsmaker.objects.create(name=name, role=name) for name in pack(200)]

    def photo(text):
        made = Photo.from_file(
            upload("photo.jpg", picture_bytes((400, 225))),
            alt=text[:255],
            caption=text[:300],
            credit=text[:200],
        )
        made.save()
        Photo.objects.filter(pk=made.pk).draw_renditions()
        return made

    stories = []
    for i, text in enumerate(pack(255)):
        story = Story.objects.create(
            headline=text,
            lede=text,
            body=f"<p>{escape(text)}</p>",
            section=sections[i % len(sections)],
            status=Story.Status.PUBLISHED,
            published_at=now - timezone.timedelta(minutes=10 + i),
            # The first stories show a photo whose alt text, caption and credit are payloads.
            photo=photo(text) if i < 12 else None,
        )
        story.authors.add(users[i % len(users)])
        story.tags.add(tags[i % len(tags)])
        stories.append(story)
    live = stories[0]
    live.start_live()
    live.tags.add(*tags)
    live.authors.add(*users)
    placements = []
    for i, text in enumerate(pack(500)):
        quote = Quote.objects.create(
            story=live,
            text=text,
            speaker=newsmakers[i % len(newsmakers)],
            role=text[:200],
            context=text,
        )
        placements.append((i, "quote", quote.pk))
        Correction.objects.create(story=live, text=text)
    # The quotes stand in the text, each after as many paragraphs as there are quotes before it.
    live.body = insert_embeds(live.body, placements)
    live.save()
    for i, text in enumerate(pack(400)):
        LiveEntry.objects.create(
            story=live,
            body=text,
            quote=text,
            speaker=newsmakers[i % len(newsmakers)],
            posted_at=now - timezone.timedelta(seconds=i),
        )
    return live


@pytest.fixture
def site(settings):
    settings.STORIES_PER_PAGE = 100
    return build_site()


SAMPLE = 6  # of the many section, tag, newsmaker and author pages, this many are loaded


def reader_pages(live):
    """The reader pages the payloads show on (every name is also in the navigation or on the
    live story's page)."""
    yield reverse("articles:home")
    yield reverse("articles:latest")
    yield reverse("articles:live")
    yield reverse("articles:quotes")
    yield reverse("articles:corrections")
    for model in (Section, Tag, Newsmaker):
        for obj in model.objects.order_by("pk")[:SAMPLE]:
            yield obj.get_absolute_url()
    for user in get_user_model().objects.filter(username__startswith="author")[:SAMPLE]:
        yield reverse("articles:author", args=[user.username])


def test_stored_payloads_reach_no_reader_page_as_markup(client, site):
    for url in reader_pages(site):
        assert_clean(get_page(client, url), url)


def test_story_pages_show_hostile_text_as_text_everywhere(client, site):
    """Headline and lede: as text in the page, as written in Open Graph and Twitter cards, and
    whole in JSON-LD, which ``</script>`` in a headline must not end."""
    for story in Story.objects.published():
        response = get_page(client, story.get_absolute_url())
        html = response.content.decode()
        assert_clean(response)
        assert escape(story.headline) in html
        meta = meta_content(html)
        assert (meta["og:title"], meta["og:description"]) == (story.headline, story.lede)
        assert meta["twitter:description"] == story.lede
        types = ("NewsArticle", "LiveBlogPosting")
        article = next(item for item in json_ld(html) if item.get("@type") in types)
        assert article["headline"] == story.headline


def test_share_cards_are_drawn_for_hostile_headlines(client, site):
    # Stories without a photo of their own: their preview image is the drawn share card.
    for story in Story.objects.published().filter(photo=None)[:5]:
        meta = meta_content(get_page(client, story.get_absolute_url()).content.decode())
        card = client.get(urlsplit(meta["og:image"]).path)
        assert card.status_code == 200
        assert card["Content-Type"] == "image/png"
        assert b"".join(card.streaming_content).startswith(b"\x89PNG")


def test_forged_admin_post_of_a_hostile_body_is_stored_and_shown_clean(client, section):
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "x")
    client.force_login(admin)
    body = "\n".join(f"<p>{payload}</p>" for payload in PAYLOADS) + "".join(PAYLOADS)
    response = client.post(
        admin_url(Story, "add"),
        story_form_data(section, headline="Тело", lede="Описание", body=body),
    )
    assert response.status_code == 302, response.content[:2000]
    story = Story.objects.get(headline="Тело")
    assert not problems(story.body, fragment=True)
    story.status, story.published_at = Story.Status.PUBLISHED, timezone.now()
    story.save()
    client.logout()
    assert_clean(get_page(client, story.get_absolute_url()))


def test_search_box_and_highlighted_passages_stay_text(client, site):
    """The query is echoed in the search box and its words are marked in the passages found."""
    words = ["script", "alert", "onerror", "img", "svg", "javascript", "XSS", "style", "href"]
    for query in [*pack(1000), *words, " ".join(words)]:
        url = reverse("articles:search") + "?" + urlencode({"q": query})
        response = client.get(url)
        assert response.status_code in (200, 404), (query, response.status_code)
        assert_clean(response, url)


def test_newsmaker_archive_search_stays_text(client, site):
    newsmaker = Newsmaker.objects.order_by("pk").first()
    for query in [*pack(1000), "alert", "script"]:
        url = newsmaker.get_absolute_url() + "?" + urlencode({"q": query})
        assert_clean(get_page(client, url), url)
        url = reverse("articles:quotes") + "?" + urlencode({"q": query})
        assert_clean(get_page(client, url), url)


FEEDS = ["articles:feed-rss", "articles:feed-atom", "articles:quotes-rss", "articles:quotes-atom"]


def test_feeds_carry_no_script_in_any_entry(client, site):
    newsmaker = Newsmaker.objects.order_by("pk").first()
    tag = Tag.objects.order_by("pk").first()
    urls = [reverse(name) for name in FEEDS] + [
        reverse("articles:newsmaker-rss", args=[newsmaker.slug]),
        reverse("articles:newsmaker-atom", args=[newsmaker.slug]),
        reverse("articles:tag-rss", args=[tag.slug]),
        reverse("articles:tag-atom", args=[tag.slug]),
        reverse("articles:section-rss", args=[site.section.slug]),
    ]
    for url in urls:
        response = get_page(client, url)
        feed = feedparser.parse(response.content, sanitize_html=False)
        assert not feed.bozo, (url, feed.get("bozo_exception"))
        assert feed.entries, url
        for entry in feed.entries:
            # RSS titles are text (feedparser guesses HTML when they look like it); Atom says.
            details = [entry.get("summary_detail"), *entry.get("content", [])]
            if "atom" in url:
                details.append(entry.get("title_detail"))
            for detail in filter(None, details):
                if "html" in detail["type"]:
                    assert not problems(detail["value"], fragment=True), (url, detail)


def test_feed_descriptions_are_the_lede_as_text(client, make_story):
    """Feed readers render descriptions and summaries as HTML: a lede is escaped text there."""
    lede = '<script>alert(1)</script> & <img src=x onerror=alert(1)> "«ok»"'
    make_story(lede=lede)
    for name in ("articles:feed-rss", "articles:feed-atom"):
        feed = feedparser.parse(get_page(client, reverse(name)).content, sanitize_html=False)
        assert feed.entries[0].summary == escape(lede)


def test_live_updates_endpoint_sends_escaped_entries(client, site):
    response = get_page(client, reverse("articles:live-updates", args=[site.pk]))
    data = json.loads(response.content)
    assert len(data["entries"]) > 10
    for entry in data["entries"]:
        assert not problems(entry["html"], fragment=True), entry["html"]


HOSTILE_FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Партнёр</title><link>https://partner.example/</link>
{items}</channel></rss>"""
HOSTILE_ITEM = "<item><title>{title}</title><link>{link}</link></item>"


def cdata(text):
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def test_partner_feed_items_reach_story_pages_as_text(client, site, monkeypatch):
    """Feeds come from someone else's server: each payload as an escaped title, as raw markup
    in CDATA, and as the entry's address."""
    from xml.sax.saxutils import escape as xml_escape

    feeds = []
    for start in range(0, len(PAYLOADS), 10):
        chunk = PAYLOADS[start : start + 10]
        items = "".join(
            HOSTILE_ITEM.format(
                title=xml_escape(payload) if n % 2 else cdata(payload),
                link=xml_escape(payload) if n % 3 == 0 else f"https://partner.example/{n}",
            )
            for n, payload in enumerate(chunk)
        )
        feeds.append(
            (
                PartnerFeed.objects.create(name=chunk[0][:100], url=f"https://p{start}.example/"),
                HOSTILE_FEED.format(items=items).encode(),
            )
        )
    bodies = {feed.url: body for feed, body in feeds}
    monkeypatch.setattr(partners, "download", lambda url, **options: bodies[url])
    # A feed feedparser finds malformed is refused, and the command says so.
    with contextlib.suppress(CommandError):
        call_command("fetch_partner_news", stdout=StringIO(), stderr=StringIO())
    assert sum(1 for feed, _ in feeds if feed.links.exists()) >= len(feeds) * 3 // 4
    links = [link for feed, _ in feeds for link in feed.links.all()]
    assert links
    for link in links:
        assert urlsplit(link.url).scheme in ("http", "https")
        assert not re.search(r"<[a-zA-Z/!?][^>]*>", link.title)
    for story in Story.objects.published()[:5]:
        assert_clean(get_page(client, story.get_absolute_url()))


WIRE = """{headline}

{lede}

{body}

«{quote}», — сказал министр финансов Ерлан Жакупов.

Источник: {source}
"""


def test_wire_files_with_payloads_import_as_text(client, section, tmp_path):
    get_user_model().objects.create_user("editor")
    for n, payload in enumerate(pack(255)):
        (tmp_path / f"{n:03}.txt").write_text(
            WIRE.format(
                headline=f"{payload} {n}",
                lede=f"Описание: {payload}",
                body=f"Текст: {payload}",
                quote=payload.replace("«", "").replace("»", ""),
                source=payload,
            ),
            encoding="utf-8",
        )
    # A file may be refused (shapeless); the others are imported.
    with contextlib.suppress(CommandError):
        call_command(
            "import_story", str(tmp_path), "--section", section.slug, "--author", "editor",
            "--publish", stdout=StringIO(), stderr=StringIO(),
        )  # fmt: skip
    stories = list(Story.objects.published())
    assert len(stories) > len(pack(255)) // 2
    for story in stories:
        assert not problems(story.body, fragment=True)
        assert_clean(get_page(client, story.get_absolute_url()))
    assert_clean(get_page(client, reverse("articles:quotes")))
