"""Two people on one story: a save over a newer version ends on a conflict page that loses
nobody's text; the change page says who else has the story open; the form's autosave script."""

import json
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Section, Story, revisions_of
from articles.richtext import embed_html

from .adminforms import admin_url, change, form_fields, story_change_data

pytestmark = pytest.mark.django_db

AUTOSAVE_JS = Path(settings.BASE_DIR) / "static" / "articles" / "admin" / "autosave.js"


@pytest.fixture
def story(make_story):
    return make_story(
        "Аким открыл школу",
        status=Story.Status.DRAFT,
        lede="В школе 1200 мест.",
        body="<p>Школа построена за год.</p><p>Учиться в ней начнут в сентябре.</p>",
        tags=["Алматы"],
    )


@pytest.fixture
def two_editors(make_staff):
    first = make_staff("pervyy", "Editors", first_name="Ерлан", last_name="Ахметов")
    second = make_staff("vtoroy", "Editors", first_name="Алия", last_name="Серик")
    one, other = Client(), Client()
    one.force_login(first)
    other.force_login(second)
    return one, other


def opened(client, story):
    """An editor opens the story's change page: what it would post back, as of now."""
    assert client.get(admin_url(Story, "change", story.pk)).status_code == 200
    return story_change_data(story)


def test_saving_over_a_newer_version_shows_both_texts_and_saves_nothing(story, two_editors):
    one, other = two_editors
    form = opened(one, story)
    change(other, story, headline="Аким открыл новую школу")

    form["headline"] = "Аким торжественно открыл школу"
    response = one.post(admin_url(Story, "change", story.pk), form)

    assert response.status_code == 409
    html = response.content.decode()
    assert "Сохранил(а) Алия Серик" in html
    assert "Аким открыл <ins>новую</ins> школу" in html
    assert "Аким <ins>торжественно</ins> открыл школу" in html
    assert Story.objects.get(pk=story.pk).headline == "Аким открыл новую школу"


def test_conflict_page_offers_the_editors_own_text_to_save(story, two_editors):
    one, other = two_editors
    form = opened(one, story)
    change(other, story, lede="Школа на 1500 мест.")
    form["body"] = (
        "<p>Школа построена за десять месяцев.</p><p>Учиться в ней начнут в сентябре.</p>"
    )

    html = one.post(admin_url(Story, "change", story.pk), form).content.decode()
    resubmitted = form_fields(html, "story_form")

    assert resubmitted["body"] == [form["body"]]
    assert resubmitted["opened_version"] == [str(Story.objects.get(pk=story.pk).version)]


def test_merging_by_hand_saves_both_changes_and_keeps_each_in_the_history(story, two_editors):
    one, other = two_editors
    form = opened(one, story)
    change(other, story, lede="Школа на 1500 мест.")
    form["body"] = (
        "<p>Школа построена за десять месяцев.</p><p>Учиться в ней начнут в сентябре.</p>"
    )
    html = one.post(admin_url(Story, "change", story.pk), form).content.decode()

    merged = form_fields(html, "story_form")
    merged["lede"] = ["Школа на 1500 мест."]
    response = one.post(admin_url(Story, "change", story.pk), {**merged, "_continue": "1"})

    assert response.status_code == 302
    saved = Story.objects.get(pk=story.pk)
    assert saved.lede == "Школа на 1500 мест."
    assert saved.body.startswith("<p>Школа построена за десять месяцев.</p>")
    authors = [v.revision.user.username for v in revisions_of(saved)]
    assert authors[:2] == ["pervyy", "vtoroy"]


def test_text_only_the_other_editor_changed_is_offered_as_theirs(story, two_editors):
    one, other = two_editors
    form = opened(one, story)
    their_body = "<p>Школа построена за десять месяцев.</p>"
    change(other, story, body=their_body)

    form["lede"] = "Школа на 1500 мест."
    html = one.post(admin_url(Story, "change", story.pk), form).content.decode()
    one.post(admin_url(Story, "change", story.pk), form_fields(html, "story_form"))

    saved = Story.objects.get(pk=story.pk)
    assert (saved.lede, saved.body) == ("Школа на 1500 мест.", their_body)


