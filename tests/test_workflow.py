"""Reporters and editors: who may do what with a story in which state, tried with the requests a
browser sends and with forged ones; every move between states, recorded; withdrawn stories."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django import forms
from django.contrib.admin.models import LogEntry
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from articles.models import Action, Story, StoryTransition

from .adminforms import admin_url, change, run_action, story_change_data, story_form_data

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)


@pytest.fixture
def own_draft(make_story, reporter):
    story = make_story("Черновик корреспондента", status=Story.Status.DRAFT)
    story.authors.add(reporter)
    return story


@pytest.fixture
def colleagues_draft(make_story, colleague):
    story = make_story("Черновик коллеги", status=Story.Status.DRAFT)
    story.authors.add(colleague)
    return story


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def reload(story):
    story.refresh_from_db()
    return story


# Reporters


def test_reporter_creates_a_draft_and_is_its_author(client, reporter, section):
    client.force_login(reporter)

    response = client.post(
        admin_url(Story, "add"), story_form_data(section, headline="Новость корреспондента")
    )

    assert response.status_code == 302
    story = Story.objects.get()
    assert story.status == Story.Status.DRAFT
    assert list(story.authors.all()) == [reporter]


def test_reporter_edits_own_draft(client, reporter, own_draft):
    client.force_login(reporter)

    response = change(client, own_draft, headline="Исправленный заголовок")

    assert response.status_code == 302
    assert reload(own_draft).headline == "Исправленный заголовок"


def test_reporter_cannot_remove_themselves_from_their_draft(client, reporter, own_draft, colleague):
    client.force_login(reporter)

    change(client, own_draft, authors=[colleague.pk])

    assert set(own_draft.authors.all()) == {reporter, colleague}


def test_coauthor_edits_the_draft(client, reporter, colleagues_draft):
    colleagues_draft.authors.add(reporter)
    client.force_login(reporter)

    assert change(client, colleagues_draft, lede="Вместе").status_code == 302
    assert reload(colleagues_draft).lede == "Вместе"


def test_reporter_cannot_edit_a_colleagues_draft(client, reporter, colleagues_draft):
    client.force_login(reporter)

    assert client.get(admin_url(Story, "change", colleagues_draft.pk)).status_code == 200
    response = change(client, colleagues_draft, headline="Чужая правка")

    assert response.status_code == 403
    assert reload(colleagues_draft).headline == "Черновик коллеги"


@pytest.mark.parametrize(
    "status", [Story.Status.REVIEW, Story.Status.PUBLISHED, Story.Status.WITHDRAWN]
)
def test_reporter_cannot_edit_own_story_once_it_left_draft(client, reporter, make_story, status):
    story = make_story("Ушла дальше", status=status)
    story.authors.add(reporter)
    client.force_login(reporter)

    page = client.get(admin_url(Story, "change", story.pk))
    response = change(client, story, headline="Поздняя правка")

    assert 'name="_save"' not in page.content.decode()
    assert response.status_code == 403
    assert reload(story).headline == "Ушла дальше"


def test_reporter_sends_own_draft_to_review(client, reporter, own_draft):
    client.force_login(reporter)

    response = change(
        client, own_draft, headline="Готово", transition="submit", workflow_comment="Проверьте"
    )

    assert response.status_code == 302
    story = reload(own_draft)
    assert (story.status, story.headline) == (Story.Status.REVIEW, "Готово")
    transition = story.transitions.get()
    assert (transition.source, transition.target) == ("draft", "review")
    assert (transition.user, transition.comment) == (reporter, "Проверьте")


def test_reporter_sends_a_new_story_straight_to_review(client, reporter, section):
    client.force_login(reporter)

    client.post(
        admin_url(Story, "add"),
        story_form_data(section, headline="Сразу на проверку", transition="submit"),
    )

    assert Story.objects.get().status == Story.Status.REVIEW


@pytest.mark.parametrize("action", ["publish", "withdraw", "return"])
def test_reporter_cannot_make_editors_moves_with_a_forged_button(
    client, reporter, own_draft, action
):
    client.force_login(reporter)

    response = change(client, own_draft, headline="Не сохранится", transition=action)

    assert response.status_code == 200
    assert "transition" in response.context["adminform"].form.errors
    story = reload(own_draft)
    assert (story.status, story.headline) == (Story.Status.DRAFT, "Черновик корреспондента")
    assert not StoryTransition.objects.exists()


def test_reporter_is_not_offered_editors_moves(client, reporter, own_draft):
    client.force_login(reporter)

    page = client.get(admin_url(Story, "change", own_draft.pk)).content.decode()

    assert 'name="transition" value="submit"' in page
    assert 'value="publish"' not in page
    assert 'value="withdraw"' not in page


def test_reporter_cannot_schedule_by_posting_a_time(client, reporter, own_draft):
    client.force_login(reporter)

    change(client, own_draft, published_at_0="01.01.2030", published_at_1="10:00:00", featured="on")

    story = reload(own_draft)
    assert story.published_at is None
    assert not story.featured


@pytest.mark.parametrize("action", ["publish", "withdraw", "return_to_draft", "delete_selected"])
def test_reporter_cannot_run_editors_bulk_actions(client, reporter, own_draft, make_story, action):
    published = make_story("Опубликована")
    published.authors.add(reporter)
    client.force_login(reporter)

    response = run_action(client, action, [own_draft, published], post="yes", confirmed="1")

    assert action not in dict(response.context["action_form"].fields["action"].choices)
    assert reload(own_draft).status == Story.Status.DRAFT
    assert reload(published).status == Story.Status.PUBLISHED
    assert Story.objects.count() == 2


def test_reporter_bulk_sends_only_own_drafts_to_review(
    client, reporter, own_draft, colleagues_draft
):
    client.force_login(reporter)

    response = run_action(client, "submit_for_review", [own_draft, colleagues_draft])

    assert reload(own_draft).status == Story.Status.REVIEW
    assert reload(colleagues_draft).status == Story.Status.DRAFT
    assert messages_of(response) == [
        "1 новость отправлена на проверку. 1 не удалось отправить: на проверку уходят только "
        "черновики, которые вы можете править."
    ]


def test_reporter_cannot_delete(client, reporter, own_draft):
    client.force_login(reporter)

    response = client.post(admin_url(Story, "delete", own_draft.pk), {"post": "yes"})

    assert response.status_code == 403
    assert Story.objects.filter(pk=own_draft.pk).exists()


# Editors


def test_editor_edits_a_published_story(client, editor_user, make_story):
    story = make_story("Опубликованная")
    client.force_login(editor_user)

    assert change(client, story, lede="Уточнённый лид").status_code == 302
    assert reload(story).lede == "Уточнённый лид"
    assert reload(story).is_published


def test_editor_publishes_from_the_form(client, editor_user, make_story):
    story = make_story("На проверке", status=Story.Status.REVIEW)
    client.force_login(editor_user)

    response = change(client, story, transition="publish")

    assert response.status_code == 302
    story = reload(story)
    assert story.is_published
    assert story.transitions.get().target == "published"


def test_editor_publishes_a_new_story_with_the_time_left_empty(client, editor_user, section):
    """«Empty means now»: the time is filled in before the database constraint is checked."""
    client.force_login(editor_user)
    before = timezone.now()

    response = client.post(
        admin_url(Story, "add"),
        story_form_data(section, headline="Срочно", transition="publish"),
    )

    assert response.status_code == 302
    story = Story.objects.get()
    assert story.is_published
    assert before <= story.published_at <= timezone.now()


def test_a_published_story_without_a_time_passes_validation():
    form_class = forms.modelform_factory(Story, fields=["headline", "section", "status"])
    section = Story._meta.get_field("section").related_model.objects.create(name="Мир")
    form = form_class({"headline": "Срочно", "section": section.pk, "status": "published"})

    assert form.is_valid(), form.errors
    assert form.save().is_published


def test_editor_schedules_with_a_future_time(client, editor_user, make_story):
    story = make_story("Утренняя", status=Story.Status.REVIEW)
    client.force_login(editor_user)
    later = timezone.localtime() + timedelta(days=1)

    change(
        client,
        story,
        published_at_0=later.strftime("%d.%m.%Y"),
        published_at_1=later.strftime("%H:%M:%S"),
        transition="publish",
    )

    story = reload(story)
    assert story.state == "scheduled"
    assert story.transitions.get().target == "scheduled"
    assert client.logout() is None
    assert client.get(story.get_absolute_url()).status_code == 404


def test_editor_returns_a_story_to_draft_and_the_reporter_reads_why(
    client, editor_user, reporter, own_draft
):
    own_draft.submit_for_review(by=reporter)
    client.force_login(editor_user)
    change(client, own_draft, transition="return", workflow_comment="Нужен комментарий акимата.")
    assert reload(own_draft).status == Story.Status.DRAFT

    client.force_login(reporter)
    page = client.get(admin_url(Story, "change", own_draft.pk)).content.decode()

    assert 'class="story-note"' in page
    assert "Нужен комментарий акимата." in page
    assert "Айгерим Сапарова" in page


def test_the_change_page_shows_every_state_change(client, editor_user, reporter, own_draft):
    own_draft.submit_for_review(by=reporter, comment="Готово к проверке")
    own_draft.publish(by=editor_user)
    client.force_login(editor_user)

    page = client.get(admin_url(Story, "change", own_draft.pk)).content.decode()

    history = page[page.index('id="state-history"') :]
    assert "Черновик → На проверке" in history
    assert "На проверке → Опубликована" in history
    assert "Готово к проверке" in history
    assert "Данияр Ахметов" in history


def test_editor_withdraws_after_confirming_with_a_reason(client, editor_user, make_story):
    story = make_story("Ошибочная")
    client.force_login(editor_user)

    asked = run_action(client, "withdraw", [story])
    assert asked.templates[0].name == "admin/articles/story/withdraw_selected.html"
    assert reload(story).status == Story.Status.PUBLISHED

    run_action(client, "withdraw", [story], confirmed="1", comment="Иск о защите чести")

    story = reload(story)
    assert story.status == Story.Status.WITHDRAWN
    assert story.transitions.get().comment == "Иск о защите чести"


def test_editor_bulk_actions_report_what_they_could_not_do(client, editor_user, make_story):
    draft = make_story(status=Story.Status.DRAFT)
    live = make_story()

    client.force_login(editor_user)
    response = run_action(client, "publish", [draft, live])

    assert reload(draft).is_published
    assert messages_of(response) == [
        "1 новость опубликована. 1 не удалось опубликовать: она уже опубликована или снята с "
        "публикации."
    ]
    assert LogEntry.objects.filter(object_id=str(draft.pk)).count() == 1


def test_editor_deletes_a_story(client, editor_user, make_story):
    story = make_story()
    client.force_login(editor_user)

    response = client.post(admin_url(Story, "delete", story.pk), {"post": "yes"})

    assert response.status_code == 302
    assert not Story.objects.filter(pk=story.pk).exists()


def test_editors_may_not_move_a_story_its_state_forbids(client, editor_user, make_story):
    draft = make_story("Черновик", status=Story.Status.DRAFT)
    client.force_login(editor_user)

    response = change(client, draft, transition="withdraw")

    assert "transition" in response.context["adminform"].form.errors
    assert reload(draft).status == Story.Status.DRAFT


# The states themselves


MOVES = [
    # state before, action, state after (None: refused)
    ("draft", Action.SUBMIT, "review"),
    ("draft", Action.PUBLISH, "published"),
    ("draft", Action.RETURN, None),
    ("draft", Action.WITHDRAW, None),
    ("review", Action.PUBLISH, "published"),
    ("review", Action.RETURN, "draft"),
    ("review", Action.SUBMIT, None),
    ("review", Action.WITHDRAW, None),
    ("scheduled", Action.RETURN, "draft"),
    ("scheduled", Action.WITHDRAW, None),
    ("scheduled", Action.PUBLISH, None),
    ("published", Action.WITHDRAW, "withdrawn"),
    ("published", Action.RETURN, None),
    ("published", Action.PUBLISH, None),
    ("withdrawn", Action.RETURN, "draft"),
    ("withdrawn", Action.PUBLISH, None),
    ("withdrawn", Action.SUBMIT, None),
]


def story_in(make_story, state):
    if state == "scheduled":
        return make_story(published_at=timezone.now() + HOUR)
    return make_story(status=state)


@pytest.mark.parametrize(("before", "action", "after"), MOVES)
def test_every_move_between_states(client, editor_user, make_story, before, action, after):
    story = story_in(make_story, before)
    client.force_login(editor_user)

    change(client, story, transition=action.value)

    story = reload(story)
    if after is None:
        assert story.state == before
        assert not story.transitions.exists()
    else:
        assert story.state == after
        transition = story.transitions.get()
        assert (transition.source, transition.target, transition.user) == (
            before,
            after,
            editor_user,
        )


def test_returning_a_scheduled_story_to_draft_keeps_its_planned_time(make_story, editor_user):
    later = timezone.now() + HOUR
    story = make_story(published_at=later)

    story.return_to_draft(by=editor_user)

    assert (story.status, story.published_at) == (Story.Status.DRAFT, later)


def test_each_move_is_a_revision_of_its_own(make_story, editor_user):
    from articles.models import revisions_of

    story = make_story(status=Story.Status.REVIEW)
    story.publish(by=editor_user)

    revision = revisions_of(story).get().revision
    assert revision.user == editor_user
    assert revision.comment == "На проверке → Опубликована"


# Filters in the story list


def test_list_filters_by_state_and_by_author(client, reporter, make_story):
    mine = make_story("Моя", status=Story.Status.DRAFT)
    mine.authors.add(reporter)
    review = make_story("Проверка", status=Story.Status.REVIEW)
    scheduled = make_story("Завтра", published_at=timezone.now() + HOUR)
    live = make_story("Сегодня")
    gone = make_story("Снятая", status=Story.Status.WITHDRAWN)
    client.force_login(reporter)
    url = admin_url(Story, "changelist")

    def listed(**query):
        return set(client.get(url, query).context["cl"].result_list)

    assert listed(mine="1") == {mine}
    assert listed(state="review") == {review}
    assert listed(state="scheduled") == {scheduled}
    assert listed(state="published") == {live}
    assert listed(state="withdrawn") == {gone}
    page = client.get(url).content.decode()
    for label in [
        "Мои материалы",
        "На проверке",
        "Запланировано",
        "Опубликовано",
        "Сняты с публикации",
    ]:
        assert label in page


# Withdrawn stories and the publication time


def test_withdrawn_story_answers_gone_with_a_notice(client, make_story, editor_user):
    story = make_story("Снятая новость")
    old_url = story.get_absolute_url()
    story.withdraw(by=editor_user, comment="Ошибка в фактах")

    for url in [old_url, reverse("articles:story-short", args=[story.section.slug, story.pk])]:
        response = client.get(url)
        assert response.status_code == 410, url
        html = response.content.decode()
        assert "Материал снят с публикации" in html
        assert "Снятая новость" not in html
        assert "Ошибка в фактах" not in html
        assert '<meta name="robots" content="noindex">' in html


def test_withdrawn_story_appears_in_no_list(client, make_story, editor_user, make_quote):
    story = make_story("Снятая новость", tags=["снятое"])
    author = story.authors.create(username="avtor")
    quote = make_quote(story, "Цитата из снятой")
    make_story("Другая новость", tags=["снятое"]).authors.add(author)
    story.withdraw(by=editor_user)

    for url in [
        "/",
        reverse("articles:latest"),
        reverse("articles:live"),
        story.section.get_absolute_url(),
        reverse("articles:tag", args=["snyatoe"]),
        reverse("articles:author", args=["avtor"]),
        quote.speaker.get_absolute_url(),
        reverse("articles:search") + "?q=снятая",
    ]:
        html = client.get(url).content.decode()
        assert "Снятая новость" not in html, url
        assert "Цитата из снятой" not in html, url


def test_staff_still_see_a_withdrawn_story_with_a_banner(client, make_story, editor_user):
    story = make_story("Снятая новость", status=Story.Status.WITHDRAWN)
    client.force_login(editor_user)

    response = client.get(story.get_absolute_url())

    assert response.status_code == 200
    assert "Предпросмотр: новость снята с публикации" in response.content.decode()


def test_a_scheduled_story_appears_exactly_at_its_time(client, make_story):
    at = datetime(2030, 3, 1, 4, 0, tzinfo=UTC)
    with time_machine.travel(at - timedelta(seconds=1), tick=False):
        story = make_story("Точно в срок", published_at=at)
        assert client.get(story.get_absolute_url()).status_code == 404
        assert "Точно в срок" not in client.get("/news/").content.decode()
        assert not story.is_published
        assert story.state == "scheduled"
    with time_machine.travel(at, tick=False):
        assert client.get(story.get_absolute_url()).status_code == 200
        assert "Точно в срок" in client.get("/news/").content.decode()
        assert story.is_published
        assert story.state == "published"


def test_scheduled_stories_leave_the_scheduled_filter_when_their_time_comes(
    client, editor_user, make_story
):
    at = datetime(2030, 3, 1, 4, 0, tzinfo=UTC)
    with time_machine.travel(at - HOUR, tick=False):
        story = make_story("Утренняя", published_at=at)
    url = admin_url(Story, "changelist")

    with time_machine.travel(at - timedelta(seconds=1), tick=False):
        client.force_login(editor_user)
        assert list(client.get(url, {"state": "scheduled"}).context["cl"].result_list) == [story]
    with time_machine.travel(at, tick=False):
        assert list(client.get(url, {"state": "scheduled"}).context["cl"].result_list) == []
        assert list(client.get(url, {"state": "published"}).context["cl"].result_list) == [story]


def test_story_change_data_posts_back_what_the_page_shows(client, editor_user, make_story):
    """The tests' form data is what the change page would post: saving it changes nothing."""
    story = make_story("Как есть", tags=["Астана"])
    client.force_login(editor_user)

    response = client.post(admin_url(Story, "change", story.pk), story_change_data(story))

    assert response.status_code == 302
    saved = reload(story)
    assert (saved.headline, saved.status, list(saved.tags.names())) == (
        "Как есть",
        Story.Status.PUBLISHED,
        ["Астана"],
    )
    assert abs(saved.published_at - story.published_at) < timedelta(seconds=1)


