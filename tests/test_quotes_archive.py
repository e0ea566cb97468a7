"""The quotes archive: each newsmaker's quotes searchable by word forms, paginated, with a feed;
``/quotes/`` site-wide by section and newsmaker; ``Quotation`` markup; and site search finding
stories by their quotes."""

import re

import extruct
import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Newsmaker, Story

pytestmark = pytest.mark.django_db


def json_ld(html):
    return extruct.extract(html, base_url="http://testserver/", syntaxes=["json-ld"])["json-ld"]


def quotations(html):
    return [item for item in json_ld(html) if item.get("@type") == "Quotation"]


@pytest.fixture
def tokayev(make_newsmaker):
    return make_newsmaker("Касым-Жомарт Токаев", role="Президент Казахстана")


@pytest.fixture
def archive(make_story, make_quote, tokayev, make_newsmaker):
    """Two quotes of Tokayev in published stories, one in a draft, and someone else's quote."""
    schools = make_story(
        "Президент открыл школу", published_at=timezone.now() - timezone.timedelta(days=2)
    )
    roads = make_story("Президент о дорогах")
    draft = make_story("Черновик с цитатой", status=Story.Status.DRAFT)
    return {
        "schools": make_quote(
            schools,
            "Мы построим новые школы в каждом районе.",
            speaker=tokayev,
            context="на встрече с учителями",
            said_on=timezone.localdate() - timezone.timedelta(days=3),
        ),
        "roads": make_quote(roads, "Дороги должны быть отремонтированы к зиме.", speaker=tokayev),
        "draft": make_quote(draft, "Секретная школа откроется позже.", speaker=tokayev),
        "other": make_quote(roads, "Школ не хватает.", speaker=make_newsmaker("Аскар Умаров")),
    }


def test_newsmaker_page_lists_each_quote_with_context_date_story_and_anchor(
    client, archive, tokayev
):
    html = client.get(tokayev.get_absolute_url()).content.decode()
    quote = archive["schools"]

    assert f'<li id="quote-{quote.pk}">' in html
    assert "на встрече с учителями" in html
    assert f'datetime="{quote.said_on:%Y-%m-%d}"' in html
    assert f'href="{quote.story.get_absolute_url()}#quote-{quote.pk}"' in html
    assert f'href="#quote-{quote.pk}"' in html
    assert "Дороги должны быть" in html


def test_archive_never_shows_quotes_from_drafts(client, archive, tokayev):
    html = client.get(tokayev.get_absolute_url()).content.decode()

    assert "Секретная школа" not in html
    assert "Черновик с цитатой" not in html


def test_newsmaker_quotes_are_found_by_any_form_of_a_word(client, archive, tokayev):
    response = client.get(tokayev.get_absolute_url(), {"q": "школа"})
    html = response.content.decode()

    assert [quote.pk for quote in response.context["page"]] == [archive["schools"].pk]
    assert "<mark>школы</mark>" in html
    assert "Дороги должны быть" not in html
    assert "Школ не хватает" not in html  # someone else's
    assert "Секретная школа" not in html  # a draft's


def test_newsmaker_search_finds_words_of_the_context(client, archive, tokayev):
    response = client.get(tokayev.get_absolute_url(), {"q": "учитель"})

    assert [quote.pk for quote in response.context["page"]] == [archive["schools"].pk]


def test_newsmaker_search_without_match_says_so(client, archive, tokayev):
    html = client.get(tokayev.get_absolute_url(), {"q": "космодром"}).content.decode()

    assert "Ни одна цитата не содержит «космодром»" in html


