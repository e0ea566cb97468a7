"""Live coverage: entries on the page and through the polling endpoint, never from drafts,
sanitised, pinned, posted from the admin by those who may edit the story, kept in revisions."""

import json

import extruct
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.models import LiveEntry, Story

pytestmark = pytest.mark.django_db

MINUTE = timezone.timedelta(minutes=1)


@pytest.fixture
def live_story(make_story):
    story = make_story("Паводок в Петропавловске: хроника")
    story.start_live()
    return story


def post(story, text="Вода поднялась ещё на 10 см.", minutes_ago=0, **fields):
    return LiveEntry.objects.create(
        story=story, body=text, posted_at=timezone.now() - minutes_ago * MINUTE, **fields
    )


def updates_url(story):
    return reverse("articles:live-updates", args=[story.pk])


def poll(client, story, **headers):
    return client.get(updates_url(story), **headers)


# --- Readers ---------------------------------------------------------------------------------


def test_entries_show_on_the_story_page_newest_first_with_anchors(client, live_story):
    older = post(live_story, "Эвакуированы жители двух улиц.", minutes_ago=30)
    newer = post(live_story, "Открыт пункт временного размещения.", minutes_ago=5)

    html = client.get(live_story.get_absolute_url()).content.decode()

    assert html.index(f'id="entry-{newer.pk}"') < html.index(f'id="entry-{older.pk}"')
    assert f'href="#entry-{older.pk}"' in html
    assert timezone.localtime(older.posted_at).strftime("%H:%M") in html
    assert "Прямой эфир" in html


def test_pinned_entry_comes_first(client, live_story):
    pinned = post(live_story, "Телефон горячей линии: 112.", minutes_ago=60, pinned=True)
    newest = post(live_story, "Свежая запись.")

    html = client.get(live_story.get_absolute_url()).content.decode()

    assert html.index(f'id="entry-{pinned.pk}"') < html.index(f'id="entry-{newest.pk}"')
    assert "Закреплено" in html


def test_pinning_an_entry_unpins_the_other(live_story):
    first = post(live_story, pinned=True)
    second = post(live_story)

    second.pin()

    first.refresh_from_db()
    assert not first.pinned and second.pinned


def test_new_entry_arrives_through_the_polling_endpoint(client, live_story):
    post(live_story, "Первая запись.", minutes_ago=10)
    before = poll(client, live_story)

    entry = post(live_story, "Вторая запись.")
    after = poll(client, live_story)

    assert before["ETag"] != after["ETag"]
    data = after.json()
    assert data["live"] is True
    assert data["entries"][0]["id"] == entry.pk
    assert f'id="entry-{entry.pk}"' in data["entries"][0]["html"]
    assert "Вторая запись." in data["entries"][0]["html"]


def test_new_entry_appears_on_reload(client, live_story):
    client.get(live_story.get_absolute_url())
    entry = post(live_story, "Запись после загрузки страницы.")

    assert f'id="entry-{entry.pk}"' in client.get(live_story.get_absolute_url()).content.decode()


