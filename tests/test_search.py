"""Reader search: word forms, phrases, ranking, filters, what is never found, hostile input."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles.models import Story

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).parent / "fixtures" / "search" / "stories.json"
HOUR = timezone.timedelta(hours=1)


@pytest.fixture
def corpus(make_story):
    """Stories written so that the words searched for appear in other grammatical forms."""
    stories = json.loads(FIXTURE.read_text())
    return {
        item["key"]: make_story(item["headline"], lede=item["lede"], body=item["body"])
        for item in stories
    }


def found(client, query, **filters):
    """Headlines on the search page for ``query``, in the order shown."""
    response = client.get(reverse("articles:search"), {"q": query, **filters})
    assert response.status_code == 200
    return [story.headline for story in (response.context["page"] or [])]


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("коалиция", "coalition"),  # the text has the genitive «коалиции»
        ("сделка", "deals"),  # genitive plural «сделок»: a fleeting vowel
        ("сделки", "deals"),
        ("фермер", "farmers"),  # dative plural «фермерам»
        ("боец", "fighters"),  # instrumental plural «бойцами», fleeting vowel
        ("бойцу", "fighters"),
        ("Казахстан", "kazakhstan"),  # genitive «Казахстана»
        ("казахстану", "kazakhstan"),
        ("покупатель", "kazakhstan"),  # instrumental plural «покупателями»
        ("отец", "father"),  # genitive plural «отцов»
        ("Токаев", "tokayev"),  # a surname the analyser mistakes for another word
        ("служба", "tokayev"),  # a part of «пресс-служба»
        ("Қазақстан", "kazakh"),  # Kazakh, unknown to the analyser: matched by its beginning
        ("әуежай", "kazakh"),  # and as written
        ("ЁЛКА ёлки елки", None),
    ],
)
def test_any_grammatical_form_finds_the_story(client, corpus, query, key):
    expected = [corpus[key].headline] if key else []

    assert found(client, query) == expected


def test_several_words_find_only_stories_with_all_of_them(client, corpus):
    assert found(client, "сделки облигация") == [corpus["deals"].headline]
    assert found(client, "сделки коалиция") == []


def test_quoted_phrase_matches_words_in_that_order(client, corpus):
    assert found(client, '"пресс-служба акорды"') == [corpus["tokayev"].headline]
    assert found(client, "«объём торгов»") == [corpus["deals"].headline]
    assert found(client, '"торгов объём"') == []
    assert found(client, "торгов объём") == [corpus["deals"].headline]


def test_headline_match_ranks_above_body_match(client, make_story):
    make_story("Урожай пшеницы собран", published_at=timezone.now() - 5 * HOUR)
    make_story("Новости агросектора", body="<p>Цены на пшеницу выросли.</p>")

    assert found(client, "пшеница") == ["Урожай пшеницы собран", "Новости агросектора"]


def test_equal_matches_come_newest_first(client, make_story):
    make_story("Старое заседание", published_at=timezone.now() - 5 * HOUR)
    make_story("Новое заседание", published_at=timezone.now() - HOUR)

    assert found(client, "заседания") == ["Новое заседание", "Старое заседание"]


def test_search_filters_by_section(client, make_story, make_section):
    economy = make_section("Экономика", slug="ekonomika")
    make_story("Тарифы на свет в политике")
    make_story("Тарифы на свет в экономике", section=economy)

    assert found(client, "тариф", section="ekonomika") == ["Тарифы на свет в экономике"]


def test_search_filters_by_date_range(client, make_story):
    now = timezone.localtime()
    make_story("Выборы прошлого месяца", published_at=now - timezone.timedelta(days=30))
    make_story("Выборы этой недели", published_at=now - timezone.timedelta(days=2))
    week_ago = (now - timezone.timedelta(days=7)).date().isoformat()
    two_weeks_ago = (now - timezone.timedelta(days=14)).date().isoformat()

    assert found(client, "выборы", since=week_ago) == ["Выборы этой недели"]
    assert found(client, "выборы", until=two_weeks_ago) == ["Выборы прошлого месяца"]


@pytest.mark.parametrize(
    "filters",
    [
        {"section": "no-such-section"},
        {"since": "2024-13-45"},
        {"since": "99999-01-01"},
        {"until": "0000-00-00"},
        {"since": "2025-05-01", "until": "2025-01-01"},
    ],
)
def test_bad_filters_are_shown_as_errors_and_the_words_still_searched(client, corpus, filters):
    response = client.get(reverse("articles:search"), {"q": "сделка", **filters})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert 'class="field-error"' in response.content.decode()


def test_unpublished_stories_are_never_found(client, make_story):
    make_story("Опубликованный репортаж о паводке")
    make_story("Черновик репортажа о паводке", status=Story.Status.DRAFT)
    make_story("Репортаж о паводке на проверке", status=Story.Status.REVIEW)
    make_story("Будущий репортаж о паводке", published_at=timezone.now() + HOUR)
    make_story(
        "Снятый репортаж о паводке",
        status=Story.Status.WITHDRAWN,
        published_at=timezone.now() - HOUR,
    )

    assert found(client, "паводок") == ["Опубликованный репортаж о паводке"]


def test_index_follows_edits_publishing_withdrawal_and_deletion(client, make_story):
    story = make_story("Мост откроют летом", status=Story.Status.DRAFT)
    assert found(client, "мост") == []

    story.publish()
    assert found(client, "мосты") == ["Мост откроют летом"]

    story.headline = "Тоннель откроют летом"
    story.save(update_fields=["headline"])
    assert found(client, "мост") == []
    assert found(client, "тоннеля") == ["Тоннель откроют летом"]

    story.withdraw()
    assert found(client, "тоннель") == []

    story.return_to_draft()
    story.publish()
    assert found(client, "тоннель") == ["Тоннель откроют летом"]

    story.delete()
    assert found(client, "тоннель") == []


def test_rebuild_command_restores_an_index_lost_to_bulk_updates(client, make_story, capsys):
    make_story("Театр открыл сезон")
    Story.objects.update(headline="Цирк открыл сезон")
    assert found(client, "цирк") == []

    call_command("rebuild_search_index")

    assert "Indexed 1 stories." in capsys.readouterr().out
    assert found(client, "цирка") == ["Цирк открыл сезон"]


def test_results_show_a_snippet_with_the_found_forms_marked(client, corpus):
    html = client.get(reverse("articles:search"), {"q": "сделка"}).content.decode()

    assert "Число <mark>сделок</mark> с облигациями" in html


def test_snippet_text_is_escaped(client, make_story):
    make_story("Формула", body="<p>Если a &lt; b и &lt;script&gt; то бюджет растёт.</p>")

    html = client.get(reverse("articles:search"), {"q": "бюджет"}).content.decode()

    assert "&lt;script&gt; то <mark>бюджет</mark>" in html
    assert "<script>" not in html.split("<main", 1)[1]


def test_nothing_found_page_suggests_the_latest_news(client, make_story):
    make_story("Последняя новость дня")

    response = client.get(reverse("articles:search"), {"q": "несуществующееслово"})

    html = response.content.decode()
    assert "Ничего не найдено" in html
    assert "Последняя новость дня" in html


def test_pagination_keeps_the_query_and_filters(client, make_story, settings):
    settings.STORIES_PER_PAGE = 2
    for n in range(3):
        make_story(f"Погода {n}")

    html = client.get(reverse("articles:search"), {"q": "погода", "section": "politika"}).content
    second = found(client, "погода", section="politika", page=2)

    assert 'href="?q=%D0%BF%D0%BE%D0%B3%D0%BE%D0%B4%D0%B0&amp;section=politika&amp;page=2"' in (
        html.decode()
    )
    assert second == ["Погода 0"]


@pytest.mark.parametrize(
    "query",
    [
        "",
        " ",
        "я" * 5000,
        "\x00",
        "a\x00b сделка",
        "'; DROP TABLE articles_story; --",
        "1' OR '1'='1",
        "& | ! <-> :* ()",
        "'сделка':* & !",
        '"незакрытая кавычка',
        '""',
        "\\",
        "\u202eреверс\u202c",
        "е\u0301лка",
        "🙂🙃",
        "\ufeff\u200b",
        "漢字 かな",
        "a" * 300,
        "%",
        "_",
        "[(*+?",
    ],
)
def test_no_query_answers_server_error(client, corpus, query):
    response = client.get(reverse("articles:search"), {"q": query})

    assert response.status_code == 200


def test_search_page_query_count_does_not_grow_with_results(
    client, make_story, settings, django_assert_max_num_queries
):
    settings.STORIES_PER_PAGE = 3
    for _ in range(10):
        make_story("Дожди на юге")
        make_story("Прогноз", lede="Дожди на юге.")
        make_story("Прогноз", body="<p>Дожди на юге.</p>")

    # Sections, the count, and at most three tiers of results (headline, lede, body) with, on
    # later pages, how many of each came before; on PostgreSQL two statements that steer its
    # planner. Whatever the number of results or the page.
    for page in (1, 4, 7, 10):
        with django_assert_max_num_queries(12):
            client.get(reverse("articles:search"), {"q": "дождь", "page": page})
    with django_assert_max_num_queries(7):
        client.get(reverse("articles:search"), {"q": "снег"})  # and the latest news


def test_a_very_common_word_is_counted_up_to_a_limit(client, make_story, monkeypatch):
    monkeypatch.setattr("articles.search.RESULTS_LIMIT", 3)
    for n in range(5):
        make_story(f"Погода {n}")

    response = client.get(reverse("articles:search"), {"q": "погода"})

    assert response.context["page"].paginator.count == 3
    assert "Найдено больше 3 материалов" in response.content.decode()


def test_lede_match_ranks_between_headline_and_body_matches(client, make_story):
    make_story("Новости агросектора", body="<p>Цены на пшеницу выросли.</p>")
    make_story("Итоги сезона", lede="Урожай пшеницы оказался рекордным.")
    make_story("Урожай пшеницы собран", published_at=timezone.now() - 50 * HOUR)

    assert found(client, "пшеница") == [
        "Урожай пшеницы собран",
        "Итоги сезона",
        "Новости агросектора",
    ]


def test_pages_follow_the_ranking_from_headline_to_body_matches(client, make_story, settings):
    settings.STORIES_PER_PAGE = 2
    ago = [timezone.now() - n * HOUR for n in range(1, 7)]
    make_story("Реформа пенсий", published_at=ago[5])
    make_story("Лед 1", lede="Реформа объявлена.", published_at=ago[1])
    make_story("Лед 2", lede="О реформе спорят.", published_at=ago[2])
    make_story("Тело 1", body="<p>Реформы ждут.</p>", published_at=ago[0])
    make_story("Тело 2", body="<p>Реформу отложили.</p>", published_at=ago[3])

    pages = [found(client, "реформа", page=n) for n in (1, 2, 3)]

    assert pages == [["Реформа пенсий", "Лед 1"], ["Лед 2", "Тело 1"], ["Тело 2"]]