def test_fields_only_the_other_editor_changed_keep_their_value(story, two_editors, make_section):
    one, other = two_editors
    economy = make_section("Экономика")
    form = opened(one, story)
    change(other, story, section=economy.pk, tags="Алматы, Образование")

    form["headline"] = "Аким открыл школу в Алматы"
    html = one.post(admin_url(Story, "change", story.pk), form).content.decode()
    assert "Изменено только в сохранённой версии" in html
    response = one.post(admin_url(Story, "change", story.pk), form_fields(html, "story_form"))

    assert response.status_code == 302
    saved = Story.objects.get(pk=story.pk)
    assert saved.headline == "Аким открыл школу в Алматы"
    assert saved.section == economy
    assert sorted(saved.tags.names()) == ["Алматы", "Образование"]


def test_a_field_both_editors_changed_keeps_the_one_being_saved(story, two_editors, make_section):
    one, other = two_editors
    economy, world = make_section("Экономика"), make_section("Мир")
    form = opened(one, story)
    change(other, story, section=economy.pk)

    form["section"] = world.pk
    html = one.post(admin_url(Story, "change", story.pk), form).content.decode()
    assert "Остаётся ваше значение: Рубрика" in html
    one.post(admin_url(Story, "change", story.pk), form_fields(html, "story_form"))

    assert Story.objects.get(pk=story.pk).section == world


def test_the_other_editors_scheduling_survives_a_conflicting_save(story, two_editors):
    one, other = two_editors
    form = opened(one, story)
    later = timezone.localtime() + timedelta(days=1)
    change(
        other,
        story,
        published_at_0=later.strftime("%d.%m.%Y"),
        published_at_1=later.strftime("%H:%M:%S"),
        transition="publish",
    )

    form["lede"] = "Новый лид."
    html = one.post(admin_url(Story, "change", story.pk), form).content.decode()
    one.post(admin_url(Story, "change", story.pk), form_fields(html, "story_form"))

    saved = Story.objects.get(pk=story.pk)
    assert saved.lede == "Новый лид."
    assert saved.state == "scheduled"
    assert abs(saved.published_at - later) < timedelta(seconds=1)


def test_the_move_asked_for_is_not_made_over_a_conflict(story, two_editors):
    one, other = two_editors
    form = opened(one, story)
    change(other, story, lede="Чужой лид.")

    form["transition"] = "publish"
    response = one.post(admin_url(Story, "change", story.pk), form)

    assert response.status_code == 409
    assert "«Опубликовать» не выполнено" in response.content.decode()
    assert Story.objects.get(pk=story.pk).status == Story.Status.DRAFT


def test_the_quotes_travel_through_the_conflict_page_as_posted(story, two_editors, make_newsmaker):
    one, other = two_editors
    speaker = make_newsmaker("Дана Касымова")
    form = opened(one, story)
    change(other, story, lede="Чужой лид.")
    quote = one.post(
        reverse("admin:articles_story_quote_add", args=[story.pk]),
        {"text": "Школа откроется первого сентября.", "speaker": speaker.pk},
    ).json()
    form["body"] += embed_html("quote", quote["id"])

    response = one.post(admin_url(Story, "change", story.pk), form)
    html = response.content.decode()
    # The comparison reads the quote as text, not as an empty block.
    assert "Школа откроется первого сентября." in str(response.context["texts"])
    one.post(admin_url(Story, "change", story.pk), form_fields(html, "story_form"))

    assert [q.text for q in Story.objects.get(pk=story.pk).quotes.all()] == [
        "Школа откроется первого сентября."
    ]


def test_of_two_saves_from_one_version_the_second_conflicts(story, two_editors):
    one, other = two_editors
    first, second = opened(one, story), opened(other, story)
    first["headline"], second["headline"] = "Первая правка", "Вторая правка"

    assert one.post(admin_url(Story, "change", story.pk), first).status_code == 302
    assert other.post(admin_url(Story, "change", story.pk), second).status_code == 409
    assert Story.objects.get(pk=story.pk).headline == "Первая правка"


def test_a_form_that_does_not_say_its_version_saves_nothing(story, two_editors):
    one, _other = two_editors
    form = opened(one, story)
    del form["opened_version"]
    form["headline"] = "Без версии"

    response = one.post(admin_url(Story, "change", story.pk), form)

    assert response.status_code == 200
    assert "opened_version" in response.context["adminform"].form.errors
    assert "Без версии" in response.content.decode()
    assert Story.objects.get(pk=story.pk).headline == "Аким открыл школу"


