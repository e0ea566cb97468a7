"""Project-wide checks: migrations, language, settings."""

import pytest
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_no_model_change_lacks_a_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_site_speaks_russian_by_default(client):
    html = client.get(reverse("articles:home")).content.decode()

    assert '<html lang="ru">' in html
    assert "Прямой эфир" in html


def test_browser_language_does_not_override_the_site_language(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()

    assert '<html lang="ru">' in html


def test_reader_can_switch_to_english_and_back(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/news/"})

    assert response.status_code == 302
    assert response["Location"] == "/news/"
    html = client.get(reverse("articles:home")).content.decode()
    assert '<html lang="en">' in html
    assert ">Live<" in html

    client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    assert "Прямой эфир" in client.get("/").content.decode()


def test_language_switch_refuses_foreign_redirects(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})

    assert response["Location"] == "/"


def test_admin_speaks_russian(admin_client):
    html = admin_client.get("/admin/").content.decode()

    assert "Редакция" in html
    assert "Истории" in html or "Новости" in html


def test_english_menus_keep_russian_stories_marked_as_russian(client, make_story):
    story = make_story("Новость дня")
    client.cookies["django_language"] = "en"

    html = client.get(story.get_absolute_url()).content.decode()

    assert '<html lang="en">' in html
    assert '<article class="story" lang="ru">' in html
