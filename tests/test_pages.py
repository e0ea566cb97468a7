"""Reader pages through the test client: what readers see, and what they never see."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Story

pytestmark = pytest.mark.django_db

HOUR = timezone.timedelta(hours=1)


@pytest.fixture
def unpublished(make_story):
    """One story in each state readers must not see."""
    return [
        make_story("Черновик новости", status=Story.Status.DRAFT, tags=["скрытое"]),
        make_story("Новость на проверке", status=Story.Status.REVIEW, tags=["скрытое"]),
        make_story(
            "Запланированная новость",
            published_at=timezone.now() + HOUR,
            tags=["скрытое"],
        ),
    ]


@pytest.fixture
def editor(db):
    user = get_user_model().objects.create_user("editor", password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_story"))
    return user


def test_story_page_shows_headline_lede_byline_and_body(client, make_story):
    author = get_user_model().objects.create_user("aliya", first_name="Алия", last_name="Серик")
    story = make_story("Аким Алматы открыл новую школу", lede="В школе учатся 1200 детей.")
    story.authors.add(author)

    response = client.get(story.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "Аким Алматы открыл новую школу</h1>" in html
    assert "В школе учатся 1200 детей." in html
    assert "Алия Серик" in html
    when = timezone.localtime(story.published_at).strftime("%Y-%m-%dT%H:%M:%S%z")
    assert f'<time datetime="{when}">' in html
    assert "<p>Первый абзац.</p>" in html


def test_story_quote_renders_as_blockquote_with_speaker_and_context(
    client, make_story, make_quote, make_newsmaker
):
    story = make_story()
    speaker = make_newsmaker("Нурсултан Назарбаев", role="Президент Казахстана")
    make_quote(
        story,
        "Наша задача - беречь это достояние.",
        speaker=speaker,
        context="на встрече с бойцами спецподразделения «Арыстан»",
    )

    html = client.get(story.get_absolute_url()).content.decode()

    quote = re.search(r"<figure class=\"quote\".*?</figure>", html, re.S).group(0)
    assert "<blockquote><p>Наша задача - беречь это достояние.</p></blockquote>" in quote
    caption = re.search(r"<figcaption>(.*?)</figcaption>", quote, re.S).group(1)
    assert "Нурсултан Назарбаев" in caption
    assert "Президент Казахстана" in caption
    assert "на встрече с бойцами спецподразделения «Арыстан»" in caption
    assert speaker.get_absolute_url() in caption


def test_quotes_render_where_the_editor_placed_them(client, make_story, make_quote):
    story = make_story(body="<p>Один.</p><p>Два.</p><p>Три.</p>")
    make_quote(story, "После второго", position=2)
    make_quote(story, "В самом начале", position=0)
    make_quote(story, "После всего", position=99)

    html = client.get(story.get_absolute_url()).content.decode()
    html = html[html.index("<main") :]  # the quotes' structured data in the head aside

    order = [html.index(text) for text in (
        "В самом начале", "Один.", "Два.", "После второго", "Три.", "После всего"
    )]  # fmt: skip
    assert order == sorted(order)


def test_story_body_is_sanitised(client, make_story):
    story = make_story(
        body='<p onclick="steal()">Текст<script>alert(1)</script></p><a href="javascript:x()">ы</a>'
    )

    html = client.get(story.get_absolute_url()).content.decode()

    assert "alert(1)" not in html
    assert "steal()" not in html
    assert "javascript:" not in html
    assert "Текст" in html


def test_headline_and_lede_are_escaped(client, make_story):
    story = make_story("<script>alert('x')</script> Новость", lede="<b>жирный</b>")

    html = client.get(story.get_absolute_url()).content.decode()

    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html
    assert "&lt;b&gt;жирный&lt;/b&gt;" in html


def test_story_shows_sources_tags_related_and_share_row(client, make_story, make_source):
    earlier = make_story("Назарбаев проверил боеготовность спецподразделений")
    hidden = make_story("Неопубликованный материал", status=Story.Status.DRAFT)
    story = make_story("Главы государств провели переговоры", tags=["ИГИЛ", "Россия"])
    story.related.add(earlier, hidden)
    source = make_source("пресс-служба Акорды")
    story.sources.add(source)

    html = client.get(story.get_absolute_url()).content.decode()

    assert f'href="{source.get_absolute_url()}">пресс-служба Акорды</a>' in html
    assert 'href="/tags/igil/">ИГИЛ</a>' in html
    assert 'href="/tags/rossiya/">Россия</a>' in html
    assert earlier.headline in html
    assert hidden.headline not in html
    share_url = f"http%3A%2F%2Ftestserver%2Fnews%2F{story.section.slug}%2F{story.pk}-"
    for network in ("t.me/share", "wa.me", "vk.com/share.php", "facebook.com/sharer", "x.com"):
        assert re.search(rf'href="https://(www\.)?{re.escape(network)}[^"]*{share_url}', html)
    assert 'href="mailto:?subject=' in html
    assert '<script src="https://' not in html


def test_story_page_carries_link_preview_metadata(client, make_story):
    story = make_story("Президенты обсудили сотрудничество", lede="Разговор прошёл по телефону.")

    html = client.get(story.get_absolute_url()).content.decode()

    url = f"http://testserver{story.get_absolute_url()}"
    assert f'<meta property="og:title" content="{story.headline}">' in html
    assert '<meta property="og:description" content="Разговор прошёл по телефону.">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert f'<link rel="canonical" href="{url}">' in html


@pytest.mark.parametrize("status", [Story.Status.DRAFT, Story.Status.REVIEW])
def test_unpublished_story_is_not_found_by_readers(client, make_story, status):
    story = make_story(status=status)

    assert client.get(story.get_absolute_url()).status_code == 404


def test_scheduled_story_is_not_found_until_its_time(client, make_story):
    story = make_story(published_at=timezone.now() + HOUR)

    assert client.get(story.get_absolute_url()).status_code == 404

    Story.objects.filter(pk=story.pk).update(published_at=timezone.now() - HOUR)
    assert client.get(story.get_absolute_url()).status_code == 200


def test_staff_editor_previews_a_draft_that_is_never_cached(client, make_story, editor):
    story = make_story("Черновик для редактора", status=Story.Status.DRAFT)
    client.force_login(editor)

    response = client.get(story.get_absolute_url())

    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


def test_staff_without_change_permission_cannot_preview(client, make_story):
    story = make_story(status=Story.Status.DRAFT)
    client.force_login(get_user_model().objects.create_user("intern", is_staff=True))

    assert client.get(story.get_absolute_url()).status_code == 404


def test_unpublished_stories_appear_in_no_list(client, make_story, make_quote, unpublished):
    visible = make_story("Видимая новость", tags=["скрытое"])
    author = get_user_model().objects.create_user("reporter")
    for story in [visible, *unpublished]:
        story.authors.add(author)
        make_quote(story, f"Цитата: {story.headline}")
        story.start_live()
    speaker = unpublished[0].quotes.get().speaker
    visible.quotes.update(speaker=speaker)
    pages = [
        reverse("articles:home"),
        reverse("articles:latest"),
        reverse("articles:live"),
        reverse("articles:quotes"),
        visible.section.get_absolute_url(),
        reverse("articles:tag", args=["skrytoe"]),
        reverse("articles:author", args=["reporter"]),
        speaker.get_absolute_url(),
        reverse("articles:search") + "?q=новость",
    ]

    for url in pages:
        html = client.get(url).content.decode()
        assert visible.headline in html, url
        for story in unpublished:
            assert story.headline not in html, url


def test_changed_slug_or_section_redirects_permanently(client, make_story, make_section):
    story = make_story("Старый заголовок")
    old_url = story.get_absolute_url()
    story.slug = "novyy-zagolovok"
    story.section = make_section("Экономика")
    story.save()

    response = client.get(old_url)

    assert response.status_code == 301
    assert response["Location"] == story.get_absolute_url()
    assert client.get(f"/news/anything/{story.pk}/").status_code == 301


def test_story_url_is_ascii_even_for_kazakh_headlines(make_story):
    story = make_story("Әкім Қызылорда облысында жаңа көпір ашты: «Ұлы дала» үшін")

    assert story.get_absolute_url().isascii()
    assert story.slug == "akim-qyzylorda-oblysynda-zhana-kopir-ashty-uly-dala-ushin"


def test_story_without_letters_in_headline_still_gets_a_slug(make_story):
    assert make_story("!!! ???").slug == "story"


def test_tags_get_ascii_slugs(make_story):
    story = make_story(tags=["Экономика Казахстана", "Қазақстан"])

    assert sorted(story.tags.values_list("slug", flat=True)) == [
        "ekonomika-kazakhstana",
        "qazaqstan",
    ]


@pytest.mark.parametrize("page", ["abc", "0", "-1", "999", "1.5", "9" * 30])
def test_bad_page_numbers_answer_not_found(client, make_story, page):
    story = make_story()

    response = client.get(story.section.get_absolute_url(), {"page": page})

    assert response.status_code == 404


def test_lists_are_paginated(client, make_story, settings):
    for n in range(settings.STORIES_PER_PAGE + 3):
        make_story(f"Новость {n}", published_at=timezone.now() - HOUR * (n + 1))

    first = client.get(reverse("articles:latest")).content.decode()
    second = client.get(reverse("articles:latest"), {"page": 2}).content.decode()

    assert "Новость 0<" in first and "Новость 22<" not in first
    assert "Новость 22<" in second
    assert 'rel="next" href="?page=2"' in first
    assert '<link rel="canonical" href="http://testserver/news/?page=2">' in second


def test_newsmaker_page_lists_quotes_newest_first_with_story_links(
    client, make_story, make_quote, make_newsmaker
):
    speaker = make_newsmaker("Касым-Жомарт Токаев", role="Президент Казахстана")
    old = make_story("Старая новость", published_at=timezone.now() - HOUR * 48)
    new = make_story("Свежая новость", published_at=timezone.now() - HOUR)
    make_quote(old, "Старая цитата", speaker=speaker, context="на форуме в Астане")
    quote = make_quote(new, "Свежая цитата", speaker=speaker, context="на совещании")

    html = client.get(speaker.get_absolute_url()).content.decode()

    assert "Касым-Жомарт Токаев</h1>" in html
    assert "Президент Казахстана" in html
    assert html.index("Свежая цитата") < html.index("Старая цитата")
    assert "на форуме в Астане" in html
    assert quote.get_absolute_url() in html


def test_source_page_lists_stories_citing_it(client, make_story, make_quote, make_source):
    source = make_source("официальный сайт президента России")
    cited = make_story("Новость со ссылкой")
    cited.sources.add(source)
    quoted = make_story("Новость с цитатой из источника")
    make_quote(quoted, "Обсуждён ряд вопросов", source=source, speaker=None)
    make_story("Посторонняя новость")

    html = client.get(source.get_absolute_url()).content.decode()

    assert "Новость со ссылкой" in html
    assert "Новость с цитатой из источника" in html
    assert "Посторонняя новость" not in html


def test_author_without_published_stories_is_not_found(client, make_story):
    user = get_user_model().objects.create_user("secret-editor")
    make_story(status=Story.Status.DRAFT).authors.add(user)

    assert client.get(reverse("articles:author", args=["secret-editor"])).status_code == 404


def test_search_finds_published_stories_and_escapes_the_query(client, make_story):
    make_story("Выборы в маслихат", body="<p>Явка составила 60 процентов.</p>")

    found = client.get(reverse("articles:search"), {"q": "процентов"}).content.decode()
    hostile = client.get(reverse("articles:search"), {"q": "<script>x</script>" * 50})

    assert "Выборы в маслихат" in found
    assert '<link rel="canonical" href="http://testserver/search/?q=%D0%BF%D1%80' in found
    assert hostile.status_code == 200
    assert "<script>x" not in hostile.content.decode()


@pytest.mark.parametrize(
    "url",
    ["/", "/news/", "/live/", "/search/", "/search/?q=тест", "/news/politika/", "/nope/"],
)
def test_every_page_has_a_canonical_link_and_landmarks(client, make_story, url):
    make_story()

    html = client.get(url).content.decode()

    assert re.search(r'<link rel="canonical" href="http://testserver/[^"]*">', html)
    for landmark in ("<header", "<nav", "<main", "<footer"):
        assert landmark in html


def test_unknown_pages_answer_not_found(client, db):
    for url in ("/news/nope/", "/tags/nope/", "/people/nope/", "/sources/nope/", "/news/x/999/"):
        assert client.get(url).status_code == 404, url


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_story_page_query_count_does_not_grow_with_quotes_tags_and_relations(
    client, make_story, make_quote, make_source, django_assert_max_num_queries
):
    def build(n):
        story = make_story(f"Новость с {n} цитатами", tags=[f"тег {n} {i}" for i in range(n)])
        story.authors.add(
            *[get_user_model().objects.create_user(f"author-{n}-{i}") for i in range(min(n, 5))]
        )
        story.sources.add(*[make_source() for _ in range(n)])
        story.related.add(*[make_story() for _ in range(n)])
        for i in range(n):
            make_quote(story, f"Цитата {i}", position=i, source=make_source())
        return story.get_absolute_url()

    small, large = build(1), build(30)

    with django_assert_max_num_queries(13):
        client.get(large)
    assert _count_queries(client, small) == _count_queries(client, large)


def test_home_page_query_count_does_not_grow_with_stories_or_sections(
    client, make_story, make_section, django_assert_max_num_queries
):
    make_story(featured=True)
    few = _count_queries(client, "/")
    for _ in range(6):
        section = make_section()
        for _ in range(5):
            make_story(section=section, tags=["много"])

    with django_assert_max_num_queries(8):
        client.get("/")
    assert _count_queries(client, "/") == few


@pytest.mark.parametrize(
    "name", ["latest", "live", "section", "tag", "newsmaker", "source", "author", "search"]
)
def test_list_page_query_count_does_not_grow_with_stories(
    client, make_story, make_quote, make_newsmaker, make_source, name
):
    speaker, source = make_newsmaker(), make_source()
    get_user_model().objects.create_user("reporter")

    def add(n):
        for _ in range(n):
            story = make_story(tags=["общий"])
            story.authors.add(get_user_model().objects.get(username="reporter"))
            story.sources.add(source)
            make_quote(story, speaker=speaker)

    urls = {
        "latest": reverse("articles:latest"),
        "live": reverse("articles:live"),
        "tag": reverse("articles:tag", args=["obshchiy"]),
        "newsmaker": speaker.get_absolute_url(),
        "source": source.get_absolute_url(),
        "author": reverse("articles:author", args=["reporter"]),
        "section": reverse("articles:section", args=["politika"]),
        "search": reverse("articles:search") + "?q=новость",
    }
    add(2)
    few = _count_queries(client, urls[name])
    add(15)

    assert _count_queries(client, urls[name]) == few


def test_search_ignores_cyrillic_letter_case_and_needs_every_word(client, make_story):
    make_story("Назарбаев проверил боеготовность", body="<p>Спецподразделение «Арыстан».</p>")
    make_story("Токаев провёл совещание")

    found = client.get(reverse("articles:search"), {"q": "назарбаев АРЫСТАН"}).content.decode()
    narrowed = client.get(reverse("articles:search"), {"q": "назарбаев совещание"})

    assert "Назарбаев проверил боеготовность" in found
    assert "Токаев провёл совещание" not in found
    assert list(narrowed.context["page"]) == []


@pytest.mark.parametrize(
    "url",
    [
        "/search/?q=%00",
        "/search/?q=a%00b&page=1",
        "/search/?q=%ff%fe",
        "/search/?q=" + "я" * 5000,
        "/search/?q=%27%22%3E%3Cscript%3E",
        "/news/?page=%00",
        "/authors/a%00b/",
        "/authors/" + "x" * 300 + "/",
        "/news/politika/99999999999999999999999-x/",
        "/tags/" + "a" * 500 + "/",
        "/people/%D0%BF/",
    ],
)
def test_hostile_reader_input_never_answers_server_error(client, make_story, url):
    make_story()

    assert client.get(url).status_code in (200, 301, 404)
