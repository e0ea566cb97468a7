"""The audit log: publishing, withdrawing, deleting, restoring and changes to who may do what,
recorded with who did it, whatever did it; readable by superusers, editable by nobody."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from accounts.models import Action, AuditEvent
from articles.models import Story

from .adminforms import admin_url, change, run_action

pytestmark = pytest.mark.django_db
User = get_user_model()


class NewEvents:
    """The events recorded from now on (the fixtures' accounts were recorded being made)."""

    def __init__(self):
        self.after = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def __call__(self, action=None):
        rows = AuditEvent.objects.filter(pk__gt=self.after).order_by("pk")
        if action:
            rows = rows.filter(action=action)
        return list(rows)


def test_publishing_from_the_form_is_recorded_with_the_editor(client, editor_user, make_story):
    events = NewEvents()
    story = make_story("Аким открыл мост", status=Story.Status.REVIEW)
    client.force_login(editor_user)

    change(client, story, transition="publish", workflow_comment="Проверено")

    [event] = events(Action.PUBLISHED)
    assert (event.actor, event.actor_name) == (editor_user, "redaktor")
    assert event.target_repr == "Аким открыл мост"
    assert event.target_id == str(story.pk)
    assert event.detail == "Проверено"


def test_withdrawing_in_bulk_is_recorded_for_each_story(client, editor_user, make_story):
    events = NewEvents()
    stories = [make_story(f"Снимаемая {n}") for n in range(2)]
    client.force_login(editor_user)

    run_action(client, "withdraw", stories, confirmed="1", comment="Ошибка в данных")

    withdrawn = events(Action.WITHDRAWN)
    assert sorted(event.target_id for event in withdrawn) == sorted(str(s.pk) for s in stories)
    assert {event.actor for event in withdrawn} == {editor_user}


def test_scheduling_and_unscheduling_are_recorded(make_story, editor_user):
    events = NewEvents()
    story = make_story(
        "Завтра", status=Story.Status.DRAFT, published_at=timezone.now() + timedelta(days=1)
    )

    story.publish(by=editor_user)
    story.return_to_draft(by=editor_user, comment="Рано")

    assert [event.action for event in events()] == [Action.SCHEDULED, Action.UNPUBLISHED]


def test_moves_readers_never_see_are_not_audited(make_story, reporter, editor_user):
    events = NewEvents()
    story = make_story("Черновик", status=Story.Status.DRAFT)
    story.authors.add(reporter)

    story.submit_for_review(by=reporter)
    story.return_to_draft(by=editor_user)

    assert events() == []


def test_publishing_from_a_command_has_no_actor(make_story):
    events = NewEvents()
    story = make_story("Из импорта", status=Story.Status.DRAFT)

    story.publish()

    [event] = events(Action.PUBLISHED)
    assert event.actor is None and event.actor_name == ""


def test_deleting_a_story_in_the_admin_is_recorded(client, editor_user, make_story):
    events = NewEvents()
    story = make_story("Удаляемая")
    client.force_login(editor_user)

    client.post(admin_url(Story, "delete", story.pk), {"post": "yes"})

    [event] = events(Action.DELETED)
    assert event.actor == editor_user
    assert event.target_repr == "Удаляемая"
    assert event.target_type.model == "story"


def test_deleting_stories_in_bulk_is_recorded_for_each(client, editor_user, make_story):
    events = NewEvents()
    stories = [make_story(f"Удалённая {n}") for n in range(3)]
    client.force_login(editor_user)

    run_action(client, "delete_selected", stories, post="yes")

    assert len(events(Action.DELETED)) == 3


def test_recovering_a_deleted_story_is_recorded(client, editor_user, make_story):
    events = NewEvents()
    story = make_story("Вернётся")
    client.force_login(editor_user)
    client.post(admin_url(Story, "change", story.pk), {})  # nothing; the revision comes below
    from articles.models import record_revision

    record_revision([story], by=editor_user)
    client.post(admin_url(Story, "delete", story.pk), {"post": "yes"})
    version = client.get(admin_url(Story, "recoverlist")).context["rows"][0]["version"]

    client.post(admin_url(Story, "recover", version.pk))

    [event] = events(Action.RESTORED)
    assert event.actor == editor_user
    assert event.target_id == str(story.pk)


def test_adding_a_user_to_a_group_in_the_admin_is_recorded(admin_client, reporter):
    events = NewEvents()
    editors = Group.objects.get(name="Editors")
    data = {
        "username": reporter.username, "first_name": reporter.first_name, "last_name": "",
        "email": "", "is_active": "on", "is_staff": "on", "groups": [editors.pk,
        *reporter.groups.values_list("pk", flat=True)], "date_joined_0": "2024-01-01",
        "date_joined_1": "10:00:00", "initial-date_joined_0": "2024-01-01",
        "initial-date_joined_1": "10:00:00",
    }  # fmt: skip

    response = admin_client.post(f"/admin/auth/user/{reporter.pk}/change/", data)

    assert response.status_code == 302
    [event] = events(Action.GROUPS_CHANGED)
    assert event.actor_name == "admin"
    assert event.target_repr == "korr"
    assert event.detail == "+Editors"


def test_group_and_permission_changes_anywhere_are_recorded(reporter, editor_user):
    events = NewEvents()
    reporters = Group.objects.get(name="Reporters")
    publish = Permission.objects.get(codename="publish_story")

    reporter.groups.remove(reporters)
    reporters.permissions.add(publish)
    reporter.user_permissions.add(publish)
    reporters.user_set.add(editor_user)
    editor_user.groups.clear()

    assert [(e.action, e.target_repr, e.detail) for e in events()] == [
        (Action.GROUPS_CHANGED, "korr", "−Reporters"),
        (Action.PERMISSIONS_CHANGED, "Reporters", "+articles.publish_story"),
        (Action.PERMISSIONS_CHANGED, "korr", "+articles.publish_story"),
        (Action.GROUPS_CHANGED, "redaktor", "+Reporters"),
        (Action.GROUPS_CHANGED, "redaktor", "−Editors, −Reporters"),
    ]


def test_staff_and_superuser_status_changes_are_recorded(reporter):
    events = NewEvents()
    reporter.is_superuser = True
    reporter.is_staff = False
    reporter.save()

    [event] = events(Action.STATUS_CHANGED)
    assert event.target_repr == "korr"
    assert event.detail == "is_staff: True → False, is_superuser: False → True"


def test_new_staff_accounts_are_recorded(db):
    events = NewEvents()
    User.objects.create_user("plain")
    User.objects.create_superuser("root", password="x")

    [event] = events(Action.STATUS_CHANGED)
    assert event.target_repr == "root"
    assert event.detail == "is_staff: False → True, is_superuser: False → True"


def test_signing_in_costs_no_audit_lookup_of_the_account(
    client, editor_user, django_assert_max_num_queries
):
    """Saving last_login is not a status change: no extra query, no event."""
    events = NewEvents()
    editor_user.last_login = timezone.now()
    with django_assert_max_num_queries(1):
        editor_user.save(update_fields=["last_login"])
    assert events() == []


# Reading the log


def test_superuser_reads_the_log(admin_client, make_story):
    make_story("Опубликованная", status=Story.Status.DRAFT).publish()

    response = admin_client.get("/admin/accounts/auditevent/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Журнал аудита" in html
    assert "Опубликованная" in html
    assert "Добавить" not in html.split('id="content-main"', 1)[1].split("</h1>", 1)[0]


def test_nobody_edits_or_deletes_the_log(admin_client, make_story):
    events = NewEvents()
    make_story("Опубликованная", status=Story.Status.DRAFT).publish()
    [event] = events(Action.PUBLISHED)

    assert admin_client.get("/admin/accounts/auditevent/add/").status_code == 403
    admin_client.post(
        f"/admin/accounts/auditevent/{event.pk}/change/", {"detail": "ничего не было"}
    )
    assert (
        admin_client.post(
            f"/admin/accounts/auditevent/{event.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    event.refresh_from_db()
    assert event.detail == ""
    assert events(Action.PUBLISHED) == [event]


def test_editors_cannot_read_the_log(client, editor_user, make_story):
    make_story("Опубликованная", status=Story.Status.DRAFT).publish()
    client.force_login(editor_user)

    assert client.get("/admin/accounts/auditevent/").status_code == 403
    assert "auditevent" not in client.get("/admin/").content.decode()


def test_log_list_costs_the_same_with_many_events(
    admin_client, make_story, django_assert_max_num_queries
):
    for n in range(30):
        make_story(f"История {n}", status=Story.Status.DRAFT).publish()

    with django_assert_max_num_queries(10):
        assert admin_client.get("/admin/accounts/auditevent/").status_code == 200
