"""The photo library: uploads checked with Pillow, renditions drawn once, the admin's library
and its chooser."""

import html
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from articles import imaging
from articles.models import Photo, Rendition

from .images import bad_uploads, picture_bytes, upload

CHOOSER = "/admin/articles/photo/chooser/"
ADD = "/admin/articles/photo/add/"


def files_in(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


@pytest.fixture
def english_admin(admin_client):
    admin_client.post("/i18n/setlang/", {"language": "en", "next": "/admin/"})
    return admin_client


def add_form(file, **fields):
    data = {"file": file, "alt": "Монумент Байтерек", "caption": "", "credit": "", "tags": ""}
    data.update({"focal_x": "0.5", "focal_y": "0.5"})
    data.update(fields)
    return data


# Uploads


def test_photo_added_in_the_admin_is_stored_upright_without_metadata(
    english_admin, media_root, django_capture_on_commit_callbacks
):
    # Orientation 6: the camera was turned; the picture must be stored turned back.
    data = picture_bytes((400, 300), orientation=6)
    with django_capture_on_commit_callbacks(execute=True):
        response = english_admin.post(ADD, add_form(upload("IMG_0001.JPG", data), tags="город"))

    assert response.status_code == 302
    photo = Photo.objects.get()
    assert (photo.width, photo.height) == (300, 400)
    with Image.open(media_root / photo.file.name) as stored:
        assert stored.size == (300, 400)
        assert not stored.getexif()
    assert photo.file.name.endswith(".jpg")
    assert photo.uploaded_by.username == "admin"
    assert [tag.name for tag in photo.tags.all()] == ["город"]
    # The renditions were drawn after the upload committed, not left for a reader to wait on.
    assert {r.spec for r in photo.renditions.all()} == set(photo.rendition_specs())


@pytest.mark.parametrize(("name", "data", "words"), [b[1:] for b in bad_uploads()],
                         ids=[b[0] for b in bad_uploads()])  # fmt: skip
def test_bad_upload_is_a_form_error_and_stores_nothing(
    english_admin, media_root, name, data, words, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = english_admin.post(ADD, add_form(upload(name, data)))

    assert response.status_code == 200
    assert "file" in response.context["adminform"].form.errors
    assert words in html.unescape(response.content.decode())
    assert not Photo.objects.exists() and not Rendition.objects.exists()
    assert files_in(media_root) == [] if media_root.exists() else True


def test_upload_errors_are_in_russian_by_default(admin_client):
    response = admin_client.post(ADD, add_form(upload("logo.svg", b"<svg/>")))

    assert "Это не изображение JPEG, PNG или WebP" in html.unescape(response.content.decode())


def test_photo_needs_a_description(english_admin, media_root):
    response = english_admin.post(ADD, add_form(upload(), alt=""))

    assert response.status_code == 200
    assert "alt" in response.context["adminform"].form.errors
    assert not Photo.objects.exists()


def test_size_limits_come_from_the_settings(english_admin, settings):
    settings.PHOTO_MAX_UPLOAD_BYTES = 1000
    response = english_admin.post(ADD, add_form(upload(data=picture_bytes((800, 600)))))
    assert "the largest photo the site takes is 1000" in html.unescape(response.content.decode())

    settings.PHOTO_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
    settings.PHOTO_MAX_PIXELS = 100_000
    response = english_admin.post(ADD, add_form(upload(data=picture_bytes((400, 300)))))
    assert "400 × 300 pixels" in html.unescape(response.content.decode())
    assert not Photo.objects.exists()


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_png_and_webp_are_accepted(english_admin, fmt):
    name = f"photo.{fmt.lower()}"
    response = english_admin.post(ADD, add_form(upload(name, picture_bytes((300, 200), fmt))))

    assert response.status_code == 302
    assert Photo.objects.get().file.name.endswith(name.rsplit(".", 1)[1])


# Renditions


def test_renditions_are_never_wider_than_the_photo(make_photo):
    photo = make_photo(size=(1000, 500))

    widths = {r.spec: r.width for r in photo.renditions.all()}
    assert widths == {
        "w360.webp": 360, "w360.jpg": 360, "w720.webp": 720, "w720.jpg": 720,
        "w1000.webp": 1000, "w1000.jpg": 1000, "social.jpg": 952,
    }  # fmt: skip
    # The crop keeps the proportions of 1200 × 630 without enlarging the photo.
    social = photo.renditions.get(spec="social.jpg")
    assert (social.width, social.height) == (952, 500)


def test_social_crop_is_1200_by_630_around_the_focal_point(
    media_root, db, django_capture_on_commit_callbacks
):
    image = Image.new("RGB", (3000, 1000), "white")
    image.paste((255, 0, 0), (2500, 0, 3000, 1000))  # the subject, on the right
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    with django_capture_on_commit_callbacks(execute=True):
        photo = Photo.from_file(upload("subject.jpg", buffer.getvalue()), alt="Красное")
        photo.focal_x = 0.9
        photo.save()

    social = photo.social_image()
    assert (social.width, social.height) == (1200, 630)
    with Image.open(media_root / social.file.name) as crop:
        red, green, _blue = crop.getpixel((1150, 300))
        assert red > 200 and green < 60  # the subject is in the crop
        red, green, _blue = crop.getpixel((10, 300))
        assert red > 200 and green > 200  # and the crop reaches it from the white


def test_a_new_focal_point_draws_the_crop_again_and_removes_the_old_file(
    english_admin, make_photo, media_root, django_capture_on_commit_callbacks
):
    photo = make_photo(size=(2000, 800))
    old = photo.renditions.get(spec="social.jpg").file.name
    url = reverse("admin:articles_photo_change", args=[photo.pk])
    data = {"alt": photo.alt, "caption": photo.caption, "credit": "", "tags": ""}
    with django_capture_on_commit_callbacks(execute=True):
        response = english_admin.post(url, {**data, "focal_x": "0.1", "focal_y": "0.2"})

    assert response.status_code == 302
    photo.refresh_from_db()
    assert (photo.focal_x, photo.focal_y) == (0.1, 0.2)
    new = photo.renditions.get(spec="social.jpg").file.name
    assert new != old
    assert not (media_root / old).exists() and (media_root / new).exists()


def test_renditions_are_drawn_once(make_photo, media_root, monkeypatch):
    photo = make_photo()
    before = files_in(media_root)
    calls = []
    monkeypatch.setattr(imaging, "draw", lambda *a, **k: calls.append(a) or (b"", 1, 1))

    again = Photo.objects.with_renditions().get(pk=photo.pk)
    again.picture(), again.social_image(), again.thumbnail_url()

    assert calls == [] and files_in(media_root) == before


def test_missing_renditions_are_drawn_when_first_needed(make_photo, media_root):
    photo = make_photo(size=(1200, 600))
    photo.renditions.all().delete()

    picture = Photo.objects.with_renditions().get(pk=photo.pk).picture()

    assert picture.src.endswith(".jpg") and "1080w" in picture.webp_srcset
    assert Rendition.objects.filter(photo=photo).count() == len(photo.rendition_specs())


def test_a_photo_whose_file_is_gone_still_gives_a_picture(make_photo, media_root):
    photo = make_photo()
    photo.renditions.all().delete()
    (media_root / photo.file.name).unlink()

    picture = Photo.objects.with_renditions().get(pk=photo.pk).picture()

    assert picture.src == photo.file.url and not picture.jpeg_srcset


def test_deleting_a_photo_deletes_its_files(
    english_admin, make_photo, media_root, django_capture_on_commit_callbacks
):
    photo = make_photo()
    assert files_in(media_root)
    url = reverse("admin:articles_photo_delete", args=[photo.pk])
    with django_capture_on_commit_callbacks(execute=True):
        english_admin.post(url, {"post": "yes"})

    assert not Photo.objects.exists()
    assert files_in(media_root) == []


# The library in the admin


def test_library_lists_thumbnails_in_constant_queries(
    english_admin, make_photo, django_assert_max_num_queries
):
    for n in range(3):
        make_photo(f"Фото {n}", size=(400, 300), tags=["город"])
    with django_assert_max_num_queries(12) as few:
        english_admin.get("/admin/articles/photo/")
    for n in range(3, 8):
        make_photo(f"Фото {n}", size=(400, 300), tags=["город", "зима"])
    with django_assert_max_num_queries(len(few)):
        response = english_admin.get("/admin/articles/photo/")

    page = response.content.decode()
    thumbnail = Photo.objects.first().renditions.get(spec="w360.jpg").file.url
    assert f'class="photo-thumbnail" src="{thumbnail}"' in page


@pytest.mark.parametrize("query", ["закат", "ЗАКАТ", "Ержанов", "архив"])
def test_library_search_finds_by_caption_credit_and_tag(english_admin, make_photo, query):
    wanted = make_photo("Закат над Алматы", credit="Фото: Ержан Ержанов", tags=["архив"])
    make_photo("Зимний Астана", credit="Фото: пресс-служба", tags=["зима"])

    response = english_admin.get("/admin/articles/photo/", {"q": query})

    assert list(response.context["cl"].result_list) == [wanted]


def test_change_form_has_the_focal_point_picker_without_inline_script(english_admin, make_photo):
    photo = make_photo()
    response = english_admin.get(reverse("admin:articles_photo_change", args=[photo.pk]))
    page = response.content.decode()

    assert 'class="focal-point" data-x-input="id_focal_x" data-y-input="id_focal_y"' in page
    assert "articles/admin/focal-point.js" in page
    assert "onclick" not in page and 'style="' not in page.split("focal-point")[1][:300]


# The chooser


def test_chooser_returns_photos_matching_the_words(english_admin, make_photo):
    wanted = make_photo("Закат над Алматы", credit="Фото: Ержан", tags=["архив"])
    make_photo("Зимняя Астана")

    response = english_admin.get(CHOOSER, {"q": "архив"})

    assert response.status_code == 200
    assert response.json() == {
        "results": [
            {
                "id": wanted.pk,
                "thumbnail": wanted.renditions.get(spec="w360.jpg").file.url,
                "caption": "Закат над Алматы",
                "alt": "Монумент Байтерек",
                "credit": "Фото: Ержан",
            }
        ]
    }


def test_chooser_gives_the_twenty_newest_in_constant_queries(
    english_admin, make_photo, django_assert_max_num_queries
):
    for n in range(22):
        make_photo(f"Фото {n}", size=(200, 100))
    with django_assert_max_num_queries(8):
        results = english_admin.get(CHOOSER).json()["results"]

    assert len(results) == 20
    assert results[0]["caption"] == "Фото 21"


def test_chooser_is_for_staff_who_may_see_photos(client, make_photo, db):
    make_photo()
    user = get_user_model().objects.create_user("reader", is_staff=True)
    assert client.get(CHOOSER).status_code == 302  # to the sign-in page

    client.force_login(user)
    assert client.get(CHOOSER).status_code == 403

    user.user_permissions.add(Permission.objects.get(codename="view_photo"))
    response = client.get(CHOOSER, {"q": "x" * 5000})
    assert response.status_code == 200 and json.loads(response.content) == {"results": []}


def test_reporters_may_add_photos(client, reporter, django_capture_on_commit_callbacks):
    client.force_login(reporter)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ADD, add_form(upload()))

    assert response.status_code == 302
    assert Photo.objects.get().uploaded_by == reporter


def test_draw_renditions_command_draws_only_what_is_missing(make_photo):
    photo = make_photo(size=(400, 200))
    complete = make_photo(size=(400, 200))
    photo.renditions.filter(spec__endswith=".webp").delete()
    out = io.StringIO()

    call_command("draw_renditions", stdout=out)

    assert out.getvalue() == "Drew 2 renditions.\n"  # w360.webp and w400.webp
    assert photo.renditions.count() == complete.renditions.count() == 5
