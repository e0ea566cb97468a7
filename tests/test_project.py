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
    russian = client.get("/news/?page=1").content.decode()
    assert '<a href="/en/news/?page=1" hreflang="en" lang="en">English</a>' in russian

    english = client.get("/en/news/?page=1").content.decode()
    assert '<html lang="en">' in english
    assert ">Live<" in english
    assert '<a href="/news/?page=1" hreflang="ru" lang="ru">Русский</a>' in english
    assert '<html lang="ru">' in client.get("/news/").content.decode()


def test_english_pages_link_to_english_pages(client, section):
    html = client.get("/en/").content.decode()

    assert f'href="/en{section.get_absolute_url()}"' in html
    assert 'href="/en/live/"' in html


def test_language_cookie_does_not_change_reader_pages(client):
    client.cookies["django_language"] = "en"

    assert '<html lang="ru">' in client.get("/").content.decode()


def test_admin_language_switch_refuses_foreign_redirects(admin_client):
    response = admin_client.post(
        "/i18n/setlang/", {"language": "en", "next": "https://evil.example/"}
    )

    assert response.status_code == 302
    assert not response["Location"].startswith("https://evil.example")


def test_admin_follows_the_language_chosen_in_the_admin(admin_client):
    html = admin_client.get("/admin/").content.decode()
    assert '<button type="submit" name="language" value="en" lang="en">English</button>' in html

    admin_client.post("/i18n/setlang/", {"language": "en", "next": "/admin/"})

    html = admin_client.get("/admin/").content.decode()
    assert '<html lang="en"' in html
    assert "Editorial office" in html


def test_admin_speaks_russian(admin_client):
    html = admin_client.get("/admin/").content.decode()

    assert "Редакция" in html
    assert "Истории" in html or "Новости" in html


def test_english_menus_keep_russian_stories_marked_as_russian(client, make_story):
    story = make_story("Новость дня")

    html = client.get("/en" + story.get_absolute_url()).content.decode()

    assert '<html lang="en">' in html
    assert '<article class="story" lang="ru">' in html
