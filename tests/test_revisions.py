"""Nothing is lost: every save is a revision (with quotes, tags, sources, related stories), two
revisions compare word by word, any revision can be restored, and deleted stories recovered."""

import pytest
from django.contrib.messages import get_messages
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Quote, Source, Story, StorySnapshot, Tag, revisions_of
from articles.richtext import embed_html
from articles.textdiff import html_to_text, word_diff

from .adminforms import admin_url, change, run_action, story_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def written(client, editor_user, section, make_story, make_newsmaker, make_source):
    """A story written in the admin with a quote, tags, a source and a related story."""
    client.force_login(editor_user)
    earlier = make_story("Раньше")
    source = make_source("Пресс-служба акимата")
    speaker = make_newsmaker("Дана Касымова")
    data = story_form_data(
        section,
        headline="Аким открыл школу",
        lede="В школе 1200 мест.",
        body="<p>Первый абзац о школе.</p><p>Второй абзац.</p>",
        tags="Алматы, Образование",
        sources=[source.pk],
        related=[earlier.pk],
    )
    assert client.post(admin_url(Story, "add"), data).status_code == 302
    story = Story.objects.get(headline="Аким открыл школу")
    # The quote is written in the editor once the story exists, and saved with it.
    quote = client.post(
        reverse("admin:articles_story_quote_add", args=[story.pk]),
        {"text": "Школа откроется первого сентября.", "speaker": speaker.pk},
    ).json()
    body = f"<p>Первый абзац о школе.</p>{embed_html('quote', quote['id'])}<p>Второй абзац.</p>"
    assert change(client, story, body=body).status_code == 302
    # One revision for the story as written: the first save, without its quote, is not kept.
    revisions_of(story).last().revision.delete()
    return Story.objects.get(pk=story.pk)


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_an_admin_save_keeps_the_story_with_its_quotes_tags_sources_and_related(written):
    version = revisions_of(written).get()
    snapshot = StorySnapshot.of_version(version)

    assert snapshot.story.headline == "Аким открыл школу"
    assert [quote.text for quote in snapshot.quotes] == ["Школа откроется первого сентября."]
    assert {Tag.objects.get(pk=pk).name for pk in snapshot.tags} == {"Алматы", "Образование"}
    assert snapshot.sources == [Source.objects.get().pk]
    assert snapshot.related == [Story.objects.get(headline="Раньше").pk]
    assert version.revision.user.username == "redaktor"


def test_each_save_is_a_revision(client, written):
    change(client, written, headline="Аким открыл новую школу")
    change(client, written, headline="Аким открыл новую школу в Алматы")

    headlines = [StorySnapshot.of_version(v).story.headline for v in revisions_of(written)]

    assert headlines == [
        "Аким открыл новую школу в Алматы",
        "Аким открыл новую школу",
        "Аким открыл школу",
    ]


def test_saves_outside_the_admin_are_kept_once_committed(
    section, make_newsmaker, django_capture_on_commit_callbacks
):
    """Imports and commands: the revision is taken after the quotes and tags are saved."""
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        story = Story.objects.create(headline="Импорт", section=section, body="<p>Текст</p>")
        quote = Quote.objects.create(
            story=story, text="Цитата из импорта", speaker=make_newsmaker()
        )
        story.body += embed_html("quote", quote.pk)
        story.save()
        story.tags.add("Импорт")

    snapshot = StorySnapshot.of_version(revisions_of(story).get())
    assert [quote.text for quote in snapshot.quotes] == ["Цитата из импорта"]
    assert len(snapshot.tags) == 1
    assert (
        revisions_of(story).get().revision.comment == "Сохранено вне админки (импорт или команда)."
    )


def test_history_lists_each_revision_with_who_and_what(client, written):
    change(client, written, headline="Новый заголовок", transition="publish")

    page = client.get(admin_url(Story, "history", written.pk)).content.decode()

    assert page.count('name="a"') == 2
    assert page.count("Айгерим Сапарова") == 2
    assert "Изменено: Заголовок. Черновик → Опубликована" in page


def test_history_page_costs_the_same_with_many_revisions(client, written):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(admin_url(Story, "history", written.pk)).status_code == 200
        return len(captured)

    few = queries()
    for n in range(5):
        change(client, written, lede=f"Лид номер {n}")
    assert queries() == few


