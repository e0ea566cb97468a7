"""What a reader does in a real browser: follows links from the home page down to a newsmaker,
searches, copies a link, switches language, uses the keyboard, watches live coverage."""

import re

from django.utils import timezone
from playwright.sync_api import expect

from articles import views
from articles.models import LiveEntry, Story


def test_home_section_story_tag_newsmaker(page, newsroom, console_errors):
    page.goto("/")
    page.locator(".site-nav").get_by_role("link", name="Политика").click()
    expect(page).to_have_url(re.compile(r"/news/politika/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Политика")

    page.get_by_role("link", name=newsroom.story.headline).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(newsroom.story.headline)
    expect(page.locator(".quote blockquote")).to_contain_text("Каждый голос будет учтён.")

    page.locator(".tags").get_by_role("link", name="выборы").click()
    expect(page).to_have_url(re.compile(re.escape(newsroom.tag.get_absolute_url()) + "$"))
    page.get_by_role("link", name=newsroom.story.headline).first.click()

    page.locator(".quote").get_by_role("link", name="Асель Нурланова").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Асель Нурланова")
    expect(page.locator("main")).to_contain_text("Каждый голос будет учтён.")
    assert console_errors == []


def test_search_finds_a_story_by_another_word_form(page, newsroom):
    page.goto("/")
    page.locator("#site-search").fill("выборов")
    page.locator("#site-search").press("Enter")

    expect(page).to_have_url(re.compile(r"/search/\?q="))
    results = page.locator("main .story-list")
    expect(results.get_by_role("link", name=newsroom.story.headline)).to_be_visible()
    expect(results).not_to_contain_text("Тенге")


def test_copy_link_puts_the_short_link_on_the_clipboard(new_context, newsroom):
    page = new_context(permissions=["clipboard-read", "clipboard-write"]).new_page()
    page.goto(newsroom.story.get_absolute_url())
    button = page.get_by_role("button", name="Копировать ссылку")
    short_link = button.get_attribute("data-url")

    button.click()

    expect(page.locator(".copy-status")).to_have_text("Ссылка скопирована")
    assert page.evaluate("navigator.clipboard.readText()") == short_link
    assert short_link.startswith(page.url.split("/news/")[0] + "/s/")
    assert page.request.get(short_link, max_redirects=0).status == 301


def test_language_switch_and_back(page, newsroom):
    page.goto(newsroom.story.get_absolute_url())
    assert page.locator("html").get_attribute("lang") == "ru"

    page.locator(".language-links").get_by_role("link", name="English").click()

    expect(page).to_have_url(re.compile(r"/en" + re.escape(newsroom.story.get_absolute_url())))
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.locator("#site-search")).to_have_attribute("placeholder", "Search")
    expect(page.locator("article.story")).to_have_attribute("lang", "ru")

    page.locator(".language-links").get_by_role("link", name="Русский").click()

    expect(page).to_have_url(re.compile(re.escape(newsroom.story.get_absolute_url()) + "$"))
    assert "/en/" not in page.url
    assert page.locator("html").get_attribute("lang") == "ru"


FOCUS_RING = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  return {
    tag: element.tagName, text: (element.textContent || element.value || "").trim().slice(0, 40),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
    shadow: style.boxShadow !== "none",
    visible: element.getBoundingClientRect().width > 0,
  };
}"""


def tab_through(page, count):
    """Presses Tab ``count`` times and returns what had focus at each step."""
    steps = []
    for _ in range(count):
        page.keyboard.press("Tab")
        steps.append(page.evaluate(FOCUS_RING))
    return steps


def test_keyboard_reaches_the_header_and_search_with_a_visible_focus(page, newsroom):
    page.goto("/")

    steps = tab_through(page, 6)

    names = [step["text"] for step in steps]
    assert names[0] == "Перейти к содержимому"
    assert steps[2]["tag"] == "INPUT" and steps[3]["text"] == "Найти"
    assert "Прямой эфир" in names or "Цитаты" in names
    for step in steps:
        assert step["visible"] and (step["outline"] or step["shadow"]), step

    # The search form works from the keyboard alone.
    page.locator("#site-search").focus()
    page.keyboard.type("парламент")
    page.keyboard.press("Enter")
    expect(page.locator("main .story-list")).to_contain_text(newsroom.story.headline)


def test_keyboard_walks_the_share_row_with_a_visible_focus(page, newsroom):
    page.goto(newsroom.story.get_absolute_url())
    page.locator(".tags a").last.focus()

    steps = tab_through(page, 7)

    assert [step["text"] for step in steps] == [
        "Telegram", "WhatsApp", "ВКонтакте", "Facebook", "X", "Почта", "Копировать ссылку",
    ]  # fmt: skip
    for step in steps:
        assert step["visible"] and (step["outline"] or step["shadow"]), step


def test_live_page_picks_up_a_new_entry_by_polling(page, make_story, monkeypatch):
    monkeypatch.setattr(views, "LIVE_POLL_SECONDS", 1)
    monkeypatch.setattr(views, "LIVE_POLL_MAX_AGE", 0)
    story = make_story("Паводок в Петропавловске: хроника")
    story.start_live()
    LiveEntry.objects.create(story=story, body="Вода поднялась на 10 см.")
    page.goto(story.get_absolute_url())
    expect(page.locator(".live-entry")).to_have_count(1)

    LiveEntry.objects.create(story=story, body="Открыт пункт временного размещения.")

    new = page.locator(".live-new")
    expect(new).to_be_visible(timeout=8000)
    new.click()
    expect(page.locator(".live-entry")).to_have_count(2)
    expect(page.locator(".live-entry").first).to_contain_text("Открыт пункт")


def test_withdrawn_story_answers_410_with_a_notice(page, make_story):
    story = make_story("Снятая новость")
    url = story.get_absolute_url()
    Story.objects.filter(pk=story.pk).update(status=Story.Status.WITHDRAWN)

    response = page.goto(url)

    assert response.status == 410
    expect(page.locator("main")).not_to_contain_text("Первый абзац")
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_quotes_archive_searches_by_word_form(page, newsroom):
    page.goto("/quotes/")
    expect(page.locator(".quote-list")).to_contain_text("будет учтён")

    search = page.locator('main form[role="search"] input[name="q"]')
    search.fill("голоса")
    search.press("Enter")

    expect(page).to_have_url(re.compile(r"/quotes/\?q="))
    expect(page.locator(".quote-list")).to_contain_text("будет учтён")
    search = page.locator('main form[role="search"] input[name="q"]')
    search.fill("тенге")
    search.press("Enter")
    expect(page.locator(".quote-list")).to_have_count(0)


def test_pages_link_feeds_that_answer(page, newsroom):
    for url in [
        "/",
        newsroom.section.get_absolute_url(),
        newsroom.tag.get_absolute_url(),
        newsroom.speaker.get_absolute_url(),
        "/quotes/",
    ]:
        page.goto(url)
        feeds = page.locator('link[rel="alternate"][type$="+xml"]')
        hrefs = [feeds.nth(n).get_attribute("href") for n in range(feeds.count())]

        assert len(hrefs) >= 2, url
        for href in hrefs:
            response = page.request.get(href)
            assert response.ok, href
            assert "xml" in response.headers["content-type"], href
            assert "<item>" in response.text() or "<entry>" in response.text(), href


def test_story_times_are_the_newsrooms(page, newsroom):
    page.goto(newsroom.story.get_absolute_url())
    local = timezone.localtime(newsroom.story.published_at)
    expect(page.locator(".byline time").first).to_contain_text(local.strftime("%H:%M"))
