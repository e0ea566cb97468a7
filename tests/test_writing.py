"""The writing surface: the body's sanitiser and embeds, quotes in the text through the admin's
quote endpoint, their expansion on the story page, and the suggestions of tags and newsmakers."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Newsmaker, Quote, Story, record_revision, revisions_of
from articles.models.revisions import StorySnapshot
from articles.richtext import embed_html, sanitize_html
from tests.adminforms import admin_url, change
from tests.conftest import quote_positions

FORGED_BODY = (
    '<p onclick="steal()" style="color:red">Текст <a href="javascript:alert(1)">ссылка</a>'
    '<img src="/x.png" onerror="steal()"></p><script>steal()</script>'
    '<figure data-embed="quote" data-id="{id}" class="x" onmouseover="steal()">'
    "<p>подмена</p></figure>"
    '<figure data-embed="script" data-id="1"></figure>'
    '<ul><li><figure data-embed="quote" data-id="{id}"></figure>пункт</li></ul>'
)


def quote_url(story, quote=None):
    if quote is None:
        return reverse("admin:articles_story_quote_add", args=[story.pk])
    return reverse("admin:articles_story_quote_change", args=[story.pk, quote.pk])


def story_body(client, story):
    html = client.get(story.get_absolute_url()).content.decode()
    return html[html.index('<div class="story-body">') : html.index("</article>")]


# The sanitiser and the embed contract


def test_sanitiser_keeps_exactly_the_embed_attributes():
    html = sanitize_html(FORGED_BODY.format(id=7))
    assert '<figure data-embed="quote" data-id="7"></figure>' in html
    for bad in ("onclick", "style", "javascript:", "onerror", "<script", "onmouseover", "class="):
        assert bad not in html
    assert "подмена" not in html  # an embed holds nothing
    assert "data-embed" not in html.split("</figure>", 1)[1]  # nested or unknown: plain
    assert "<figure></figure>" not in html


@pytest.mark.parametrize(
    "figure",
    [
        '<figure data-embed="quote" data-id="1; drop"></figure>',
        '<figure data-embed="quote" data-id=""></figure>',
        '<figure data-embed="quote"></figure>',
        '<figure data-id="3"></figure>',
        '<figure data-embed="Quote" data-id="3"></figure>',
    ],
)
def test_malformed_embeds_are_dropped(figure):
    assert sanitize_html(f"<p>a</p>{figure}") == "<p>a</p>"


def test_photo_embeds_pass_the_sanitiser_for_the_photo_library():
    html = '<figure data-id="12" data-embed="photo"></figure>'
    assert sanitize_html(html) == embed_html("photo", 12)


def test_forged_admin_post_never_reaches_readers(
    client, admin_client, make_story, make_quote, make_newsmaker
):
    story = make_story()
    quote = make_quote(story, "Настоящая цитата.")
    other = make_quote(make_story(), "Чужая цитата.")
    body = FORGED_BODY.format(id=quote.pk) + embed_html("quote", other.pk)
    body += embed_html("quote", 999999)
    response = change(admin_client, story, body=body)
    assert response.status_code == 302
    story.refresh_from_db()
    for bad in ("onclick", "style=", "javascript:", "onerror", "<script", "steal"):
        assert bad not in story.body
    # The story's own quote stays; the foreign and the unknown one are dropped on save.
    assert [pk for pk, _ in quote_positions(story.body)] == [quote.pk]
    page = story_body(client, story)
    assert "Настоящая цитата." in page
    assert "Чужая цитата." not in page
    assert "data-embed" not in page and "<figure></figure>" not in page


def test_a_foreign_quote_in_a_body_written_behind_the_models_back_is_not_shown(
    client, make_story, make_quote
):
    story = make_story()
    other = make_quote(make_story(), "Чужая цитата.")
    Story.objects.filter(pk=story.pk).update(body="<p>Текст.</p>" + embed_html("quote", other.pk))
    page = story_body(client, story)
    assert "Чужая цитата." not in page and "<figure" not in page


def test_quotes_render_in_place_in_their_usual_form(client, make_story, make_quote):
    story = make_story(body="<p>Первый.</p><p>Второй.</p>")
    first = make_quote(story, "После первого.", position=1, context="на брифинге")
    page = story_body(client, story)
    assert page.index("Первый.") < page.index("После первого.") < page.index("Второй.")
    assert f'<figure class="quote" id="quote-{first.pk}">' in page
    assert first.speaker.name in page and "на брифинге" in page


# Quotes follow the body


def test_a_quote_taken_out_of_the_text_is_deleted_on_save(admin_client, make_story, make_quote):
    story = make_story(body="<p>Первый.</p>")
    kept, dropped = make_quote(story, "Остаётся."), make_quote(story, "Уходит.")
    response = change(admin_client, story, body=f"{embed_html('quote', kept.pk)}<p>Первый.</p>")
    assert response.status_code == 302
    assert list(story.quotes.values_list("pk", flat=True)) == [kept.pk]
    assert not Quote.objects.filter(pk=dropped.pk).exists()


def test_restoring_a_revision_brings_a_deleted_quote_back_in_place(
    admin_client, make_story, make_quote
):
    story = make_story(body="<p>Первый.</p><p>Второй.</p>")
    quote = make_quote(story, "Вернётся.", position=1)
    record_revision([story])
    change(admin_client, story, body="<p>Первый.</p><p>Второй.</p>")
    assert not story.quotes.exists()
    old = StorySnapshot.of_version(revisions_of(story).last())
    old.restore_onto(Story.objects.get(pk=story.pk))
    story.refresh_from_db()
    assert quote_positions(story.body) == [(quote.pk, 1)]
    assert story.quotes.get().text == "Вернётся."


def test_quotes_made_in_the_editor_are_unseen_until_the_story_is_saved_with_them(
    client, admin_client, make_story, make_newsmaker
):
    story = make_story()
    speaker = make_newsmaker("Дана Касымова")
    response = admin_client.post(
        quote_url(story), {"text": "Черновая цитата.", "speaker": speaker.pk}
    )
    quote = Quote.objects.get(pk=response.json()["id"])
    assert not quote.placed
    assert "Черновая цитата." not in client.get(speaker.get_absolute_url()).content.decode()
    assert not Quote.objects.published().exists()
    change(admin_client, story, body=story.body + embed_html("quote", quote.pk))
    quote.refresh_from_db()
    assert quote.placed
    assert "Черновая цитата." in client.get(speaker.get_absolute_url()).content.decode()


def test_revision_comparison_reads_quotes_in_the_body(admin_client, make_story, make_quote):
    story = make_story(body="<p>Первый.</p>")
    make_quote(story, "Слова в тексте.", speaker=Newsmaker.objects.create(name="Айгуль Сарсенова"))
    snapshot = StorySnapshot.of_story(Story.objects.get(pk=story.pk))
    text = snapshot.body_text({q.speaker_id: q.speaker.name for q in story.quotes.all()})
    assert text == "Первый.\n\n«Слова в тексте.» — Айгуль Сарсенова"


# The quote endpoint


def test_quote_endpoint_creates_a_quote_with_a_new_newsmaker(admin_client, make_story, make_source):
    story = make_story()
    source = make_source("Акимат Алматы")
    response = admin_client.post(
        quote_url(story),
        {
            "text": "Маршруты изменятся с понедельника.",
            "new_speaker": "  Ерлан   Бекетов ",
            "role": "аким района",
            "context": "на брифинге",
            "source": source.pk,
        },
    )
    assert response.status_code == 201
    data = response.json()
    quote = story.quotes.get(pk=data["id"])
    assert quote.speaker.name == "Ерлан Бекетов" == data["speaker"]
    assert (quote.role, quote.context, quote.source) == ("аким района", "на брифинге", source)


def test_quote_endpoint_reuses_a_newsmaker_named_exactly(admin_client, make_story, make_newsmaker):
    person = make_newsmaker("Дана Касымова")
    response = admin_client.post(
        quote_url(make_story()), {"text": "Да.", "new_speaker": "дана касымова"}
    )
    assert response.json()["speaker_id"] == person.pk
    assert Newsmaker.objects.count() == 1


def test_quote_endpoint_updates_only_the_storys_own_quotes(admin_client, make_story, make_quote):
    story = make_story()
    quote = make_quote(story, "Было.")
    response = admin_client.post(quote_url(story, quote), {"text": "Стало.", "speaker": ""})
    assert response.status_code == 200
    quote.refresh_from_db()
    assert (quote.text, quote.speaker) == ("Стало.", None)
    other = make_quote(make_story(), "Чужая.")
    assert admin_client.post(quote_url(story, other), {"text": "Взлом."}).status_code == 404
    other.refresh_from_db()
    assert other.text == "Чужая."


def test_quote_endpoint_refuses_an_empty_quote_with_the_reason(admin_client, make_story):
    response = admin_client.post(quote_url(make_story()), {"text": "  "})
    assert response.status_code == 400
    assert "text" in response.json()["errors"]


def test_quote_endpoint_needs_change_permission_on_the_story(
    client, make_story, reporter, colleague
):
    story = make_story(status=Story.Status.DRAFT)
    story.authors.add(colleague)
    client.force_login(reporter)
    assert client.post(quote_url(story), {"text": "Чужая история."}).status_code == 403
    client.force_login(colleague)
    assert client.post(quote_url(story), {"text": "Моя история."}).status_code == 201
    assert list(story.quotes.values_list("text", flat=True)) == ["Моя история."]


def test_quote_endpoint_checks_csrf_and_method(admin_user, make_story):
    story = make_story()
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    assert client.post(quote_url(story), {"text": "Без токена."}).status_code == 403
    assert client.get(quote_url(story)).status_code == 405
    assert not Quote.objects.exists()


def test_reporters_without_the_permission_cannot_create_newsmakers(
    client, make_story, colleague, django_user_model
):
    from django.contrib.auth.models import Permission

    story = make_story(status=Story.Status.DRAFT)
    story.authors.add(colleague)
    colleague.groups.first().permissions.remove(Permission.objects.get(codename="add_newsmaker"))
    colleague = django_user_model.objects.get(pk=colleague.pk)
    client.force_login(colleague)
    response = client.post(quote_url(story), {"text": "Да.", "new_speaker": "Новый Человек"})
    assert response.status_code == 400
    assert not Newsmaker.objects.exists()


def test_change_form_carries_the_editor_and_the_storys_quotes(admin_client, make_story, make_quote):
    story = make_story()
    make_quote(story, "Цитата в редакторе.")
    page = admin_client.get(admin_url(Story, "change", story.pk)).content.decode()
    assert "data-django-prose-editor-configurable" in page
    assert "articles/admin/editor-quote.js" in page
    assert "Цитата в редакторе." in page and quote_url(story) in page
    # The import map is an inline script: it carries the response's nonce.
    assert '<script type="importmap" nonce="' in page
    assert 'name="quotes-TOTAL_FORMS"' not in page


# Suggestions


@pytest.mark.parametrize(
    "text",
    [
        "Встреча с Назарбаевым прошла в Акорде.",  # instrumental
        "Письмо Назарбаеву передали утром.",  # dative
        "Заявление Назарбаева опубликовали.",  # genitive
        "Назарбаев выступил на форуме.",  # nominative
        "Говорили о Назарбаеве.",  # prepositional
    ],
)
def test_suggestions_find_tags_and_newsmakers_in_any_case(admin_client, make_story, text):
    make_story(tags=["Назарбаев", "Экономика"])
    Newsmaker.objects.create(name="Нурсултан Назарбаев", role="Первый Президент")
    Newsmaker.objects.create(name="Дана Касымова")
    url = reverse("admin:articles_story_suggestions")
    response = admin_client.post(url, {"headline": "", "lede": "", "body": f"<p>{text}</p>"})
    data = response.json()
    assert data["tags"] == ["Назарбаев"]
    assert [person["name"] for person in data["newsmakers"]] == ["Нурсултан Назарбаев"]


def test_suggestions_leave_out_tags_the_story_has(admin_client, make_story):
    make_story(tags=["Экономика", "Алматы"])
    url = reverse("admin:articles_story_suggestions")
    data = admin_client.post(
        url, {"headline": "Экономике Алматы", "body": "", "tags": "экономика"}
    ).json()
    assert data["tags"] == ["Алматы"]


def test_suggestions_are_for_staff_who_write_only(client, make_staff, django_user_model):
    url = reverse("admin:articles_story_suggestions")
    assert client.post(url, {"body": "x"}).status_code == 302  # to the sign-in
    outsider = django_user_model.objects.create_user("outsider", is_staff=True)
    client.force_login(outsider)
    assert client.post(url, {"body": "x"}).status_code == 403
    assert client.get(url).status_code in (403, 405)


# Structured data and feeds


def test_json_ld_lists_the_quotes_of_the_text(client, make_story, make_quote):
    story = make_story()
    make_quote(story, "В тексте.")
    make_quote(story, "Не сохранена в тексте.", placed=False)
    html = client.get(story.get_absolute_url()).content.decode()
    blocks = [
        json.loads(part.split(">", 1)[1].split("</script>", 1)[0])
        for part in html.split('<script type="application/ld+json"')[1:]
    ]
    texts = json.dumps(blocks, ensure_ascii=False)
    assert "В тексте." in texts and "Не сохранена в тексте." not in texts


def test_feeds_show_no_empty_figure(client, make_story, make_quote):
    story = make_story()
    make_quote(story, "Цитата.")
    for name in ("articles:feed-rss", "articles:feed-atom", "articles:quotes-rss"):
        content = client.get(reverse(name)).content.decode()
        assert "data-embed" not in content and "&lt;figure" not in content


def test_preview_links_show_quotes_in_place(client, make_story, make_quote):
    from articles.models import PreviewLink

    draft = make_story(status=Story.Status.DRAFT, body="<p>Первый.</p><p>Второй.</p>")
    make_quote(draft, "Цитата в черновике.", position=1)
    link = PreviewLink.create_for(draft)
    html = client.get(link.get_absolute_url()).content.decode()
    body = html[html.index('<div class="story-body">') : html.index("</article>")]
    assert body.index("Первый.") < body.index("Цитата в черновике.") < body.index("Второй.")
    assert "data-embed" not in body


def test_the_editors_dialogs_speak_russian(admin_client):
    catalog = admin_client.get(reverse("admin:jsi18n")).content.decode()
    escaped = json.dumps  # the catalogue is JSON, non-ASCII letters escaped
    assert f'"Open in new window": {escaped("Открывать в новом окне")}' in catalog
    # The admin's own strings are still there.
    assert escaped("Сейчас") in catalog