def test_a_reporter_whose_draft_moved_on_gets_their_text_back(client, story, reporter, editor_user):
    story.authors.add(reporter)
    client.force_login(reporter)
    form = opened(client, story)
    story.submit_for_review(by=editor_user)

    form["body"] = "<p>Дописанный абзац, который нельзя потерять.</p>"
    response = client.post(admin_url(Story, "change", story.pk), form)

    assert response.status_code == 409
    html = response.content.decode()
    assert "Вы больше не можете править эту новость" in html
    assert "Дописанный абзац, который нельзя потерять." in html
    assert 'id="story_form"' not in html
    assert Story.objects.get(pk=story.pk).status == Story.Status.REVIEW


def test_a_story_deleted_while_being_edited_gives_the_text_back(story, two_editors):
    one, _other = two_editors
    form = opened(one, story)
    form["lede"] = "Лид, написанный после удаления."
    Story.objects.filter(pk=story.pk).delete()

    response = one.post(admin_url(Story, "change", story.pk), form)

    assert response.status_code == 409
    html = response.content.decode()
    assert "Пока вы правили новость, её удалили" in html
    assert "Лид, написанный после удаления." in html


# Who has the story open


def test_the_change_page_says_who_else_has_the_story_open(story, two_editors):
    one, other = two_editors
    one.get(admin_url(Story, "change", story.pk))

    html = other.get(admin_url(Story, "change", story.pk)).content.decode()

    assert "Эту новость сейчас также открыли: Ерлан Ахметов." in html
    assert "Алия Серик" not in html.split('id="story-presence"')[1].split("</div>")[0]


def presence(client, story, **data):
    return client.post(admin_url(Story, "presence", story.pk), data)


def test_the_heartbeat_answers_who_else_is_there_and_whether_a_newer_version_exists(
    story, two_editors
):
    one, other = two_editors
    version = Story.objects.get(pk=story.pk).version
    presence(one, story, opened_version=version)

    answer = presence(other, story, opened_version=version).json()
    assert answer["others"].startswith("Эту новость сейчас также открыли: Ерлан Ахметов.")
    assert answer["newer"] == ""

    change(one, story, lede="Новый лид.")
    answer = presence(other, story, opened_version=version).json()
    assert "сохранили более новую версию" in answer["newer"]
    assert "Ерлан Ахметов" in answer["newer"]


def test_leaving_the_page_or_going_quiet_takes_the_name_away(story, two_editors):
    one, other = two_editors
    presence(one, story)
    presence(one, story, leave="1")
    assert presence(other, story).json()["others"] == ""

    presence(one, story)
    with time_machine.travel(timezone.now() + timedelta(seconds=31)):
        other_later = Client()
        other_later.force_login(
            Story.objects.get(pk=story.pk).authors.model.objects.get(username="vtoroy")
        )
        assert presence(other_later, story).json()["others"] == ""


def test_the_heartbeat_is_for_staff_who_may_see_the_story(client, story, make_staff):
    assert presence(client, story).status_code == 302  # to the login page
    client.force_login(make_staff("nikto", "Editors"))
    assert client.get(admin_url(Story, "presence", story.pk)).status_code == 405
    client.force_login(
        Story.objects.get(pk=story.pk).authors.model.objects.create_user("intern", is_staff=True)
    )
    assert presence(client, story).status_code == 403
    assert presence(client, Story(pk=999999)).status_code in (403, 404)


# Autosave in the browser


def test_the_change_form_carries_the_autosave_and_heartbeat_hooks(client, story, editor_user):
    client.force_login(editor_user)

    html = client.get(admin_url(Story, "change", story.pk)).content.decode()

    assert f'data-key="newsroom:story:{editor_user.pk}:{story.pk}"' in html
    assert "articles/admin/autosave.js" in html
    assert "articles/admin/presence.js" in html
    assert f'data-url="{admin_url(Story, "presence", story.pk)}"' in html


def test_read_only_pages_keep_nothing_in_the_browser(client, story, reporter):
    client.force_login(reporter)

    html = client.get(admin_url(Story, "change", story.pk)).content.decode()

    assert 'id="story-autosave"' not in html


