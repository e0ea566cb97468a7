"""A quote keeps the title its speaker had when they said it."""

import re

from django.urls import reverse


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


def test_editors_set_the_role_at_the_time_in_the_quote_dialog(
    admin_client, make_story, make_newsmaker
):
    speaker = make_newsmaker("Асель Омарова")
    story = make_story()
    response = admin_client.post(
        reverse("admin:articles_story_quote_add", args=[story.pk]),
        {"text": "Мы готовы.", "speaker": speaker.pk, "role": "директор компании «Алтын Су»"},
    )

    assert response.status_code == 201
    assert response.json()["role"] == "директор компании «Алтын Су»"
    assert story.quotes.get().role == "директор компании «Алтын Су»"