def test_moving_the_time_of_a_scheduled_story_into_the_past_publishes_it_on_record(
    client, editor_user, make_story
):
    story = make_story("Утренняя", published_at=timezone.now() + HOUR)
    client.force_login(editor_user)
    earlier = timezone.localtime() - HOUR

    change(
        client,
        story,
        published_at_0=earlier.strftime("%d.%m.%Y"),
        published_at_1=earlier.strftime("%H:%M:%S"),
        workflow_comment="Выпускаем раньше",
    )

    story = reload(story)
    assert story.is_published
    transition = story.transitions.get()
    assert (transition.source, transition.target, transition.comment) == (
        "scheduled",
        "published",
        "Выпускаем раньше",
    )


def test_an_edit_that_keeps_the_state_records_no_move(client, editor_user, make_story):
    story = make_story("Живая")
    client.force_login(editor_user)

    change(client, story, lede="Новый лид")

    assert not reload(story).transitions.exists()


def test_quotes_of_a_story_a_reporter_cannot_edit_are_read_only(
    client, reporter, make_story, make_quote
):
    story = make_story("Опубликована")
    story.authors.add(reporter)
    make_quote(story, "Цитата")
    client.force_login(reporter)

    page = client.get(admin_url(Story, "change", story.pk)).content.decode()
    quote_url = reverse("admin:articles_story_quote_add", args=[story.pk])

    assert "data-django-prose-editor" not in page
    assert client.post(quote_url, {"text": "Правка"}).status_code == 403
    assert list(story.quotes.values_list("text", flat=True)) == ["Цитата"]