def test_autosave_reads_and_restores_fields_by_name_whatever_the_widget():
    node = shutil.which("node")
    if not node:
        pytest.skip("Node.js is not installed")
    script = f"""
        const a = require({json.dumps(str(AUTOSAVE_JS))});
        // A rich-text editor keeps the body in a hidden input; the formset bookkeeping is skipped.
        const elements = [
            {{name: 'headline', type: 'text', value: 'Заголовок'}},
            {{name: 'body', type: 'hidden', value: '<p>Текст</p>'}},
            {{name: 'csrfmiddlewaretoken', type: 'hidden', value: 'x'}},
            {{name: 'opened_version', type: 'hidden', value: '3'}},
            {{name: 'quotes-TOTAL_FORMS', type: 'hidden', value: '1'}},
            {{name: 'quotes-0-id', type: 'hidden', value: '7'}},
            {{name: 'featured', type: 'checkbox', checked: true}},
            {{name: 'authors', type: 'select-multiple', tagName: 'SELECT',
              options: [{{value: '1', text: 'Алия', selected: true}},
                        {{value: '2', text: 'Ерлан', selected: false}}]}},
        ];
        const values = a.valuesOf(elements);
        const select = {{type: 'select-multiple', tagName: 'SELECT', options: [
            {{value: '1', text: 'Алия', selected: false}}], add(o) {{ this.options.push(o); }}}};
        a.restoreValue([select], [['1', 'Алия'], ['5', 'Новый автор']],
            (label, value) => ({{value: value, text: label, selected: true}}));
        const body = {{name: 'body', type: 'hidden', value: ''}};
        a.restoreValue([body], '<p>Назад</p>');
        console.log(JSON.stringify({{
            values: values,
            differs: [a.differs(values, values), a.differs({{headline: 'Другой'}}, values)],
            select: select.options.map((o) => [o.value, o.selected]),
            body: body.value,
            missing: a.restoreValue([], 'x'),
        }}));
    """
    result = json.loads(
        subprocess.run([node, "-e", script], capture_output=True, check=True, text=True).stdout
    )
    assert result["values"] == {
        "headline": "Заголовок",
        "body": "<p>Текст</p>",
        "featured": True,
        "authors": [["1", "Алия"]],
    }
    assert result["differs"] == [False, True]
    assert result["select"] == [["1", True], ["5", True]]
    assert result["body"] == "<p>Назад</p>"
    assert result["missing"] is False


def test_conflict_page_renders_the_body_with_the_forms_own_widget(story, two_editors):
    one, other = two_editors
    form = opened(one, story)
    change(other, story, lede="Чужой лид.")

    response = one.post(admin_url(Story, "change", story.pk), form)

    fields = {merge["field"].name: merge["field"] for merge in response.context["merge_fields"]}
    assert set(fields) == {"headline", "lede", "body"}
    assert "data-django-prose-editor-configurable" in str(fields["body"])
    assert Section.objects.count() == 1


def test_after_a_save_the_page_tells_the_browser_its_text_was_saved(client, story, editor_user):
    client.force_login(editor_user)
    url = admin_url(Story, "change", story.pk)

    assert 'data-saved="1"' not in client.get(url).content.decode()
    client.post(url, story_change_data(story, lede="Сохранённый лид."))

    assert 'data-saved="1"' in client.get(url).content.decode()
    assert 'data-saved="1"' not in client.get(url).content.decode()


def test_after_adding_a_story_the_add_page_forgets_the_kept_text(client, editor_user, section):
    from .adminforms import story_form_data

    client.force_login(editor_user)
    client.post(admin_url(Story, "add"), story_form_data(section, headline="Новая"))

    assert 'data-saved="1"' in client.get(admin_url(Story, "add")).content.decode()
    assert 'data-saved="1"' not in client.get(admin_url(Story, "add")).content.decode()


def test_a_failed_save_leaves_the_kept_text_to_be_offered(client, story, editor_user):
    client.force_login(editor_user)
    url = admin_url(Story, "change", story.pk)

    client.post(url, story_change_data(story, headline=""))

    assert 'data-saved="1"' not in client.get(url).content.decode()


def test_a_heartbeat_costs_a_few_queries(story, two_editors, django_assert_max_num_queries):
    one, _other = two_editors
    presence(one, story)

    with django_assert_max_num_queries(8):
        assert presence(one, story).status_code == 200


def test_sessions_nobody_refreshed_for_an_hour_are_forgotten(story, two_editors, make_story):
    from articles.models import EditSession

    one, _other = two_editors
    presence(one, story)
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        other_later = Client()
        other_later.force_login(EditSession.objects.get().user)
        presence(other_later, make_story("Другая"))

    assert EditSession.objects.count() == 1
