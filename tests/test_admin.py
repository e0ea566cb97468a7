"""The editors' admin through the test client: lists, forms, actions, filters, tag suggestions."""

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from taggit.utils import parse_tags

from articles.models import Newsmaker, Section, Source, Story, Tag
from articles.richtext import embed_html
from articles.slugs import CYRILLIC, ascii_slugify
from tests.conftest import quote_positions

from .adminforms import admin_url, change, run_action, story_change_data, story_form_data

User = get_user_model()
ADMIN_STATIC = Path(settings.BASE_DIR) / "static" / "articles" / "admin"
AUTOCOMPLETE = "/admin/autocomplete/"
MODELS = [Story, Section, Newsmaker, Source, Tag]


def make_user(username, *perms, staff=True, **fields):
    user = User.objects.create_user(username, password="secret", is_staff=staff, **fields)
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


@pytest.fixture
def editor(db):
    """A staff member who may work on and publish stories and see tags, as editors do."""
    return make_user(
        "editor",
        "articles.view_story",
        "articles.add_story",
        "articles.change_story",
        "articles.publish_story",
        "articles.view_tag",
        first_name="Айгерим",
        last_name="Сапарова",
    )


@pytest.fixture
def some_of_everything(make_story, make_quote, make_source):
    story = make_story(tags=["Политика"])
    story.sources.add(make_source())
    make_quote(story)
    return story


# Lists and forms


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.model_name)
def test_changelist_renders_in_few_queries(
    admin_client, some_of_everything, django_assert_max_num_queries, model
):
    with django_assert_max_num_queries(12):
        response = admin_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1


def story_changelist_queries(client, make_story, count, users, section):
    for n in range(count):
        story = make_story(f"Новость {n}", tags=[f"тег {n}", "Астана"], section=section)
        story.authors.add(*users)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(admin_url(Story, "changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == Story.objects.count()
    return len(queries)


def test_story_changelist_queries_do_not_grow_with_the_stories(
    admin_client, make_story, make_section
):
    users = [make_user(f"author{n}", first_name=f"Автор {n}") for n in range(2)]
    few = story_changelist_queries(admin_client, make_story, 3, users, make_section())
    many = story_changelist_queries(admin_client, make_story, 27, users, make_section())
    assert few == many


def test_story_changelist_shows_authors_and_a_status_badge(admin_client, make_story):
    story = make_story("Итоги недели")
    story.authors.add(make_user("writer", first_name="Ерлан", last_name="Ахметов"))
    make_story("Завтрашняя новость", published_at=timezone.now() + timezone.timedelta(days=1))
    make_story("Черновик", status=Story.Status.DRAFT)
    page = admin_client.get(admin_url(Story, "changelist")).content.decode()
    assert "Ерлан Ахметов" in page
    assert 'class="story-status story-status-published"' in page
    assert 'class="story-status story-status-scheduled"' in page
    assert 'class="story-status story-status-draft"' in page


def test_story_changelist_lists_drafts_then_the_newest(admin_client, make_story):
    now = timezone.now()
    old = make_story("Старая", published_at=now - timezone.timedelta(days=2))
    new = make_story("Новая", published_at=now - timezone.timedelta(hours=1))
    draft = make_story("Черновик", status=Story.Status.DRAFT)
    response = admin_client.get(admin_url(Story, "changelist"))
    assert list(response.context["cl"].result_list) == [draft, new, old]


def test_story_search_ignores_cyrillic_letter_case(admin_client, make_story):
    found = make_story("Астана принимает саммит")
    make_story("Погода в Алматы")
    for term in ["астана", "АСТАНА", "Астана"]:
        response = admin_client.get(admin_url(Story, "changelist"), {"q": term})
        assert list(response.context["cl"].result_list) == [found], term


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.model_name)
def test_add_form_renders(admin_client, db, model):
    response = admin_client.get(admin_url(model, "add"))
    assert response.status_code == 200
    assert 'name="_save"' in response.content.decode()


def test_counts_in_the_lists(admin_client, some_of_everything):
    story = some_of_everything
    quote = story.quotes.get()
    rows = {
        Newsmaker: ("usage_count", quote.speaker, 1),
        Section: ("usage_count", story.section, 1),
        Source: ("usage_count", story.sources.get(), 1),
        Tag: ("usage_count", story.tags.get(), 1),
    }
    for model, (column, obj, expected) in rows.items():
        response = admin_client.get(admin_url(model, "changelist"))
        row = next(row for row in response.context["cl"].result_list if row.pk == obj.pk)
        assert getattr(row, column) == expected, model


def test_section_positions_are_editable_in_the_list(admin_client, make_section):
    section = make_section("Экономика")
    response = admin_client.get(admin_url(Section, "changelist"))
    assert 'name="form-0-position"' in response.content.decode()
    assert response.context["cl"].list_editable == ["position"]
    assert section in response.context["cl"].result_list


def test_section_positions_can_be_saved_from_the_list(admin_client, make_section):
    first, second = make_section("Политика"), make_section("Экономика")
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",
        "form-0-id": first.pk,
        "form-0-position": "20",
        "form-1-id": second.pk,
        "form-1-position": "10",
        "_save": "Save",
    }
    response = admin_client.post(admin_url(Section, "changelist"), data)
    assert response.status_code == 302
    assert list(Section.objects.all()) == [second, first]


