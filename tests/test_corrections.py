"""Corrections, clarifications and updates: added by editors to published stories, shown at the
end of the story with «Обновлено» under the byline, and listed site-wide on /corrections/."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Correction, Story

from .adminforms import admin_url, change

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(make_story):
    return make_story("Аким открыл школу")


def note(story, text, kind=Correction.Kind.CORRECTION, ago=timedelta(minutes=1)):
    return Correction.objects.create(
        story=story, kind=kind, text=text, published_at=timezone.now() - ago
    )


def test_editor_adds_a_correction_in_the_story_form(client, editor_user, published):
    client.force_login(editor_user)
    now = timezone.localtime()

    response = change(
        client,
        published,
        **{
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-kind": "correction",
            "corrections-0-published_at_0": now.strftime("%d.%m.%Y"),
            "corrections-0-published_at_1": now.strftime("%H:%M:%S"),
            "corrections-0-text": "В школе 1200 мест, а не 1500.",
        },
    )

    assert response.status_code == 302
    correction = published.corrections.get()
    assert (correction.kind, correction.created_by) == ("correction", editor_user)


def test_drafts_take_no_notes(client, editor_user, make_story):
    draft = make_story(status=Story.Status.DRAFT)
    client.force_login(editor_user)

    page = client.get(admin_url(Story, "change", draft.pk)).content.decode()

    assert "corrections-TOTAL_FORMS" not in page


def test_reporters_see_notes_but_cannot_add_them(client, reporter, published):
    published.authors.add(reporter)
    note(published, "Исправлена опечатка.")
    client.force_login(reporter)

    page = client.get(admin_url(Story, "change", published.pk)).content.decode()

    assert "Исправлена опечатка." in page
    assert client.get(admin_url(Correction, "add")).status_code == 403
    response = client.post(
        admin_url(Correction, "add"),
        {"story": published.pk, "kind": "update", "text": "Подделка", "published_at_0": "",
         "published_at_1": ""},
    )  # fmt: skip
    assert response.status_code == 403
    assert published.corrections.count() == 1


def test_the_story_shows_its_notes_at_the_end_and_when_it_was_updated(client, published):
    note(published, "В школе 1200 мест, а не 1500.", ago=timedelta(hours=2))
    last = note(published, "Аким ответил на вопросы.", Correction.Kind.UPDATE)

    html = client.get(published.get_absolute_url()).content.decode()

    updated = timezone.localtime(last.published_at)
    assert (
        f'<span class="updated">Обновлено <time datetime="{updated:%Y-%m-%dT%H:%M:%S%z}">' in html
    )
    notes = html[html.index('class="corrections"') :]
    assert notes.index("Исправление") < notes.index("Обновление")
    assert "В школе 1200 мест, а не 1500." in notes
    assert html.index('class="corrections"') > html.index('class="story-body"')


def test_notes_are_escaped(client, published):
    note(published, "<script>alert(1)</script>")

    html = client.get(published.get_absolute_url()).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_a_story_without_notes_says_nothing_of_updates(client, published):
    html = client.get(published.get_absolute_url()).content.decode()

    assert 'class="updated"' not in html
    assert 'class="corrections"' not in html


def test_a_note_dated_later_waits_for_its_time(client, published):
    note(published, "Будущая заметка", ago=-timedelta(hours=1))

    html = client.get(published.get_absolute_url()).content.decode()

    assert "Будущая заметка" not in html


def test_the_corrections_page_lists_notes_across_the_site_newest_first(
    client, make_story, published
):
    other = make_story("Курс тенге")
    note(published, "Первая заметка", ago=timedelta(hours=3))
    note(other, "Вторая заметка", Correction.Kind.CLARIFICATION, ago=timedelta(hours=1))
    hidden = make_story("Черновик", status=Story.Status.DRAFT)
    note(hidden, "Заметка черновика")

    response = client.get(reverse("articles:corrections"))

    html = response.content.decode()
    assert html.index("Вторая заметка") < html.index("Первая заметка")
    assert "Заметка черновика" not in html
    assert f'href="{published.get_absolute_url()}#correction-' in html


def test_the_corrections_page_filters_by_kind(client, published):
    note(published, "Исправили цифру")
    note(published, "Новые подробности", Correction.Kind.UPDATE)

    html = client.get(reverse("articles:corrections-kind", args=["update"])).content.decode()

    assert "Новые подробности" in html
    assert "Исправили цифру" not in html
    assert client.get("/corrections/nonsense/").status_code == 404


def test_the_corrections_page_is_linked_from_every_page(client, published):
    assert 'href="/corrections/"' in client.get("/").content.decode()


def test_notes_of_withdrawn_stories_leave_the_list(client, published, editor_user):
    note(published, "Заметка снятой")
    published.withdraw(by=editor_user)

    assert "Заметка снятой" not in client.get("/corrections/").content.decode()


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_notes_cost_the_same_whatever_their_number(client, make_story, published):
    note(published, "Одна")
    story_few, list_few = (
        _queries(client, published.get_absolute_url()),
        _queries(client, "/corrections/"),
    )
    for n in range(15):
        note(published, f"Заметка {n}")
        note(make_story(), f"Другая {n}")

    assert _queries(client, published.get_absolute_url()) == story_few
    assert _queries(client, "/corrections/") == list_few
