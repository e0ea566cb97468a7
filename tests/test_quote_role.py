"""A quote keeps the title its speaker had when they said it."""

import re

from django.urls import reverse

from articles.models import Story


def caption(client, story):
    html = client.get(story.get_absolute_url()).content.decode()
    return re.search(r"<figcaption>(.*?)</figcaption>", html, re.S).group(1)


def test_role_at_the_time_is_shown_instead_of_the_current_one(
    client, make_story, make_quote, make_newsmaker
):
    story = make_story()
    speaker = make_newsmaker("Бауыржан Сейтказиев", role="Аким Костанайской области")
    make_quote(story, speaker=speaker, role="вице-министр сельского хозяйства")

    text = caption(client, story)

    assert '<span class="role">вице-министр сельского хозяйства</span>' in text
    assert "Аким Костанайской области" not in text


def test_without_a_role_at_the_time_the_current_role_is_shown(
    client, make_story, make_quote, make_newsmaker
):
    story = make_story()
    make_quote(story, speaker=make_newsmaker("Дана Касымова", role="Заместитель акима Алматы"))

    assert '<span class="role">Заместитель акима Алматы</span>' in caption(client, story)


def test_role_is_escaped_on_the_page(client, make_story, make_quote):
    story = make_story()
    make_quote(story, role="<script>alert(1)</script>")

    text = caption(client, story)

    assert "<script>" not in text
    assert "&lt;script&gt;" in text


def test_editors_set_the_role_at_the_time_in_the_quote_inline(
    admin_client, section, make_newsmaker
):
    speaker = make_newsmaker("Асель Омарова")
    add = reverse("admin:articles_story_add")
    assert 'name="quotes-__prefix__-role"' in admin_client.get(add).content.decode()

    response = admin_client.post(
        add,
        {
            "headline": "Заголовок",
            "slug": "",
            "lede": "Лид.",
            "body": "<p>Абзац.</p>",
            "section": section.pk,
            "status": "draft",
            "tags": "",
            "quotes-TOTAL_FORMS": "1",
            "quotes-INITIAL_FORMS": "0",
            "quotes-MIN_NUM_FORMS": "0",
            "quotes-MAX_NUM_FORMS": "1000",
            "quotes-0-text": "Мы готовы.",
            "quotes-0-speaker": speaker.pk,
            "quotes-0-role": "директор компании «Алтын Су»",
            "quotes-0-context": "",
            "quotes-0-position": "0",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Story.objects.get().quotes.get().role == "директор компании «Алтын Су»"