# The story form


def test_story_add_form_has_the_body_editor_and_tag_suggestions(admin_client, db):
    page = admin_client.get(admin_url(Story, "add")).content.decode()
    # Quotes are written in the body's editor, not in an inline under the form.
    assert 'name="quotes-TOTAL_FORMS"' not in page
    assert "data-django-prose-editor-configurable" in page
    assert "articles/admin/writing-hints.js" in page
    assert "articles/admin/tag-suggestions.js" in page
    assert 'data-suggestions-url="/admin/autocomplete/"' in page
    # The project's slugs replace Django's URLify, so slugify.js must come after urlify.js.
    assert page.index("admin/js/urlify.js") < page.index("articles/admin/slugify.js")


def test_story_form_labels_the_date_and_the_time_of_each_date_and_time_field(
    admin_client, make_story
):
    story = make_story()  # published: the form has a corrections inline with a date too
    page = admin_client.get(admin_url(Story, "change", story.pk)).content.decode()
    for prefix in ["id_published_at", "id_corrections-__prefix__-published_at"]:
        assert f'<label for="{prefix}_0">Дата:</label> <input type="text"' in page
        assert f'<label for="{prefix}_1">Время:</label> <input type="text"' in page
    assert "articles/admin/widgets.css" in page  # the labels read as text, not as field labels


def test_autocomplete_fields_bring_the_script_that_names_them(admin_client, make_story):
    page = admin_client.get(admin_url(Story, "change", make_story().pk)).content.decode()
    # Select2 must be set up before the script names its parts, and Django's styles for it
    # come before those that correct them.
    assert page.index("admin/js/autocomplete.js") < page.index("articles/admin/select2-labels.js")
    assert page.index("admin/css/autocomplete.css") < page.index("articles/admin/widgets.css")
    assert page.count("articles/admin/select2-labels.js") == 1


