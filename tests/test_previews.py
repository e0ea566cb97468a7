"""Shareable preview links: an unpublished story for someone without an account, for a while,
and nothing else; tampered, expired and revoked links answer 404."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from articles.models import PreviewLink, Story

from .adminforms import admin_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(make_story):
    return make_story(
        "Черновик о бюджете",
        status=Story.Status.DRAFT,
        lede="Правительство обсуждает бюджет.",
        body="<p>Первый абзац черновика.</p>",
    )


@pytest.fixture
def link(draft, editor_user):
    return PreviewLink.create_for(draft, by=editor_user)


def test_editor_makes_a_link_from_the_story_page(client, editor_user, draft):
    client.force_login(editor_user)

    response = client.post(admin_url(Story, "previewlinks", draft.pk), {"create": "1"})

    assert response.status_code == 302
    link = draft.preview_links.get()
    page = client.get(admin_url(Story, "change", draft.pk)).content.decode()
    assert f'value="http://testserver{link.get_absolute_url()}"' in page
    assert link.created_by == editor_user


def test_the_link_is_short_ascii_and_expires_in_72_hours_by_default(link):
    url = link.get_absolute_url()

    assert url.isascii()
    assert len(url) <= 50
    assert link.expires_at - link.created_at == timedelta(hours=72)


def test_the_lifetime_comes_from_the_settings(draft, settings):
    settings.PREVIEW_LINK_HOURS = 5

    link = PreviewLink.create_for(draft)

    assert link.expires_at - link.created_at == timedelta(hours=5)


def test_anyone_with_the_link_sees_the_story_as_it_will_look(client, link):
    response = client.get(link.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>Предпросмотр</strong>" in html
    assert '<h1 class="story-title">Черновик о бюджете</h1>' in html
    assert "<p>Первый абзац черновика.</p>" in html
    assert '<meta name="robots" content="noindex">' in html
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"


def test_the_link_opens_nothing_else(client, link, make_story):
    other_draft = make_story("Другой черновик", status=Story.Status.DRAFT)
    related_draft = make_story("Связанный черновик", status=Story.Status.DRAFT)
    link.story.related.add(related_draft)

    html = client.get(link.get_absolute_url()).content.decode()

    assert "Связанный черновик" not in html
    assert client.get(other_draft.get_absolute_url()).status_code == 404
    assert client.get(link.story.get_absolute_url()).status_code == 404
    assert client.get(admin_url(Story, "change", link.story.pk)).status_code == 302


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: str(int(token.split("-")[0]) + 1) + "-" + token.split("-")[1],
        lambda token: token.split("-")[0],
        lambda token: token + "x",
        lambda token: "0-" + token.split("-")[1],
        lambda token: "99999999999999999999999-" + token.split("-")[1],
        lambda token: "%00",
        lambda token: "../" + token,
        lambda token: token.lower(),
    ],
)
def test_a_tampered_link_is_not_found(client, link, make_story, tamper):
    PreviewLink.create_for(make_story("Ещё один", status=Story.Status.DRAFT))

    response = client.get(f"/preview/{tamper(link.token)}/")

    assert response.status_code == 404


def test_a_link_made_for_one_story_does_not_open_another(client, link, make_story):
    other = PreviewLink.create_for(make_story("Другой", status=Story.Status.DRAFT))
    forged = f"{other.pk}-{link.signature()}"

    assert client.get(f"/preview/{forged}/").status_code == 404


def test_an_expired_link_is_not_found(client, link):
    with time_machine.travel(link.expires_at - timedelta(seconds=1)):
        assert Client().get(link.get_absolute_url()).status_code == 200
    with time_machine.travel(link.expires_at):
        assert Client().get(link.get_absolute_url()).status_code == 404


def test_revoking_one_storys_links_leaves_others_working(
    client, editor_user, link, draft, make_story
):
    second = PreviewLink.create_for(draft)
    elsewhere = PreviewLink.create_for(make_story("Другая", status=Story.Status.DRAFT))
    client.force_login(editor_user)

    client.post(admin_url(Story, "previewlinks", draft.pk), {"revoke": "all"})

    reader = Client()
    assert reader.get(link.get_absolute_url()).status_code == 404
    assert reader.get(second.get_absolute_url()).status_code == 404
    assert reader.get(elsewhere.get_absolute_url()).status_code == 200


def test_revoking_one_link_leaves_the_storys_other_links_working(client, editor_user, link, draft):
    second = PreviewLink.create_for(draft)
    client.force_login(editor_user)

    client.post(admin_url(Story, "previewlinks", draft.pk), {"revoke": link.pk})

    assert Client().get(link.get_absolute_url()).status_code == 404
    assert Client().get(second.get_absolute_url()).status_code == 200


def test_a_withdrawn_or_deleted_story_takes_its_links_down(client, link, editor_user, make_story):
    published = make_story("Опубликованная")
    live_link = PreviewLink.create_for(published)
    published.withdraw(by=editor_user)
    url = link.get_absolute_url()
    link.story.delete()

    assert client.get(live_link.get_absolute_url()).status_code == 404
    assert client.get(url).status_code == 404


def test_reporters_may_neither_make_nor_revoke_links(client, reporter, draft, link):
    draft.authors.add(reporter)
    client.force_login(reporter)

    page = client.get(admin_url(Story, "change", draft.pk)).content.decode()
    made = client.post(admin_url(Story, "previewlinks", draft.pk), {"create": "1"})
    revoked = client.post(admin_url(Story, "previewlinks", draft.pk), {"revoke": "all"})

    assert "Ссылки для предпросмотра" not in page
    assert (made.status_code, revoked.status_code) == (403, 403)
    assert draft.preview_links.count() == 1
    assert PreviewLink.objects.get().is_active


def test_the_link_view_takes_only_posts_and_sane_ids(client, editor_user, draft):
    client.force_login(editor_user)
    url = admin_url(Story, "previewlinks", draft.pk)

    assert client.get(url).status_code == 405
    assert client.post(url, {"revoke": "x"}).status_code == 404
    assert client.post(admin_url(Story, "previewlinks", 999999), {"create": "1"}).status_code == 404


def test_expired_links_are_no_longer_listed(client, editor_user, link, draft):
    client.force_login(editor_user)
    with time_machine.travel(timezone.now() + timedelta(hours=73)):
        client.force_login(editor_user)
        page = client.get(admin_url(Story, "change", draft.pk)).content.decode()

    assert link.get_absolute_url() not in page
    assert "Действующих ссылок для предпросмотра нет." in page
