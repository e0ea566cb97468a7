"""Writing a story in a real browser: the body editor loads without console errors or
Content-Security-Policy violations (the shared fixtures fail a test on any), a quote inserted
with the editor's button is saved as a quote of the story in its text, the hints and
suggestions answer, and pasted Word and Google Docs markup is saved clean.

``NEWSROOM_SCREENSHOTS=.`` also saves the screenshots the README shows, under ``docs/``.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings

from articles.models import Newsmaker, Story
from tests.conftest import quote_positions

from .conftest import BODY_EDITOR as EDITOR


@pytest.fixture
def page(page, login, editor_user):
    """The editor's page, signed in, tall enough to show the form with its hints."""
    login(page, editor_user)
    page.set_viewport_size({"width": 1280, "height": 1400})
    return page


def screenshot(page, name, **options):
    folder = os.environ.get("NEWSROOM_SCREENSHOTS")
    if folder:
        target = Path(settings.BASE_DIR) / folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(target), **options)


def test_change_form_loads_the_editor_and_inserts_a_quote(
    page, make_story, make_quote, make_newsmaker, console_errors
):
    story = make_story(
        "Аким Алматы представил новые автобусные маршруты",
        body="<p>С понедельника в Алматы меняются 12 маршрутов.</p>"
        "<p>Изменения обсуждали с жителями весь месяц.</p>",
    )
    make_quote(
        story,
        "Мы слушали жителей и изменили схему там, где это было нужно.",
        position=1,
        speaker=make_newsmaker("Дана Касымова", role="Заместитель акима Алматы"),
        context="на брифинге",
    )
    Newsmaker.objects.create(name="Нурсултан Назарбаев")

    page.goto(f"/admin/articles/story/{story.pk}/change/")
    page.wait_for_selector(f"{EDITOR} .newsroom-quote")
    assert "Мы слушали жителей" in page.inner_text(f"{EDITOR} .newsroom-quote")
    assert "Дана Касымова" in page.inner_text(f"{EDITOR} .newsroom-quote")
    page.wait_for_selector("#writing-hints li")
    # Words of the text, quotes included: the Cyrillic ones count.
    assert "Слов: 24" in page.inner_text("#writing-hints")
    screenshot(page, "docs/editor-change-form.png", full_page=False)

    # A new quote at the end of the text, by a newsmaker created on the spot.
    page.click(f"{EDITOR} p >> nth=-1")
    page.keyboard.press("End")
    page.click('button[title="Вставить цитату"]')
    page.fill("#quote-dialog-text", "Новые маршруты заработают с первого числа.")
    page.fill("#quote-dialog-speaker", "Ерлан Бекетов")
    page.wait_for_selector(".quote-dialog-new:not([hidden])")
    assert not page.is_visible(".quote-dialog .errornote")
    page.fill("#quote-dialog-role", "директор транспортного управления")
    screenshot(page, "docs/editor-quote-dialog.png")
    page.click(".quote-dialog button[type=submit]")
    page.wait_for_selector(f"{EDITOR} .newsroom-quote >> nth=1")
    assert "Ерлан Бекетов" in page.inner_text(f"{EDITOR} .newsroom-quote >> nth=1")

    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    story.refresh_from_db()
    texts = [quote.text for quote in story.quotes.order_by("pk")]
    assert texts == [
        "Мы слушали жителей и изменили схему там, где это было нужно.",
        "Новые маршруты заработают с первого числа.",
    ]
    assert [pk for pk, _ in quote_positions(story.body)] == list(
        story.quotes.order_by("pk").values_list("pk", flat=True)
    )
    assert all(quote.placed for quote in story.quotes.all())
    assert story.quotes.get(text__startswith="Новые").speaker.name == "Ерлан Бекетов"

    assert console_errors == []


def test_hints_and_suggestions_on_a_new_story(page, make_story, console_errors):
    make_story(tags=["Назарбаев"])
    Newsmaker.objects.create(name="Нурсултан Назарбаев", role="Первый Президент")

    page.goto("/admin/articles/story/add/")
    page.wait_for_selector(EDITOR)
    page.fill("#id_headline", "Очень длинный заголовок новости, который не поместится в поиске")
    page.click(EDITOR)
    page.keyboard.type("Письмо Назарбаеву передали в понедельник.")
    page.wait_for_function("document.querySelector('#writing-hints').textContent.includes('поиск')")
    hints = page.inner_text("#writing-hints")
    assert "Нет лида" in hints
    page.click("#writing-hints button >> text=Предложить")
    page.wait_for_selector(".suggestion-tag")
    page.click(".suggestion-tag")
    assert page.input_value("#id_tags") == "Назарбаев"
    assert "Нурсултан Назарбаев" in page.inner_text(".writing-suggested-newsmakers")
    screenshot(page, "docs/editor-hints.png")
    assert console_errors == []
    assert Story.objects.count() == 1


WORD_PASTE = (
    "<style>p.MsoNormal {margin: 0}</style>"
    '<p class=MsoNormal style="margin:0cm;font-family:Calibri"><span style="color:red">'
    "Абзац из Word</span><o:p></o:p></p>"
    '<b style="font-weight:normal" id="docs-internal-guid-1"><p dir="ltr" style="line-height:1.38">'
    '<span style="font-weight:700">Жирное</span><span> из Google Docs</span></p></b>'
    '<ul><li style="list-style-type:disc"><p><span>Пункт</span></p></li></ul>'
)


def test_pasted_word_and_google_docs_markup_is_saved_clean(page, make_story, console_errors):
    story = make_story(body="<p>Начало.</p>")
    page.goto(f"/admin/articles/story/{story.pk}/change/")
    page.wait_for_selector(EDITOR)
    page.click(f"{EDITOR} p")
    page.keyboard.press("End")
    page.evaluate(
        """(html) => {
            const data = new DataTransfer();
            data.setData("text/html", html);
            data.setData("text/plain", "x");
            const paste = { clipboardData: data, bubbles: true, cancelable: true };
            document.querySelector(".ProseMirror[contenteditable=true]").dispatchEvent(
                new ClipboardEvent("paste", paste)
            );
        }""",
        WORD_PASTE,
    )
    page.wait_for_function(
        "document.querySelector('textarea#id_body').value.includes('Google Docs')"
    )
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    story.refresh_from_db()
    for dirt in ("style", "class", "span", "MsoNormal", "o:p", "docs-internal", "dir="):
        assert dirt not in story.body
    assert "<strong>Жирное</strong> из Google Docs" in story.body
    assert "Абзац из Word" in story.body and "<li><p>Пункт</p></li>" in story.body
    # Google Docs' outer <b style="font-weight:normal"> does not make everything bold.
    assert "<strong>Абзац" not in story.body and "<b>" not in story.body
    assert console_errors == []
