"""The demo content (load_demo), the demo editor account and the Editors group."""

import importlib
import re
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test import Client
from PIL import Image

from articles.demo import EDITORS_GROUP, IMPORT_PREFIX, REPORTERS_GROUP
from articles.models import Newsmaker, Quote, Section, Story

SECTION_SLUGS = {"kazakhstan", "politika", "mir", "ekonomika", "sport"}


def load_demo():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def demo_editor(*args):
    out = StringIO()
    call_command("demo_editor", *args, stdout=out)
    return out.getvalue()


def printed_password(output):
    return re.search(r"password: (\S+)", output).group(1)


def media_files(root):
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())


def row_counts():
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.fixture
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.django_db
def test_load_demo_publishes_stories_in_every_section_with_images_on_disk(media_root):
    output = load_demo()

    published = Story.objects.published().select_related("section")
    assert published.count() >= 12
    assert {story.section.slug for story in published} == SECTION_SLUGS
    assert "Demo content:" in output
    assert set(published.values_list("photo__width", "photo__height")) == {(1200, 675)}
    for story in published.select_related("photo"):
        path = media_root / story.photo.file.name
        assert path.is_file()
        with Image.open(path) as image:
            assert image.size == (story.photo.width, story.photo.height) == (1200, 675)
        assert story.photo.alt and story.photo.credit
        assert story.lede and story.body.count("<p>") >= 3
        assert story.sources.exists() and story.authors.exists() and story.tags.exists()


@pytest.mark.django_db
def test_load_demo_creates_sections_people_quotes_and_related_stories():
    load_demo()

    sections = Section.objects.filter(slug__in=SECTION_SLUGS)
    assert list(sections.values_list("position", flat=True)) == [1, 2, 3, 4, 5]
    assert all(section.description for section in sections)
    assert Story.objects.filter(featured=True, import_ref__startswith=IMPORT_PREFIX).count() == 1
    assert Quote.objects.filter(speaker__isnull=False, story__status="published").count() >= 4
    assert Newsmaker.objects.exclude(role="").count() >= 3
    assert Story.objects.filter(related__isnull=False).distinct().count() >= 2
    reporters = get_user_model().objects.filter(stories__isnull=False).distinct()
    assert reporters.count() == 3
    for user in reporters:
        assert not user.is_staff and not user.has_usable_password()
        assert user.first_name and user.last_name


@pytest.mark.django_db
def test_loading_demo_twice_changes_nothing(media_root):
    load_demo()
    counts, files = row_counts(), media_files(media_root)
    stamps = list(Story.objects.order_by("pk").values_list("pk", "updated_at"))

    output = load_demo()

    assert row_counts() == counts
    assert media_files(media_root) == files
    assert list(Story.objects.order_by("pk").values_list("pk", "updated_at")) == stamps
    assert "nothing changed" in output


@pytest.mark.django_db
def test_load_demo_draws_a_missing_image_again_without_other_changes(media_root):
    load_demo()
    photo = Story.objects.published().first().photo
    (media_root / photo.file.name).unlink()
    counts = row_counts()

    load_demo()

    photo.refresh_from_db()
    assert (media_root / photo.file.name).is_file()
    assert row_counts() == counts


@pytest.mark.django_db
def test_demo_draft_and_scheduled_stories_are_hidden_from_readers():
    load_demo()

    demo = Story.objects.filter(import_ref__startswith=IMPORT_PREFIX)
    draft = demo.get(status=Story.Status.DRAFT)
    scheduled = demo.get(status=Story.Status.PUBLISHED, published_at__gt=draft.created_at)
    published = Story.objects.published()
    assert draft not in published
    assert scheduled not in published
    assert not scheduled.is_published


def signs_in(username, password):
    """Whether the admin's sign-in page lets ``username`` in with ``password``."""
    response = Client().post(
        "/admin/login/", {"username": username, "password": password, "next": "/admin/"}
    )
    return response.status_code == 302 and response["Location"] == "/admin/"


@pytest.mark.django_db
def test_demo_editor_prints_a_password_that_logs_in(fast_hasher):
    output = demo_editor("--url", "http://example.test/admin/")

    assert output.startswith("Demo editor: http://example.test/admin/  login: editor  password: ")
    assert signs_in("editor", printed_password(output))


@pytest.mark.django_db
def test_demo_editor_gives_a_new_password_each_run_and_the_old_one_stops_working(fast_hasher):
    first = printed_password(demo_editor())
    second = printed_password(demo_editor())

    assert first != second
    assert not signs_in("editor", first)
    assert signs_in("editor", second)
    assert get_user_model().objects.filter(username="editor").count() == 1


@pytest.mark.django_db
def test_demo_editor_is_staff_in_editors_group_and_may_change_stories(fast_hasher):
    demo_editor("--username", "redaktor")

    user = get_user_model().objects.get(username="redaktor")
    assert user.is_staff and user.is_active and not user.is_superuser
    assert user.groups.filter(name=EDITORS_GROUP).exists()
    assert user.has_perm("articles.change_story")
    assert user.has_perm("auth.view_user")
    assert not user.has_perm("auth.change_user")