def test_newsmaker_archive_is_paginated_and_keeps_the_search(
    client, make_story, make_quote, tokayev
):
    story = make_story()
    for i in range(25):
        make_quote(story, f"Школа номер {i} открыта.", speaker=tokayev)

    first = client.get(tokayev.get_absolute_url(), {"q": "школы"})
    second = client.get(tokayev.get_absolute_url(), {"q": "школы", "page": 2})

    assert len(first.context["page"]) == 20 and len(second.context["page"]) == 5
    assert 'href="?q=%D1%88%D0%BA%D0%BE%D0%BB%D1%8B&amp;page=2"' in first.content.decode()
    assert client.get(tokayev.get_absolute_url(), {"page": 9}).status_code == 404


def test_newsmaker_atom_feed_lists_published_quotes_linking_into_stories(client, archive, tokayev):
    response = client.get(tokayev.get_atom_url())
    feed = feedparser.parse(response.content)

    assert response["Content-Type"].startswith("application/atom+xml")
    links = [entry.link for entry in feed.entries]
    schools = archive["schools"]
    assert f"http://testserver{schools.story.get_absolute_url()}#quote-{schools.pk}" in links
    assert len(feed.entries) == 2
    assert all("Секретная" not in entry.title for entry in feed.entries)
    assert feed.entries[0].author == "Касым-Жомарт Токаев"


def test_quotes_page_lists_the_latest_quotes_site_wide(client, archive):
    html = client.get(reverse("articles:quotes")).content.decode()

    for name in ("roads", "schools", "other"):
        assert f'id="quote-{archive[name].pk}"' in html
    assert "Секретная школа" not in html
    assert html.index("Дороги должны быть") < html.index("Мы построим новые школы")


def test_quotes_page_filters_by_newsmaker(client, archive, tokayev):
    response = client.get(reverse("articles:quotes"), {"speaker": tokayev.slug})

    assert {q.pk for q in response.context["page"]} == {archive["schools"].pk, archive["roads"].pk}
    assert "Цитаты: Касым-Жомарт Токаев" in response.content.decode()


def test_quotes_page_filters_by_section(
    client, archive, make_section, make_story, make_quote, tokayev
):
    economy = make_section("Экономика")
    quote = make_quote(
        make_story("Бюджет", section=economy), "Бюджет сбалансирован.", speaker=tokayev
    )

    response = client.get(reverse("articles:quotes"), {"section": economy.slug})

    assert [q.pk for q in response.context["page"]] == [quote.pk]


def test_quotes_page_searches_by_word_forms(client, archive):
    response = client.get(reverse("articles:quotes"), {"q": "школ"})

    assert {q.pk for q in response.context["page"]} == {archive["schools"].pk, archive["other"].pk}


def test_unknown_newsmaker_filter_is_shown_as_an_error(client, archive):
    response = client.get(reverse("articles:quotes"), {"speaker": "nikto"})

    assert response.status_code == 200
    assert "Такого ньюсмейкера нет." in response.content.decode()
    assert len(response.context["page"]) == 3  # the filter is left out


@pytest.mark.parametrize(
    "query",
    ["speaker=%00", "speaker=<script>", "section=%ff", "q=%00", "q=" + "ш" * 3000, "page=-1"],
)
def test_hostile_quote_filters_never_answer_server_error(client, archive, query):
    assert client.get(reverse("articles:quotes") + "?" + query).status_code in (200, 404)


def test_quote_without_speaker_is_listed_and_in_the_feed(client, make_story, make_quote):
    make_quote(make_story(), "Анонимная фраза.", speaker=None)

    assert "Анонимная фраза." in client.get(reverse("articles:quotes")).content.decode()
    feed = feedparser.parse(client.get(reverse("articles:quotes-atom")).content)
    assert feed.entries[0].title == "«Анонимная фраза.»"


def test_site_quotes_feed_lists_published_quotes(client, archive):
    feed = feedparser.parse(client.get(reverse("articles:quotes-rss")).content)

    assert len(feed.entries) == 3
    assert not feed.bozo