def test_unchanged_coverage_answers_not_modified(client, live_story):
    post(live_story)
    first = poll(client, live_story)

    again = poll(client, live_story, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert again.content == b""


def test_polling_endpoint_may_be_cached_briefly_by_anyone(client, live_story):
    response = poll(client, live_story)

    assert "public" in response["Cache-Control"] and "max-age=5" in response["Cache-Control"]
    assert response["ETag"] and response["Last-Modified"]
    assert response["Content-Type"].startswith("application/json")
    assert not response.cookies


def test_polling_costs_one_query(client, live_story, django_assert_num_queries):
    for minutes in range(20):
        post(live_story, minutes_ago=minutes)
    first = poll(client, live_story)

    with django_assert_num_queries(1):
        assert poll(client, live_story).status_code == 200
    with django_assert_num_queries(1):
        assert poll(client, live_story, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_rendering_after_a_change_costs_the_same_with_many_entries(client, live_story):
    post(live_story)

    def queries_after_a_new_entry():
        post(live_story)
        with CaptureQueriesContext(connection) as queries:
            poll(client, live_story)
        return len(queries)

    few = queries_after_a_new_entry()
    for minutes in range(40):
        post(live_story, minutes_ago=minutes, quote="Цитата.", speaker=None)

    assert queries_after_a_new_entry() == few


def test_endpoint_dates_match_those_of_the_page(client, live_story):
    entry = post(live_story, minutes_ago=3)

    sent = poll(client, live_story).json()["entries"][0]
    html = client.get(live_story.get_absolute_url()).content.decode()

    assert (
        f'id="entry-{entry.pk}" data-posted="{sent["posted"]}" data-updated="{sent["updated"]}"'
        in html
    )


def test_edited_entry_changes_what_pages_are_sent(client, live_story):
    entry = post(live_story, "Было.")
    first = poll(client, live_story).json()["entries"][0]

    entry.body = "Стало."
    entry.save()
    second = poll(client, live_story).json()["entries"][0]

    assert second["updated"] != first["updated"] and "Стало." in second["html"]


def test_deleted_entry_leaves_the_endpoint(client, live_story):
    entry = post(live_story)
    poll(client, live_story)

    entry.delete()

    assert poll(client, live_story).json()["entries"] == []


def test_ended_coverage_says_so_and_stops_polling(client, live_story):
    post(live_story)
    live_story.end_live()

    data = poll(client, live_story).json()
    html = client.get(live_story.get_absolute_url()).content.decode()

    assert data["live"] is False
    assert "Трансляция завершена" in html
    assert "data-live-updates" not in html and "live.js" not in html


def test_open_page_loads_the_polling_script_from_a_file(client, live_story):
    html = client.get(live_story.get_absolute_url()).content.decode()

    assert f'data-live-updates="{updates_url(live_story)}"' in html
    assert '<script src="/static/js/live.js" defer></script>' in html
    assert "<noscript>" in html
    assert 'data-new-many="%(count)s новых записей"' in html
    assert 'data-new-few="%(count)s новые записи"' in html
    assert 'data-new-one="%(count)s новая запись"' in html


@pytest.mark.parametrize("status", [Story.Status.DRAFT, Story.Status.REVIEW])
def test_drafts_live_entries_are_never_shown(client, make_story, status):
    draft = make_story("Черновик трансляции", status=status)
    draft.start_live()
    post(draft, "Секретная запись.")

    assert client.get(draft.get_absolute_url()).status_code == 404
    assert poll(client, draft).status_code == 404
    assert "Черновик трансляции" not in client.get(reverse("articles:live")).content.decode()
    assert "is-live" not in client.get("/").content.decode()
    assert not LiveEntry.objects.published().exists()


def test_scheduled_story_entries_wait_for_its_time(client, make_story):
    later = make_story("Запланированная", published_at=timezone.now() + 60 * MINUTE)
    later.start_live()
    post(later)

    assert poll(client, later).status_code == 404


def test_withdrawn_story_stops_answering_polls(client, live_story):
    post(live_story)
    live_story.withdraw()

    assert poll(client, live_story).status_code == 404


def test_staff_preview_of_a_live_draft_shows_entries_without_polling(admin_client, make_story):
    draft = make_story("Черновик", status=Story.Status.DRAFT)
    draft.start_live()
    entry = post(draft)

    html = admin_client.get(draft.get_absolute_url()).content.decode()

    assert f'id="entry-{entry.pk}"' in html and "data-live-updates" not in html


def test_story_without_live_coverage_has_no_endpoint(client, make_story):
    assert poll(client, make_story()).status_code == 404
    assert client.get("/live/99999999999/updates.json").status_code == 404


# --- Sanitising ------------------------------------------------------------------------------


def test_entry_html_is_sanitised(client, live_story):
    entry = post(
        live_story,
        '<p onclick="steal()">Текст<script>alert(1)</script></p>'
        '<a href="javascript:x()">ссылка</a><img src=x onerror=alert(2)>',
    )

    html = poll(client, live_story).json()["entries"][0]["html"]
    page = client.get(live_story.get_absolute_url()).content.decode()

    for text in (html, page, entry.body):
        assert "alert(1)" not in text and "steal()" not in text
        assert "javascript:" not in text and "onerror" not in text
    assert "Текст" in html


def test_plain_text_entry_becomes_paragraphs_and_keeps_its_signs(live_story):
    entry = post(live_story, "Первый абзац & «кавычки».\n\nВторой абзац.")

    assert entry.body == "<p>Первый абзац &amp; «кавычки».</p>\n<p>Второй абзац.</p>"


def test_quote_and_speaker_are_escaped(client, live_story, make_newsmaker):
    speaker = make_newsmaker("<b>Аким</b>", role="<i>глава</i>")
    post(live_story, "", quote="<script>alert(3)</script> Мы справимся.", speaker=speaker)

    html = client.get(live_story.get_absolute_url()).content.decode()

    assert "<script>alert(3)" not in html
    assert "&lt;script&gt;alert(3)&lt;/script&gt; Мы справимся." in html
    assert "&lt;b&gt;Аким&lt;/b&gt;" in html


# --- The live page and the header -------------------------------------------------------------


def test_live_page_lists_live_stories_then_ended_ones(client, make_story):
    ended = make_story("Завершённая трансляция")
    ended.start_live()
    ended.end_live()
    now = make_story("Идущая трансляция")
    now.start_live()
    make_story("Обычная новость")

    html = client.get(reverse("articles:live")).content.decode()

    assert html.index("Идущая трансляция") < html.index("Завершённая трансляция")
    assert "Обычная новость" not in html


def test_live_page_without_live_coverage_says_so(client, make_story):
    make_story()

    html = client.get(reverse("articles:live")).content.decode()

    assert "Сейчас ничего не транслируется." in html


def test_header_shows_a_dot_while_something_is_live(client, live_story):
    assert 'class="live-link is-live"' in client.get("/").content.decode()

    live_story.end_live()

    assert 'class="live-link"' in client.get("/").content.decode()


def test_header_dot_costs_one_query_whatever_is_live(client, make_story):
    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get("/news/")
        return len(queries)

    make_story().start_live()
    few = count()
    for _ in range(10):
        make_story().start_live()

    assert count() == few


@pytest.mark.parametrize("name", ["story", "live", "updates"])
def test_query_count_does_not_grow_with_entries_or_live_stories(client, make_story, name):
    story = make_story()
    story.start_live()
    urls = {
        "story": story.get_absolute_url(),
        "live": reverse("articles:live"),
        "updates": updates_url(story),
    }

    def add(n):
        for i in range(n):
            post(story, f"Запись {i}", minutes_ago=i, quote="Цитата.")
            other = make_story()
            other.start_live()
            if i % 2 == 0:  # the first is ended: both lists have something from the start
                other.end_live()

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(urls[name]).status_code == 200
        return len(queries)

    add(1)
    few = count()
    add(30)

    assert count() == few


def test_live_story_is_a_live_blog_posting(client, live_story):
    entry = post(live_story, "Вода отступает.")

    html = client.get(live_story.get_absolute_url()).content.decode()
    data = extruct.extract(html, base_url="http://testserver/", syntaxes=["json-ld"])["json-ld"]
    [blog] = [item for item in data if item.get("@type") == "LiveBlogPosting"]

    assert blog["coverageStartTime"]
    assert "coverageEndTime" not in blog
    assert blog["liveBlogUpdate"][0]["articleBody"] == "Вода отступает."
    assert blog["liveBlogUpdate"][0]["url"].endswith(f"#entry-{entry.pk}")


# --- The admin -------------------------------------------------------------------------------


def entry_form(story, text="Новая запись.", **fields):
    now = timezone.localtime()
    return {
        "story": story.pk,
        "posted_at_0": now.strftime("%d.%m.%Y"),
        "posted_at_1": now.strftime("%H:%M:%S"),
        "body": text,
        "quote": "",
        "speaker": "",
        "photo_alt": "",
        "photo_credit": "",
        **fields,
    }


def test_editor_starts_live_coverage_from_the_story_page(client, editor_user, make_story):
    story = make_story()
    client.force_login(editor_user)

    response = client.post(reverse("admin:articles_story_live", args=[story.pk]), {"live": "start"})

    assert response.status_code == 302
    story.refresh_from_db()
    assert story.is_live
    client.post(reverse("admin:articles_story_live", args=[story.pk]), {"live": "end"})
    story.refresh_from_db()
    assert not story.is_live and story.live_ended_at


def test_story_admin_page_offers_live_coverage(client, editor_user, live_story):
    client.force_login(editor_user)

    html = client.get(reverse("admin:articles_story_change", args=[live_story.pk])).content.decode()

    assert "Завершить трансляцию" in html
    assert reverse("admin:articles_liveentry_add") + f"?story={live_story.pk}" in html


def test_editor_posts_an_entry_signed_with_their_name(client, editor_user, live_story):
    client.force_login(editor_user)

    response = client.post(reverse("admin:articles_liveentry_add"), entry_form(live_story))

    assert response.status_code == 302
    entry = LiveEntry.objects.get()
    assert entry.author == editor_user and entry.story == live_story
    assert "Сапарова" in client.get(live_story.get_absolute_url()).content.decode()


def test_entry_form_keeps_what_was_typed_when_it_is_refused(client, editor_user, live_story):
    client.force_login(editor_user)
    future = timezone.localtime() + 60 * MINUTE

    response = client.post(
        reverse("admin:articles_liveentry_add"),
        entry_form(
            live_story,
            "Текст, который нельзя терять.",
            posted_at_0=future.strftime("%d.%m.%Y"),
            posted_at_1=future.strftime("%H:%M:%S"),
        ),
    )

    assert response.status_code == 200
    assert "Текст, который нельзя терять." in response.content.decode()
    assert not LiveEntry.objects.exists()


def test_empty_entry_is_refused(client, editor_user, live_story):
    client.force_login(editor_user)

    response = client.post(reverse("admin:articles_liveentry_add"), entry_form(live_story, "  "))

    assert response.status_code == 200
    assert "Напишите текст, цитату или добавьте фото." in response.content.decode()


def test_reporter_posts_on_their_own_live_draft(client, reporter, make_story):
    draft = make_story(status=Story.Status.DRAFT)
    draft.authors.add(reporter)
    draft.start_live()
    client.force_login(reporter)

    response = client.post(reverse("admin:articles_liveentry_add"), entry_form(draft))

    assert response.status_code == 302 and LiveEntry.objects.filter(story=draft).exists()


def test_reporter_cannot_post_on_a_published_story(client, reporter, live_story):
    live_story.authors.add(reporter)
    client.force_login(reporter)

    response = client.post(reverse("admin:articles_liveentry_add"), entry_form(live_story))

    assert response.status_code == 200  # the form refuses the story
    assert not LiveEntry.objects.exists()


def test_reporter_cannot_change_or_delete_entries_of_a_published_story(
    client, reporter, live_story
):
    entry = post(live_story, "Редакторская запись.")
    client.force_login(reporter)

    change = client.post(
        reverse("admin:articles_liveentry_change", args=[entry.pk]),
        entry_form(live_story, "Подмена."),
    )
    delete = client.post(
        reverse("admin:articles_liveentry_delete", args=[entry.pk]), {"post": "yes"}
    )
    bulk = client.post(
        reverse("admin:articles_liveentry_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )

    assert change.status_code == 403 and delete.status_code == 403
    assert bulk.status_code in (302, 403)
    entry.refresh_from_db()
    assert entry.body == "<p>Редакторская запись.</p>"


def test_reporter_cannot_start_live_coverage_of_a_published_story(client, reporter, make_story):
    story = make_story()
    story.authors.add(reporter)
    client.force_login(reporter)

    response = client.post(reverse("admin:articles_story_live", args=[story.pk]), {"live": "start"})

    assert response.status_code == 403
    story.refresh_from_db()
    assert not story.has_live_coverage


def test_editor_pins_an_entry_from_the_list(client, editor_user, live_story):
    first, second = post(live_story, pinned=True), post(live_story)
    client.force_login(editor_user)

    client.post(
        reverse("admin:articles_liveentry_changelist"),
        {"action": "pin", "_selected_action": [second.pk]},
    )

    assert list(LiveEntry.objects.filter(pinned=True)) == [second]
    first.refresh_from_db()
    assert not first.pinned


def test_entry_edits_are_kept_as_revisions_and_deleted_entries_recoverable(
    client, editor_user, live_story
):
    client.force_login(editor_user)
    client.post(reverse("admin:articles_liveentry_add"), entry_form(live_story, "Первая версия."))
    entry = LiveEntry.objects.get()
    client.post(
        reverse("admin:articles_liveentry_change", args=[entry.pk]),
        entry_form(live_story, "Вторая версия."),
    )

    versions = Version.objects.get_for_object(entry)
    assert [v.field_dict["body"] for v in versions] == [
        "<p>Вторая версия.</p>",
        "<p>Первая версия.</p>",
    ]
    assert versions[0].revision.user == editor_user

    client.post(reverse("admin:articles_liveentry_delete", args=[entry.pk]), {"post": "yes"})
    assert not LiveEntry.objects.exists()
    [deleted] = Version.objects.get_deleted(LiveEntry)
    deleted.revert()
    assert LiveEntry.objects.get().body == "<p>Вторая версия.</p>"


def test_story_admin_list_filter_of_entries_ignores_nonsense(client, editor_user, live_story):
    client.force_login(editor_user)

    response = client.get(reverse("admin:articles_liveentry_changelist") + "?story=abc%00")

    assert response.status_code == 200


def test_polling_endpoint_answers_json_the_script_can_read(client, live_story):
    post(live_story, "Запись.", quote="Мы справимся.")

    data = json.loads(poll(client, live_story).content)

    assert set(data["entries"][0]) == {"id", "pinned", "posted", "updated", "html"}