@pytest.mark.django_db
def test_demo_editor_refuses_to_reset_a_superuser_password(fast_hasher):
    from django.core.management.base import CommandError

    admin = get_user_model().objects.create_superuser("admin", password="kept-secret-1")

    with pytest.raises(CommandError):
        demo_editor("--username", "admin")
    admin.refresh_from_db()
    assert admin.check_password("kept-secret-1")


def editors_codenames():
    group = Group.objects.get(name=EDITORS_GROUP)
    return set(group.permissions.values_list("content_type__app_label", "codename"))


def expected_codenames():
    models = (
        "story", "quote", "section", "newsmaker", "source", "tag", "taggedstory", "correction",
        "previewlink", "partnerfeed", "partnerlink", "liveentry", "photo", "phototag",
        "taggedphoto",
    )  # fmt: skip
    actions = ("add", "change", "delete", "view")
    expected = {("articles", f"{action}_{model}") for model in models for action in actions}
    return expected | {
        ("articles", "publish_story"),
        ("articles", "view_storytransition"),
        ("auth", "view_user"),
    }


@pytest.mark.django_db
def test_migrations_create_editors_group_with_newsroom_permissions():
    assert editors_codenames() == expected_codenames()


@pytest.mark.django_db
def test_group_migrations_are_reversible():
    editors = importlib.import_module("articles.migrations.0002_editors_group")
    roles = importlib.import_module("articles.migrations.0005_editors_and_reporters")
    later = importlib.import_module("articles.migrations.0011_roles_for_partners_and_live")
    photos = importlib.import_module("articles.migrations.0016_roles_for_photos")
    schema_editor = SimpleNamespace(connection=connection)  # all the functions use of it
    reporters = set(Group.objects.get(name=REPORTERS_GROUP).permissions.all())

    roles.remove_groups(apps, schema_editor)
    editors.remove_editors_group(apps, schema_editor)
    assert not Group.objects.filter(name__in=[EDITORS_GROUP, REPORTERS_GROUP]).exists()
    editors.create_editors_group(apps, schema_editor)
    roles.create_groups(apps, schema_editor)
    later.grant(apps, schema_editor)
    photos.grant(apps, schema_editor)

    assert editors_codenames() == expected_codenames()
    assert set(Group.objects.get(name=REPORTERS_GROUP).permissions.all()) == reporters


@pytest.mark.django_db
def test_group_migrations_run_twice_change_nothing():
    roles = importlib.import_module("articles.migrations.0005_editors_and_reporters")
    schema_editor = SimpleNamespace(connection=connection)
    before = {group.name: set(group.permissions.all()) for group in Group.objects.all()}

    roles.create_groups(apps, schema_editor)

    assert {group.name: set(group.permissions.all()) for group in Group.objects.all()} == before


def demo_reporter(*args):
    out = StringIO()
    call_command("demo_reporter", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_demo_reporter_prints_a_fresh_password_that_logs_in(fast_hasher):
    first = demo_reporter("--url", "http://example.test/admin/")
    second = demo_reporter()

    assert first.startswith(
        "Demo reporter: http://example.test/admin/  login: reporter  password: "
    )
    assert printed_password(first) != printed_password(second)
    assert not signs_in("reporter", printed_password(first))
    assert signs_in("reporter", printed_password(second))


@pytest.mark.django_db
def test_demo_reporter_writes_but_does_not_publish(fast_hasher):
    demo_reporter()

    user = get_user_model().objects.get(username="reporter")
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == [REPORTERS_GROUP]
    assert user.has_perm("articles.add_story") and user.has_perm("articles.change_story")
    assert not user.has_perm("articles.publish_story")
    assert not user.has_perm("articles.delete_story")


@pytest.mark.django_db
def test_demo_accounts_keep_one_role_each(fast_hasher):
    demo_editor("--username", "same")
    demo_reporter("--username", "same")

    user = get_user_model().objects.get(username="same")
    assert list(user.groups.values_list("name", flat=True)) == [REPORTERS_GROUP]


@pytest.mark.django_db
def test_demo_accounts_survive_a_database_without_the_groups(fast_hasher):
    Group.objects.all().delete()

    demo_editor()
    demo_reporter()

    assert get_user_model().objects.get(username="editor").has_perm("articles.publish_story")
    assert not get_user_model().objects.get(username="reporter").has_perm("articles.publish_story")


def test_make_run_prints_both_logins():
    makefile = (Path(__file__).resolve().parent.parent / "Makefile").read_text()
    run = makefile[makefile.index("\nrun:") : makefile.index("\ntest:")]

    assert "manage.py demo_editor" in run
    assert "manage.py demo_reporter" in run