def test_story_page_marks_up_its_quotes_as_quotations(client, archive):
    story = archive["schools"].story

    html = client.get(story.get_absolute_url()).content.decode()
    [quotation] = quotations(html)

    assert f'id="quote-{archive["schools"].pk}"' in html
    assert quotation["text"] == "Мы построим новые школы в каждом районе."
    assert quotation["spokenByCharacter"]["name"] == "Касым-Жомарт Токаев"
    assert quotation["spokenByCharacter"]["jobTitle"] == "Президент Казахстана"
    assert quotation["url"].endswith(f"#quote-{archive['schools'].pk}")
    assert quotation["isPartOf"]["headline"] == story.headline


def test_archive_pages_mark_up_their_quotes(client, archive, tokayev):
    on_newsmaker = quotations(client.get(tokayev.get_absolute_url()).content.decode())
    on_quotes = quotations(client.get(reverse("articles:quotes")).content.decode())

    assert len(on_newsmaker) == 2 and len(on_quotes) == 3
    assert {q["spokenByCharacter"]["name"] for q in on_newsmaker} == {"Касым-Жомарт Токаев"}


# --- Site search finds stories by their quotes ------------------------------------------------


def found(client, words):
    return [
        story.headline
        for story in client.get(reverse("articles:search"), {"q": words}).context["page"]
    ]


def test_search_finds_a_story_by_the_words_of_its_quotes(client, archive):
    assert found(client, "отремонтировать") == ["Президент о дорогах"]


def test_search_finds_a_story_by_the_name_of_a_quoted_speaker(client, archive):
    assert found(client, "Умарова") == ["Президент о дорогах"]


def test_search_follows_a_changed_quote(client, archive):
    quote = archive["roads"]
    quote.text = "Мосты будут построены."
    quote.save()

    assert found(client, "отремонтировать") == []
    assert found(client, "мост") == ["Президент о дорогах"]


def test_search_forgets_a_deleted_quote(client, archive):
    archive["other"].delete()

    assert found(client, "Умаров") == []


def test_search_follows_a_renamed_speaker(client, archive):
    speaker = archive["other"].speaker
    speaker.name = "Аскар Бекмаганбетов"
    speaker.save()

    assert found(client, "Бекмаганбетов") == ["Президент о дорогах"]
    assert found(client, "Умаров") == []


def test_search_never_finds_drafts_by_their_quotes(client, archive):
    assert found(client, "секретный") == []


def test_rebuilding_the_index_keeps_the_quotes(client, archive):
    Story.objects.all().reindex()

    assert found(client, "Умаров") == ["Президент о дорогах"]


# --- Cost ------------------------------------------------------------------------------------


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url",
    ["newsmaker", "newsmaker-search", "quotes", "quotes-filtered", "quotes-search"],
)
def test_archive_query_count_does_not_grow_with_quotes(
    client, make_story, make_quote, tokayev, section, url
):
    def add(n):
        for i in range(n):
            story = make_story(f"Новость {i}")
            make_quote(story, f"Школа {i} открыта.", speaker=tokayev, context="на встрече")
            make_quote(story, f"Больница {i} открыта.")

    urls = {
        "newsmaker": tokayev.get_absolute_url(),
        "newsmaker-search": tokayev.get_absolute_url() + "?q=школа",
        "quotes": reverse("articles:quotes"),
        "quotes-filtered": reverse("articles:quotes")
        + f"?speaker={tokayev.slug}&section={section.slug}",
        "quotes-search": reverse("articles:quotes") + "?q=открыть",
    }
    add(2)
    few = _count(client, urls[url])
    add(15)

    assert _count(client, urls[url]) == few


def test_newsmaker_names_in_filters_are_escaped(client, make_story, make_quote):
    speaker = Newsmaker.objects.create(name='<img src=x onerror="alert(1)">', slug="hostile")
    make_quote(make_story(), "Текст.", speaker=speaker)

    html = client.get(reverse("articles:quotes")).content.decode()

    assert "<img src=x" not in html
    assert re.search(r"&lt;img src=x onerror=(&quot;|&#x27;)alert", html)