def test_compare_marks_changed_words_and_lists_other_changes(client, written):
    change(
        client,
        written,
        headline="Аким открыл гимназию",
        body="<p>Первый абзац о гимназии.</p><p>Второй абзац.</p>",
        tags="Алматы, Школы",
    )
    newer, older = revisions_of(written)

    response = client.get(admin_url(Story, "compare", written.pk), {"a": older.pk, "b": newer.pk})

    html = response.content.decode()
    assert "Аким открыл <del>школу</del><ins>гимназию</ins>" in html
    assert "Первый абзац о <del>школе</del><ins>гимназии</ins>." in html
    fields = {str(label): (a, b) for label, a, b in response.context["comparison"]["fields"]}
    assert fields["теги"] == ("Алматы, Образование", "Алматы, Школы")


@pytest.mark.parametrize("query", [{"a": "x", "b": "1"}, {"a": "1"}, {"a": "1", "b": "99999"}])
def test_compare_answers_not_found_for_bad_revisions(client, written, query):
    assert client.get(admin_url(Story, "compare", written.pk), query).status_code == 404


def test_compare_refuses_revisions_of_another_story(client, written, make_story):
    other = make_story("Другая")
    change(client, other, headline="Другая правка")
    foreign = revisions_of(other).first()
    own = revisions_of(written).first()

    response = client.get(admin_url(Story, "compare", written.pk), {"a": own.pk, "b": foreign.pk})

    assert response.status_code == 404


def test_restoring_brings_back_text_quotes_and_tags_and_keeps_the_state(client, written):
    first = revisions_of(written).get()
    written.publish()
    quote = written.quotes.get()
    change(
        client,
        written,
        headline="Переписанный заголовок",
        body="<p>Совсем другой текст.</p>",
        tags="Другое",
    )
    # Taken out of the text, the quote went with the save.
    assert not written.quotes.exists()

    response = client.post(admin_url(Story, "revision", written.pk, first.pk))

    assert response.status_code == 302
    story = Story.objects.get(pk=written.pk)
    assert story.headline == "Аким открыл школу"
    # The quote is back, with its id, at its place in the text.
    assert story.body == (
        f"<p>Первый абзац о школе.</p>\n{embed_html('quote', quote.pk)}\n<p>Второй абзац.</p>"
    )
    assert [(q.pk, q.text) for q in story.quotes.all()] == [
        (quote.pk, "Школа откроется первого сентября.")
    ]
    assert sorted(story.tags.names()) == ["Алматы", "Образование"]
    assert story.is_published
    latest = revisions_of(story).first()
    assert latest.revision.comment.startswith("Восстановлена версия от ")
    assert revisions_of(story).count() == 4


def test_restoring_leaves_out_what_no_longer_exists_and_says_so(client, written):
    first = revisions_of(written).get()
    Source.objects.all().delete()
    Tag.objects.get(name="Образование").delete()

    response = client.post(admin_url(Story, "revision", written.pk, first.pk))

    assert response.status_code == 302
    assert sorted(Story.objects.get(pk=written.pk).tags.names()) == ["Алматы"]
    notes = messages_of(response)
    assert "1 источника больше нет." in notes
    assert "1 тега больше нет." in notes


def test_revision_page_shows_what_restoring_would_change(client, written):
    first = revisions_of(written).get()
    change(client, written, lede="Другой лид.")

    html = client.get(admin_url(Story, "revision", written.pk, first.pk)).content.decode()

    assert "<del>Другой</del><ins>В школе 1200 мест</ins>" in html or "<ins>" in html
    assert 'value="Восстановить эту версию"' in html


def test_reporter_restores_own_draft_but_not_a_published_story(client, reporter, make_story):
    story = make_story("Черновик", status=Story.Status.DRAFT)
    story.authors.add(reporter)
    client.force_login(reporter)
    change(client, story, headline="Черновик, правка")
    first, *_ = revisions_of(story).reverse()
    change(client, story, headline="Черновик, вторая правка")

    assert client.post(admin_url(Story, "revision", story.pk, first.pk)).status_code == 302
    assert Story.objects.get(pk=story.pk).headline == "Черновик, правка"

    story.publish()
    response = client.post(admin_url(Story, "revision", story.pk, first.pk))
    assert response.status_code == 403
    page = client.get(admin_url(Story, "revision", story.pk, first.pk)).content.decode()
    assert "Восстановить эту версию" not in page


def test_restoring_moves_the_version_on_so_open_forms_conflict(client, written, editor_user):
    first = revisions_of(written).get()
    opened = Story.objects.get(pk=written.pk).version
    change(client, written, headline="Вторая версия")

    client.post(admin_url(Story, "revision", written.pk, first.pk))

    assert Story.objects.get(pk=written.pk).version > opened + 1


