"""A story's main photo: chosen from the library or uploaded from the story form, shown as
<picture> with stored renditions, given to link previews as its social crop."""

import html
import importlib
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from reversion.models import Version

from articles import imaging
from articles.models import Photo, Rendition, Story, StorySnapshot, record_revision, revisions_of

from .adminforms import admin_url, story_change_data, story_form_data
from .images import bad_uploads, picture_bytes, upload


def files_in(root):
    if not root.exists():
        return []
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.fixture
def english_admin(admin_client):
    admin_client.post("/i18n/setlang/", {"language": "en", "next": "/admin/"})
    return admin_client


# The story form


def test_photo_uploaded_from_the_story_form_joins_the_library(
    english_admin, section, media_root, django_capture_on_commit_callbacks
):
    data = story_form_data(
        section,
        headline="Мост через Иртыш открыт",
        photo_upload=upload("most.jpg", picture_bytes((1200, 800))),
        photo_upload_alt="Новый мост через Иртыш",
        photo_upload_caption="Мост в день открытия",
        photo_upload_credit="Фото: акимат",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = english_admin.post(admin_url(Story, "add"), data)

    assert response.status_code == 302
    story = Story.objects.get()
    photo = story.photo
    assert (photo.alt, photo.caption, photo.credit) == (
        "Новый мост через Иртыш", "Мост в день открытия", "Фото: акимат",
    )  # fmt: skip
    assert photo.uploaded_by.username == "admin"
    assert (media_root / photo.file.name).is_file()
    assert photo.renditions.count() == len(photo.rendition_specs())


def test_story_form_upload_needs_a_description(english_admin, section, media_root):
    data = story_form_data(section, headline="Мост", photo_upload=upload())

    response = english_admin.post(admin_url(Story, "add"), data)

    assert response.status_code == 200
    assert "Describe the photo" in html.unescape(response.content.decode())
    assert not Story.objects.exists() and not Photo.objects.exists()
    assert files_in(media_root) == []


@pytest.mark.parametrize(("name", "data", "words"), [b[1:] for b in bad_uploads()],
                         ids=[b[0] for b in bad_uploads()])  # fmt: skip
def test_bad_upload_on_the_story_form_is_an_error_and_saves_nothing(
    english_admin, make_story, media_root, name, data, words, django_capture_on_commit_callbacks
):
    # A draft: no date in the form, whose format depends on the admin's language.
    story = make_story("Мост через Иртыш", status=Story.Status.DRAFT)
    form = story_change_data(story, headline="Новый заголовок", photo_upload=upload(name, data),
                             photo_upload_alt="Описание")  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = english_admin.post(admin_url(Story, "change", story.pk), form)

    assert response.status_code == 200
    assert words in html.unescape(response.content.decode())
    story.refresh_from_db()
    assert story.headline == "Мост через Иртыш" and story.photo is None
    assert not Photo.objects.exists() and files_in(media_root) == []


def test_story_takes_a_photo_from_the_library(admin_client, make_story, make_photo):
    story, photo = make_story(), make_photo()

    response = admin_client.post(
        admin_url(Story, "change", story.pk), story_change_data(story, photo=photo.pk)
    )

    assert response.status_code == 302
    story.refresh_from_db()
    assert story.photo == photo
    page = admin_client.get(admin_url(Story, "change", story.pk)).content.decode()
    assert photo.renditions.get(spec="w360.jpg").file.url in page  # the current photo


def test_upload_lost_to_an_edit_conflict_leaves_no_file(
    admin_client, make_story, media_root, django_capture_on_commit_callbacks
):
    story = make_story("Мост")
    form = story_change_data(story, photo_upload=upload(), photo_upload_alt="Мост")
    Story.objects.get(pk=story.pk).save()  # someone else saves meanwhile

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(admin_url(Story, "change", story.pk), form)

    assert response.status_code == 409
    assert not Photo.objects.exists() and files_in(media_root) == []


def test_a_photo_shown_by_a_story_cannot_be_deleted(english_admin, make_story, make_photo):
    photo = make_photo()
    make_story(photo=photo)

    english_admin.post(reverse("admin:articles_photo_delete", args=[photo.pk]), {"post": "yes"})

    assert Photo.objects.filter(pk=photo.pk).exists()


# Pages


def test_story_page_shows_a_picture_with_webp_srcset_and_size(client, make_story, make_photo):
    photo = make_photo("Мост в день открытия", size=(1600, 900), credit="Фото: акимат")
    story = make_story(photo=photo)

    page = client.get(story.get_absolute_url()).content.decode()

    figure = re.search(r'<figure class="main-image">.*?</figure>', page, re.S).group(0)
    webp = ", ".join(
        f"{photo.renditions.get(spec=f'w{w}.webp').file.url} {w}w" for w in (360, 720, 1080, 1440)
    )
    assert f'<source type="image/webp" srcset="{webp}"' in figure
    fallback = photo.renditions.get(spec="w1080.jpg")
    assert f'<img src="{fallback.file.url}"' in figure
    assert 'width="1080" height="608"' in figure
    assert 'fetchpriority="high"' in figure and 'loading="lazy"' not in figure
    assert 'alt="Монумент Байтерек"' in figure
    assert "Мост в день открытия" in figure and "Фото: акимат" in figure


def test_cards_load_their_pictures_lazily(client, make_story, make_photo):
    make_story("Главная", featured=True, photo=make_photo())
    make_story("Вторая", photo=make_photo())

    home = client.get("/").content.decode()
    latest = client.get(reverse("articles:latest")).content.decode()

    lead = re.search(r'<article class="lead-story".*?</a>', home, re.S).group(0)
    assert 'fetchpriority="high"' in lead and 'loading="lazy"' not in lead
    assert home.count('loading="lazy"') >= 1
    assert latest.count('<picture><source type="image/webp"') == 2
    assert latest.count('loading="lazy"') == 2


def test_story_page_queries_do_not_depend_on_the_photo(
    client, make_story, make_photo, django_assert_max_num_queries
):
    plain = make_story()
    pictured = make_story(photo=make_photo())
    pictured.related.add(*[make_story(photo=make_photo(size=(200, 100))) for _ in range(3)])

    with django_assert_max_num_queries(14):
        client.get(pictured.get_absolute_url())
    assert count_queries(client, pictured.get_absolute_url()) <= (
        count_queries(client, plain.get_absolute_url()) + 1
    )


@pytest.mark.parametrize("url", ["/", "/news/", "/search/?q=новость"])
def test_list_pages_make_no_query_per_photo(
    client, make_story, make_photo, django_assert_max_num_queries, url
):
    make_story("Новость первая", featured=True, photo=make_photo(size=(200, 100)))
    make_story("Новость вторая", photo=make_photo(size=(200, 100)))
    few = count_queries(client, url)
    for n in range(8):
        make_story(f"Новость {n}", photo=make_photo(size=(200, 100)))

    with django_assert_max_num_queries(few):
        client.get(url)


def test_second_render_does_no_image_work(client, make_story, make_photo, media_root, monkeypatch):
    story = make_story(photo=make_photo())
    Rendition.objects.all().delete()
    client.get(story.get_absolute_url())  # draws the renditions, once
    files = files_in(media_root)
    drawn = []
    monkeypatch.setattr(imaging, "draw", lambda *args, **kwargs: drawn.append(args))

    for url in (story.get_absolute_url(), "/", reverse("articles:latest")):
        assert client.get(url).status_code == 200

    assert drawn == [] and files_in(media_root) == files


def test_page_answers_when_the_photo_files_are_gone(client, make_story, make_photo, media_root):
    story = make_story(photo=make_photo())
    for path in (media_root / "photos").rglob("*"):
        if path.is_file():
            path.unlink()
    Rendition.objects.all().delete()

    response = client.get(story.get_absolute_url())

    assert response.status_code == 200
    assert f'src="{story.photo.file.url}"' in response.content.decode()
    assert client.get("/").status_code == 200


# The body embed contract: a template, and a queryset in constant queries


def test_photo_figure_renders_photos_in_constant_queries(make_photo, django_assert_num_queries):
    photos = [make_photo(f"Подпись {n}", credit=f"Фото {n}") for n in range(4)]
    with django_assert_num_queries(2):
        loaded = list(Photo.objects.filter(pk__in=[p.pk for p in photos]).with_renditions())
        figures = [
            render_to_string("articles/includes/photo_figure.html", {"photo": photo})
            for photo in loaded
        ]

    figure = figures[0]
    assert figure.startswith('<figure class="photo-figure"><picture>')
    assert '<source type="image/webp"' in figure and 'loading="lazy"' in figure
    assert "<figcaption>Подпись " in figure and '<span class="credit">Фото ' in figure


# The data migration


@pytest.mark.django_db(transaction=True)
def test_story_images_become_photos_of_the_library(media_root):
    executor = MigrationExecutor(connection)
    executor.migrate([("articles", "0017_story_photo")])
    old_apps = executor.loader.project_state([("articles", "0017_story_photo")]).apps
    OldStory = old_apps.get_model("articles", "Story")
    OldSection = old_apps.get_model("articles", "Section")
    (media_root / "stories").mkdir(parents=True)
    (media_root / "stories" / "most.jpg").write_bytes(picture_bytes((640, 360)))
    section = OldSection.objects.create(name="Раздел", slug="razdel", position=1)
    with_image = OldStory.objects.create(
        headline="Мост", slug="most", section=section, image="stories/most.jpg",
        image_width=640, image_height=360, image_alt="", image_caption="Подпись",
        image_credit="Фото: акимат",
    )  # fmt: skip
    without = OldStory.objects.create(headline="Без фото", slug="bez", section=section)
    same_file = OldStory.objects.create(
        headline="Мост снова", slug="most-2", section=section, image="stories/most.jpg"
    )

    migration = importlib.import_module("articles.migrations.0018_story_images_to_photos")
    assert migration.Migration.dependencies == [("articles", "0017_story_photo")]
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    story = Story.objects.get(pk=with_image.pk)
    photo = story.photo
    assert photo.file.name == "stories/most.jpg"
    assert (photo.width, photo.height, photo.caption, photo.credit) == (
        640, 360, "Подпись", "Фото: акимат",
    )  # fmt: skip
    assert photo.alt == "Мост"  # no description before: the headline stands in
    assert Story.objects.get(pk=without.pk).photo is None
    assert Story.objects.get(pk=same_file.pk).photo == photo
    assert Photo.objects.count() == 1
    assert Photo.objects.with_renditions().get().picture().jpeg_srcset


def test_story_form_finds_library_photos_as_you_type(admin_client, make_photo):
    wanted = make_photo("Закат над Алматы")
    make_photo("Зимняя Астана")

    response = admin_client.get(
        "/admin/autocomplete/",
        {"app_label": "articles", "model_name": "story", "field_name": "photo", "term": "закат"},
    )

    assert [item["id"] for item in response.json()["results"]] == [str(wanted.pk)]


def test_feeds_make_no_query_per_photo(
    client, make_story, make_photo, django_assert_max_num_queries
):
    for n in range(6):
        make_story(f"Новость {n}", photo=make_photo(size=(200, 100)))

    with django_assert_max_num_queries(5):
        response = client.get(reverse("articles:feed-rss"))

    assert response.content.decode().count("<enclosure ") == 6


# Revisions


def test_restoring_a_revision_brings_its_photo_back(make_story, make_photo):
    first, second = make_photo("Первое"), make_photo("Второе")
    story = make_story(photo=first)
    record_revision([story])
    story.photo = second
    story.save()

    StorySnapshot.of_version(revisions_of(story).last()).restore_onto(story)

    assert Story.objects.get(pk=story.pk).photo == first


def test_restoring_a_revision_from_before_photos_keeps_the_photo(make_story, make_photo):
    photo = make_photo()
    story = make_story("Старый заголовок", photo=photo)
    record_revision([story])
    version = revisions_of(story).get()
    data = json.loads(version.serialized_data)
    fields = data[0]["fields"]
    del fields["photo"]
    fields.update(image="stories/old.jpg", image_alt="Старое фото")  # as kept before photos
    version.serialized_data = json.dumps(data)
    version.save()
    story.headline = "Новый заголовок"
    story.save()

    StorySnapshot.of_version(Version.objects.get(pk=version.pk)).restore_onto(story)

    story = Story.objects.get(pk=story.pk)
    assert story.headline == "Старый заголовок" and story.photo == photo


def test_no_upload_from_the_story_form_without_the_right_to_add_photos(client, section, db):
    user = get_user_model().objects.create_user("writer", is_staff=True)
    for codename in ("add_story", "change_story", "view_story", "view_section"):
        user.user_permissions.add(Permission.objects.get(codename=codename))
    client.force_login(user)

    assert 'name="photo_upload"' not in client.get(admin_url(Story, "add")).content.decode()
    data = story_form_data(section, headline="Мост", photo_upload=upload(),
                           photo_upload_alt="Мост")  # fmt: skip
    response = client.post(admin_url(Story, "add"), data)

    assert response.status_code == 302
    assert Story.objects.get().photo is None and not Photo.objects.exists()
