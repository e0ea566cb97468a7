"""The design as a reader's browser renders it: the light/dark switch, print, no layout shift
while images load, the weight of a story page, and nothing fetched from another host."""

import time

from playwright.sync_api import expect

BACKGROUND = "() => getComputedStyle(document.body).backgroundColor"
LIGHT, DARK = "rgb(255, 255, 255)", "rgb(21, 23, 26)"


def test_dark_follows_the_system_until_the_reader_chooses(new_context, newsroom):
    page = new_context(color_scheme="dark").new_page()
    page.goto(newsroom.story.get_absolute_url())
    switch = page.get_by_role("button", name="Тёмная тема")
    assert page.evaluate(BACKGROUND) == DARK
    expect(switch).to_have_attribute("aria-pressed", "true")

    switch.click()

    assert page.evaluate(BACKGROUND) == LIGHT
    expect(switch).to_have_attribute("aria-pressed", "false")
    page.goto("/")
    assert page.evaluate(BACKGROUND) == LIGHT  # remembered, against the system's preference


# Records the theme at the moment <body> is parsed, before anything in it can be drawn.
THEME_AT_BODY = """
new MutationObserver(function (changes, observer) {
  if (!document.body) return;
  window.__themeAtBody = getComputedStyle(document.documentElement).colorScheme;
  observer.disconnect();
}).observe(document, {childList: true, subtree: true});
"""


def test_the_chosen_theme_applies_before_the_page_is_drawn(page, newsroom):
    page.goto("/")
    expect(page.locator(".theme-switch")).to_be_visible()
    assert page.evaluate(BACKGROUND) == LIGHT
    page.get_by_role("button", name="Тёмная тема").click()
    page.context.add_init_script(THEME_AT_BODY)

    page.goto(newsroom.story.get_absolute_url())

    assert page.evaluate("window.__themeAtBody") == "dark"
    assert page.evaluate(BACKGROUND) == DARK


def test_without_script_there_is_no_switch(new_context, newsroom):
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/")
    expect(page.locator(".theme-switch")).to_be_hidden()


def test_nothing_sticks_out_of_a_small_screen(new_context, newsroom):
    page = new_context(viewport={"width": 360, "height": 800}).new_page()
    for url in ["/", newsroom.story.get_absolute_url(), "/search/?q=выборы", "/quotes/"]:
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, url
        switch = page.locator(".theme-switch").bounding_box()
        assert switch["x"] + switch["width"] <= 360 - 16, url  # inside the page's margin


def test_a_printed_story_is_the_story_alone(page, newsroom):
    page.goto(newsroom.story.get_absolute_url())
    page.emulate_media(media="print", color_scheme="dark")

    for chrome in [".site-header", ".site-nav", ".share", ".site-footer", ".story-sidebar"]:
        expect(page.locator(chrome).first).to_be_hidden()
    expect(page.locator(".story-title")).to_have_text(newsroom.story.headline)
    expect(page.locator(".byline")).to_contain_text("Данияр Ахметов")
    expect(page.locator(".story-body")).to_contain_text("Депутаты проголосовали единогласно.")
    expect(page.locator(".story-body .quote")).to_contain_text("Каждый голос будет учтён.")
    address = page.locator(".print-url")
    expect(address).to_be_visible()
    expect(address).to_have_text(
        page.evaluate("document.querySelector('link[rel=canonical]').href")
    )
    assert page.evaluate(BACKGROUND) in (LIGHT, "rgba(0, 0, 0, 0)")  # never dark on paper
    assert page.pdf(format="A4")[:4] == b"%PDF"
    expect(page.locator(".print-url")).to_be_visible()  # and on screen, it is not there
    page.emulate_media(media="screen")
    expect(page.locator(".print-url")).to_be_hidden()


LAYOUT_SHIFT = """() => new Promise((resolve) => {
  let total = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(total), 300);
})"""


def test_images_loading_late_shift_nothing(new_context, newsroom):
    for width in (360, 1280):
        page = new_context(viewport={"width": width, "height": 900}).new_page()

        def late(route):
            time.sleep(0.4)  # the text is laid out long before the photo arrives
            route.continue_()

        page.route("**/media/**", late)
        page.goto(newsroom.story.get_absolute_url(), wait_until="load")
        # The rendition the srcset picks for this screen has arrived.
        assert page.evaluate("document.querySelector('.main-image img').naturalWidth") >= 360
        assert page.evaluate(LAYOUT_SHIFT) < 0.01, width
        page.goto("/", wait_until="load")
        assert page.evaluate(LAYOUT_SHIFT) < 0.01, width


# What the browser received of each stylesheet and script, uncompressed.
CSS_AND_JS = """() => performance.getEntriesByType("resource")
    .filter((entry) => ["link", "script"].includes(entry.initiatorType))
    .map((entry) => [entry.name.split("/").pop(), entry.decodedBodySize])"""


def test_a_story_page_weighs_under_60_kb_of_css_and_js(page, newsroom):
    newsroom.story.start_live()  # the heaviest story page: it polls, so it carries live.js
    page.goto(newsroom.story.get_absolute_url(), wait_until="load")

    sizes = dict(page.evaluate(CSS_AND_JS))

    assert set(sizes) == {"site.css", "theme.js", "share.js", "live.js"}
    assert all(size > 0 for size in sizes.values()), sizes
    assert sum(sizes.values()) < 60 * 1024, sizes


def test_every_request_goes_to_the_site_itself(page, live_server, newsroom, login, editor_user):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    for url in [
        "/",
        newsroom.story.get_absolute_url(),
        newsroom.section.get_absolute_url(),
        "/search/?q=выборы",
        "/en/",
    ]:
        page.goto(url, wait_until="load")
    login(page, editor_user)
    page.goto(f"/admin/articles/story/{newsroom.story.pk}/change/", wait_until="load")

    assert len(requests) > 10
    assert [url for url in requests if not url.startswith(live_server.url + "/")] == []
    # System fonts only: nothing to download, but for the icons of the admin's body editor,
    # which it serves itself.
    fonts = page.evaluate(
        "[...document.fonts].filter((font) => font.status === 'loaded')"
        ".map((font) => font.family.replaceAll('\"', ''))"
    )
    assert set(fonts) <= {"Material Icons"}