def test_posting_a_story_with_a_quote_and_tags(admin_client, admin_user, section, make_newsmaker):
    speaker = make_newsmaker("Қасым-Жомарт Тоқаев")
    data = story_form_data(
        section,
        headline="Қазақстан и Астана: новый бюджет",
        lede="Правительство утвердило бюджет.",
        body="<p>Первый абзац.</p><p>Второй абзац.</p>",
        tags="Политика, Астана",
    )
    response = admin_client.post(admin_url(Story, "add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    story = Story.objects.get()
    # The editor's quote dialog, then the story saved with the quote's block after paragraph 1.
    made = admin_client.post(
        reverse("admin:articles_story_quote_add", args=[story.pk]),
        {
            "text": "Бюджет будет социально ориентированным.",
            "speaker": speaker.pk,
            "context": "На заседании правительства",
        },
    ).json()
    body = f"<p>Первый абзац.</p>{embed_html('quote', made['id'])}<p>Второй абзац.</p>"
    assert change(admin_client, story, body=body).status_code == 302

    story = Story.objects.get()
    assert story.slug == "qazaqstan-i-astana-novyy-byudzhet"
    assert story.slug.isascii()
    assert sorted(tag.name for tag in story.tags.all()) == ["Астана", "Политика"]
    assert all(tag.slug.isascii() for tag in story.tags.all())
    quote = story.quotes.get()
    assert (quote.speaker, quote.context, quote.placed) == (
        speaker,
        "На заседании правительства",
        True,
    )
    assert quote_positions(story.body) == [(quote.pk, 1)]
    # Nobody named as author: the editor who saved the story is.
    assert list(story.authors.all()) == [admin_user]


def test_named_authors_are_kept(admin_client, admin_user, section):
    author = make_user("correspondent")
    data = story_form_data(section, headline="Репортаж", authors=[author.pk])
    assert admin_client.post(admin_url(Story, "add"), data).status_code == 302
    assert list(Story.objects.get().authors.all()) == [author]


def test_changing_a_story_without_authors_adds_none(admin_client, make_story):
    story = make_story("Сообщение агентства")
    data = story_change_data(story)
    response = admin_client.post(admin_url(Story, "change", story.pk), data)
    assert response.status_code == 302
    assert not story.authors.exists()


def test_an_invalid_story_is_shown_again_with_what_was_typed(admin_client, section):
    data = story_form_data(section, lede="Лид, который не должен потеряться.", tags="Астана")
    response = admin_client.post(admin_url(Story, "add"), data)
    assert response.status_code == 200
    assert "headline" in response.context["adminform"].form.errors
    page = response.content.decode()
    assert "Лид, который не должен потеряться." in page
    assert 'value="Астана"' in page
    assert not Story.objects.exists()


def test_a_story_cannot_be_related_to_itself(admin_client, make_story):
    story = make_story("Сама себе напоминание")
    data = story_change_data(story, related=[story.pk])

    response = admin_client.post(admin_url(Story, "change", story.pk), data)

    assert response.status_code == 200
    assert "related" in response.context["adminform"].form.errors
    assert not story.related.exists()


def test_view_on_site_opens_the_story(admin_client, make_story):
    for story in [make_story("Опубликовано"), make_story("Черновик", status="draft")]:
        response = admin_client.get(admin_url(Story, "change", story.pk))
        assert response.context["has_absolute_url"]
        assert f'href="{story.get_absolute_url()}"' in response.content.decode()


# Actions


def test_publish_action(admin_client, make_story):
    drafts = [make_story(status=Story.Status.DRAFT) for _ in range(2)]
    published = make_story()
    response = run_action(admin_client, "publish", [*drafts, published])

    for story in drafts:
        story.refresh_from_db()
        assert story.status == Story.Status.PUBLISHED
        assert story.is_published
    messages = [str(message) for message in get_messages(response.wsgi_request)]
    assert len(messages) == 1
    assert "2" in messages[0]
    assert "1" in messages[0]
    assert LogEntry.objects.filter(object_id__in=[str(s.pk) for s in drafts]).count() == 2


def test_publish_keeps_a_scheduled_time(admin_client, make_story):
    later = timezone.now() + timezone.timedelta(hours=3)
    story = make_story(status=Story.Status.REVIEW, published_at=later)
    run_action(admin_client, "publish", [story])
    story.refresh_from_db()
    assert story.status == Story.Status.PUBLISHED
    assert story.published_at == later
    assert not story.is_published


def test_return_to_draft_action(admin_client, make_story):
    later = timezone.now() + timezone.timedelta(hours=3)
    stories = [
        make_story(status=Story.Status.REVIEW),
        make_story(published_at=later),
        make_story(status=Story.Status.WITHDRAWN),
    ]
    run_action(admin_client, "return_to_draft", stories)
    for story in stories:
        story.refresh_from_db()
        assert story.status == Story.Status.DRAFT


def test_actions_need_the_change_permission(client, make_story):
    viewer = make_user("viewer", "articles.view_story")
    client.force_login(viewer)
    draft = make_story(status=Story.Status.DRAFT)

    response = client.get(admin_url(Story, "changelist"))
    assert response.status_code == 200
    # No action is offered: a viewer may neither change nor delete stories.
    assert response.context["action_form"] is None

    run_action(client, "publish", [draft])
    draft.refresh_from_db()
    assert draft.status == Story.Status.DRAFT


def test_editor_with_publish_permission_may_publish(client, editor, make_story):
    client.force_login(editor)
    draft = make_story(status=Story.Status.DRAFT)
    run_action(client, "publish", [draft])
    draft.refresh_from_db()
    assert draft.status == Story.Status.PUBLISHED


def test_staff_without_permissions_cannot_open_stories(client, make_story):
    client.force_login(make_user("nobody"))
    story = make_story()
    assert client.get(admin_url(Story, "changelist")).status_code == 403
    assert client.get(admin_url(Story, "change", story.pk)).status_code == 403
    run_action(client, "return_to_draft", [story])
    story.refresh_from_db()
    assert story.status == Story.Status.PUBLISHED


# The author filter


def test_author_filter_lists_only_authors(admin_client, make_story):
    writer = make_user("writer", first_name="Ерлан", last_name="Ахметов")
    make_user("reader", staff=False)
    by_writer = make_story("Репортаж")
    by_writer.authors.add(writer)
    anonymous = make_story("Сообщение агентства")

    response = admin_client.get(admin_url(Story, "changelist"))
    author_filter = next(
        spec
        for spec in response.context["cl"].filter_specs
        if getattr(spec, "parameter_name", None) == "author"
    )
    choices = author_filter.lookup_choices
    assert [value for value, _label in choices] == [str(writer.pk), "none"]
    assert choices[0][1] == "Ерлан Ахметов"

    response = admin_client.get(admin_url(Story, "changelist"), {"author": writer.pk})
    assert list(response.context["cl"].result_list) == [by_writer]
    response = admin_client.get(admin_url(Story, "changelist"), {"author": "none"})
    assert list(response.context["cl"].result_list) == [anonymous]
    response = admin_client.get(admin_url(Story, "changelist"), {"author": "x"})
    assert response.status_code == 302
    assert "e=1" in response.url


# Tag suggestions


@pytest.fixture
def tags(make_story):
    make_story(tags=["Астана", "Политика", "Астрономия", "Центральная Азия", "ЕАЭС"])


def suggest(client, term, field_name="tags"):
    return client.get(
        AUTOCOMPLETE,
        {"app_label": "articles", "model_name": "story", "field_name": field_name, "term": term},
    )


@pytest.mark.parametrize("term", ["аст", "АСТ", "Аст", "аСТ"])
def test_tag_suggestions_match_cyrillic_in_any_case(client, editor, tags, term):
    client.force_login(editor)
    response = suggest(client, term)
    assert response.status_code == 200
    assert [result["text"] for result in response.json()["results"]] == ["Астана", "Астрономия"]


@pytest.mark.parametrize(
    ("term", "names"),
    [("азия", ["Центральная Азия"]), ("еаэс", ["ЕАЭС"]), ("тика", ["Политика"]), ("zz", [])],
)
def test_tag_suggestions_match_inside_names(client, editor, tags, term, names):
    client.force_login(editor)
    assert [result["text"] for result in suggest(client, term).json()["results"]] == names


def test_editors_group_gets_every_suggestion_the_story_form_asks_for(client, tags, section):
    """Members of the Editors group can use each autocomplete of the story form."""
    member = make_user("member", first_name="Айгерим")
    member.groups.add(Group.objects.get(name="Editors"))
    client.force_login(member)
    assert client.get(admin_url(Story, "add")).status_code == 200
    for field_name, term in [("tags", "аст"), ("authors", "айгерим"), ("section", "пол")]:
        response = suggest(client, term, field_name)
        assert response.status_code == 200, field_name
        assert response.json()["results"], field_name


def test_tag_suggestions_need_permission(client, tags):
    assert suggest(client, "аст").status_code == 302  # to the login page
    client.force_login(make_user("writer", "articles.change_story"))
    assert suggest(client, "аст").status_code == 403


def test_tag_suggestion_helpers_agree_with_taggit(tmp_path):
    """The field text the script writes back parses into the tags the editor picked."""
    node = shutil.which("node")
    if not node:
        pytest.skip("Node.js is not installed")
    script = f"""
        const t = require({json.dumps(str(ADMIN_STATIC / "tag-suggestions.js"))});
        const out = [];
        for (const [value, name] of {
        json.dumps(
            [
                ["Политика, аст", "Астана"],
                ["Политика, цен", "Центральная Азия"],
                ['"Центральная Азия", по, Экономика', "Политика"],
                ["аст", "Астана, столица"],
            ]
        )
    }) {{
            const caret = value.includes(", по,") ? value.indexOf(", по,") + 4 : value.length;
            const token = t.tokenAt(value, caret);
            out.push([token.query, t.withTag(value, token, name).value,
                      t.tagNames(value)]);
        }}
        console.log(JSON.stringify(out));
    """
    result = json.loads(
        subprocess.run([node, "-e", script], capture_output=True, check=True, text=True).stdout
    )
    queries, values, names = zip(*result, strict=True)
    assert queries == ("аст", "цен", "по", "аст")
    assert [sorted(parse_tags(value)) for value in values] == [
        ["Астана", "Политика"],
        ["Политика", "Центральная Азия"],
        ["Политика", "Центральная Азия", "Экономика"],
        ["Астана, столица"],
    ]
    assert names[0] == ["политика", "аст"]


# Slugs made in the browser


def test_slugify_script_makes_the_server_slugs(admin_client):
    page = admin_client.get(admin_url(Story, "add")).content.decode()
    tag = re.search(r'<script src="[^"]*slugify\.js" data-letters="([^"]*)"', page)
    table = json.loads(html.unescape(tag[1]))
    assert table == CYRILLIC

    node = shutil.which("node")
    if not node:
        pytest.skip("Node.js is not installed")
    samples = [
        "Қазақстан и Астана: новый бюджет",
        "Щучинск, Үржар және Өскемен — «жаңалықтар» 2025",
        "Café Ёлка: ЭКСПО-2017!",
        "  ---  ",
        "Очень длинный заголовок новости про " * 5,
    ]
    script = f"""
        const {{makeSlugify}} = require({json.dumps(str(ADMIN_STATIC / "slugify.js"))});
        const asciiSlugify = makeSlugify({json.dumps(table)});
        console.log(JSON.stringify({json.dumps(samples)}.map((s) => asciiSlugify(s, 80))));
    """
    result = subprocess.run([node, "-e", script], capture_output=True, check=True, text=True)
    assert json.loads(result.stdout) == [ascii_slugify(text, max_length=80) for text in samples]


def test_story_search_finds_words_in_any_form_in_the_body(admin_client, make_story):
    found = make_story("Саммит", body="<p>Президенты обсудили поставки зерна.</p>")
    make_story("Погода в Алматы")

    response = admin_client.get(admin_url(Story, "changelist"), {"q": "зерно поставка"})

    assert list(response.context["cl"].result_list) == [found]
