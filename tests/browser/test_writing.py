"""The story form in a real browser (Debian's chromium through Playwright): the body editor
loads without console errors or Content-Security-Policy violations, and a quote inserted with
the editor's button is saved as a quote of the story, in its text.

Skipped, saying why, when Playwright or chromium is not installed. ``NEWSROOM_SCREENSHOTS=docs``
also saves the screenshots the README shows.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from articles.models import Newsmaker, Story
from tests.conftest import quote_positions

# The editing surface (the menu's heading picker is a .ProseMirror too).
EDITOR = ".ProseMirror[contenteditable=true]"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright for Python is not installed (pip install playwright)"
)

pytestmark = [
    pytest.mark.skipif(
        not shutil.which(CHROMIUM), reason=f"chromium is not installed at {CHROMIUM}"
    ),
]

# Collects what the page reports: CSP violations are events the page can listen to.
WATCH_CSP = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture
def browser(monkeypatch):
    # Playwright's sync API keeps an event loop running in this thread; the database calls the
    # test makes meanwhile are ordinary synchronous ones.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
        )
        yield browser
        browser.close()


@pytest.fixture
def signed_in_page(browser, live_server, admin_user):
    client = Client()
    client.force_login(admin_user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context = browser.new_context(viewport={"width": 1280, "height": 1400}, locale="ru-RU")
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page = context.new_page()
    page.add_init_script(WATCH_CSP)
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    yield page
    context.close()


def screenshot(page, name, **options):
    folder = os.environ.get("NEWSROOM_SCREENSHOTS")
    if folder:
        target = Path(settings.BASE_DIR) / folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(target), **options)


@pytest.mark.django_db(transaction=True)
def test_change_form_loads_the_editor_and_inserts_a_quote(
    signed_in_page, live_server, make_story, make_quote, make_newsmaker
):
    page = signed_in_page
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

    page.goto(f"{live_server.url}/admin/articles/story/{story.pk}/change/")
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

    assert page.evaluate("window.__violations") == []
    assert page.evaluate("window.__violations") == []
    assert page.errors == []


@pytest.mark.django_db(transaction=True)
def test_hints_and_suggestions_on_a_new_story(signed_in_page, live_server, make_story):
    page = signed_in_page
    make_story(tags=["Назарбаев"])
    Newsmaker.objects.create(name="Нурсултан Назарбаев", role="Первый Президент")

    page.goto(f"{live_server.url}/admin/articles/story/add/")
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
    assert page.evaluate("window.__violations") == []
    assert page.evaluate("window.__violations") == []
    assert page.errors == []
    assert Story.objects.count() == 1


WORD_PASTE = (
    "<style>p.MsoNormal {margin: 0}</style>"
    '<p class=MsoNormal style="margin:0cm;font-family:Calibri"><span style="color:red">'
    "Абзац из Word</span><o:p></o:p></p>"
    '<b style="font-weight:normal" id="docs-internal-guid-1"><p dir="ltr" style="line-height:1.38">'
    '<span style="font-weight:700">Жирное</span><span> из Google Docs</span></p></b>'
    '<ul><li style="list-style-type:disc"><p><span>Пункт</span></p></li></ul>'
)


@pytest.mark.django_db(transaction=True)
def test_pasted_word_and_google_docs_markup_is_saved_clean(signed_in_page, live_server, make_story):
    page = signed_in_page
    story = make_story(body="<p>Начало.</p>")
    page.goto(f"{live_server.url}/admin/articles/story/{story.pk}/change/")
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
    assert page.evaluate("window.__violations") == []
    assert page.errors == []