# Deleted stories


def test_a_deleted_story_is_recovered_at_its_address_as_a_draft(client, written):
    url, created_at, pk = written.get_absolute_url(), written.created_at, written.pk
    written.publish()
    client.post(admin_url(Story, "delete", pk), {"post": "yes"})
    assert not Story.objects.filter(pk=pk).exists()

    listing = client.get(admin_url(Story, "recoverlist"))
    assert "Аким открыл школу" in listing.content.decode()
    version = listing.context["rows"][0]["version"]
    response = client.post(admin_url(Story, "recover", version.pk))

    assert response.status_code == 302
    story = Story.objects.get(pk=pk)
    assert (story.headline, story.status) == ("Аким открыл школу", Story.Status.DRAFT)
    assert story.get_absolute_url() == url
    # Kept to the millisecond, as the revision's JSON holds it.
    assert abs(story.created_at - created_at).total_seconds() < 0.001
    assert [quote.text for quote in story.quotes.all()] == ["Школа откроется первого сентября."]
    assert sorted(story.tags.names()) == ["Алматы", "Образование"]
    assert story.authors.get().username == "redaktor"
    assert client.get(url).status_code == 200  # the editor previews the recovered draft
    assert client.get(admin_url(Story, "recoverlist")).context["rows"] == []


def test_stories_deleted_in_bulk_can_be_recovered(client, editor_user, make_story):
    stories = [make_story(f"Удалённая {n}") for n in range(2)]
    client.force_login(editor_user)

    run_action(client, "delete_selected", stories, post="yes")

    listing = client.get(admin_url(Story, "recoverlist"))
    assert len(listing.context["rows"]) == 2
    for row in listing.context["rows"]:
        client.post(row["url"])
    assert Story.objects.count() == 2


def test_recover_refuses_a_story_that_was_not_deleted(client, written):
    version = revisions_of(written).get()

    assert client.get(admin_url(Story, "recover", version.pk)).status_code == 404
    assert client.post(admin_url(Story, "recover", version.pk)).status_code == 404


def test_reporters_cannot_recover_deleted_stories(client, written, reporter):
    version = revisions_of(written).get()
    written.delete()
    client.force_login(reporter)

    assert client.get(admin_url(Story, "recoverlist")).status_code == 403
    assert client.post(admin_url(Story, "recover", version.pk)).status_code == 403
    assert not Story.objects.exists() or not Story.objects.filter(pk=written.pk).exists()
    assert "Удалённые новости" not in client.get(admin_url(Story, "changelist")).content.decode()


# The word diff itself


def test_word_diff_marks_whole_words_and_keeps_the_rest():
    diff = word_diff(
        "Президент провёл встречу с акимами.", "Президент провёл встречу с губернаторами."
    )

    assert diff == "Президент провёл встречу с <del>акимами</del><ins>губернаторами</ins>."


def test_word_diff_joins_a_changed_phrase_into_one_change():
    diff = word_diff("в понедельник утром", "во вторник вечером")

    assert diff == "<del>в понедельник утром</del><ins>во вторник вечером</ins>"


def test_word_diff_escapes_what_it_shows():
    diff = word_diff("безопасно", "<script>alert(1)</script>")

    assert "<script>" not in diff
    assert "&lt;script&gt;" in diff


def test_bodies_are_compared_as_the_text_readers_read():
    html = "<p>Первый &amp; главный.</p><ul><li>раз</li><li>два</li></ul><p>Строка<br>вторая</p>"

    assert html_to_text(html) == "Первый & главный.\n\nраз\nдва\n\nСтрока\nвторая"


@pytest.mark.parametrize(
    "path",
    [
        "abc/history/",
        "abc/history/compare/?a=1&b=2",
        "{pk}/history/compare/?a=%00&b=1",
        "{pk}/history/compare/?a=99999999999999999999999&b=1",
        "{pk}/history/99999999999999999999999/",
        "abc/history/1/",
        "abc/presence/",
        "abc/preview-links/",
        "recover/99999999999999999999999/",
    ],
)
def test_hostile_history_addresses_never_answer_server_error(client, written, path):
    url = "/admin/articles/story/" + path.format(pk=written.pk)

    assert client.get(url).status_code in (302, 404, 405)
    assert client.post(url).status_code in (302, 403, 404, 405)
