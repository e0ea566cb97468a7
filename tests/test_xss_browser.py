"""The XSS corpus in a real browser: the pages of tests/test_xss.py, with every payload stored in
every field, are loaded in headless Chromium (Debian's /usr/bin/chromium, driven by Playwright),
which must never run a payload: alert(), confirm(), prompt() and print() are replaced before any
page script runs and must never be called, window.__xss never set, no dialog opened, and no link,
frame or form left pointing at a javascript: address.

Pages are rendered by the test client first and handed to the browser from memory, so the
browser needs no server and the database stays the test's own. The Content-Security-Policy header
is left out on purpose: it is the second wall, and this test checks the first one (escaping and
sanitising), which must hold by itself.

Skipped when Chromium is not installed (apt-get install chromium), unless REQUIRE_BROWSER=1; marked
``browser``, so it runs in the SQLite pass only, as the other browser tests do.
"""

import mimetypes
import os
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone

from articles.models import Newsmaker, PartnerFeed, PartnerLink, Section, Story, Tag
from tests.test_xss import PAYLOADS, build_site, pack

pytestmark = [pytest.mark.django_db, pytest.mark.browser]

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
ORIGIN = "http://testserver"

HOOK = """
(() => {
  const calls = [];
  Object.defineProperty(window, "__xss_calls", { value: calls });
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    window[name] = (...args) => { calls.push(name + "(" + args.join(",") + ")"); };
  }
  Object.defineProperty(window, "__xss", {
    set(value) { calls.push("window.__xss = " + value); },
    get() { return undefined; },
  });
})();
"""

# Links, frames and forms a click or a submit would turn into script.
SCRIPT_ADDRESSES = """
() => Array.from(document.querySelectorAll("a[href], area[href], iframe, frame, form, button"))
  .map((el) => [el.outerHTML.slice(0, 200), el.href || el.src || el.action || el.formAction || ""])
  .filter(([, url]) => /^\\s*(javascript|vbscript|data):/i.test(String(url)))
  .map(([html]) => html)
"""


@pytest.fixture
def sync_api():
    if not CHROMIUM.exists():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {CHROMIUM} is missing (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium to run the browser checks")
    return pytest.importorskip("playwright.sync_api")


def render_all(client, paths):
    """``{path: (status, headers, body)}`` as the site answers them, CSP header left out."""
    pages = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        headers = {
            name: value
            for name, value in response.headers.items()
            if not name.lower().startswith("content-security-policy")
        }
        pages[path] = (response.status_code, headers, response.content)
    return pages


def fulfil_from(pages):
    def handle(route):
        url = urlsplit(route.request.url)
        path = url.path + (f"?{url.query}" if url.query else "")
        if f"{url.scheme}://{url.netloc}" != ORIGIN:
            return route.abort()  # no other host, ever
        if path in pages:
            status, headers, body = pages[path]
            return route.fulfill(status=status, headers=headers, body=body)
        if url.path.startswith("/static/"):
            found = finders.find(url.path.removeprefix("/static/"))
            if found:
                kind = mimetypes.guess_type(found)[0] or "application/octet-stream"
                return route.fulfill(status=200, content_type=kind, body=Path(found).read_bytes())
        return route.fulfill(status=404, body=b"")

    return handle


def page_paths(live, body_story):
    paths = [
        reverse("articles:home"),
        reverse("articles:latest"),
        reverse("articles:live"),
        live.get_absolute_url(),
        body_story.get_absolute_url(),
        reverse("articles:quotes"),
        reverse("articles:corrections"),
        reverse("articles:search") + "?" + urlencode({"q": "script alert onerror img"}),
        *(reverse("articles:search") + "?" + urlencode({"q": query}) for query in pack(1000)),
    ]
    for model in (Section, Tag, Newsmaker):
        paths += [obj.get_absolute_url() for obj in model.objects.order_by("pk")[:3]]
    authors = get_user_model().objects.filter(username__startswith="author").order_by("pk")
    paths += [reverse("articles:author", args=[user.username]) for user in authors[:3]]
    return paths


def hostile_site(section):
    live = build_site()
    body_story = Story.objects.create(
        headline="Все атаки в тексте",
        lede="Описание",
        body="".join(f"<p>{payload}</p>{payload}" for payload in PAYLOADS),
        section=section,
        status=Story.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    # Partner headlines as stored, even if a fetch had let markup through: the page escapes.
    feed = PartnerFeed.objects.create(name=PAYLOADS[0][:100], url="https://partner.example/")
    PartnerLink.objects.bulk_create(
        PartnerLink(feed=feed, title=text[:300], url="https://partner.example/", position=n)
        for n, text in enumerate(pack(300))
    )
    return live, body_story


class Browser:
    """Chromium with the hook in every page, answering from ``pages``; what ran is collected."""

    def __init__(self, sync_api, pages):
        self.sync_api, self.pages = sync_api, pages
        self.ran, self.dialogs, self.script_links = [], [], []

    def __enter__(self):
        self.playwright = self.sync_api.sync_playwright().start()
        self.browser = self.playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox"]
        )
        context = self.browser.new_context()
        context.add_init_script(HOOK)
        context.route("**/*", fulfil_from(self.pages))
        self.page = context.new_page()
        self.page.on("dialog", self.dismiss)
        return self

    def __exit__(self, *exc):
        self.browser.close()
        self.playwright.stop()

    def dismiss(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def collect(self, where):
        self.ran += [f"{where}: {call}" for call in self.page.evaluate("window.__xss_calls")]
        self.script_links += [f"{where}: {html}" for html in self.page.evaluate(SCRIPT_ADDRESSES)]

    def visit(self, path):
        self.page.goto(ORIGIN + path, wait_until="load")
        # Handlers that need a pointer or focus: move over the page, tab through it.
        for y in range(0, 3000, 150):
            self.page.mouse.move(200, y % 700)
        for _ in range(5):
            self.page.keyboard.press("Tab")
        self.page.wait_for_timeout(150)
        self.collect(path)


def test_the_browser_check_sees_a_payload_that_runs(sync_api):
    """The check itself: markup that runs is caught, whichever way it runs."""
    html = (
        b"<!doctype html><title>t</title><img src=x onerror=alert(1)>"
        b"<svg onload=window.__xss=1></svg><a href='javascript:print()'>x</a>"
    )
    pages = {"/": (200, {"Content-Type": "text/html"}, html)}
    with Browser(sync_api, pages) as browser:
        browser.visit("/")
    assert "/: alert(1)" in browser.ran
    assert "/: window.__xss = 1" in browser.ran
    assert browser.script_links


def test_no_payload_runs_in_chromium(client, settings, section, sync_api):
    settings.STORIES_PER_PAGE = 100
    live, body_story = hostile_site(section)
    pages = render_all(client, page_paths(live, body_story))
    updates = reverse("articles:live-updates", args=[live.pk])
    live_url = live.get_absolute_url()
    pages.update(render_all(client, [updates]))
    with Browser(sync_api, pages) as browser:
        for path in pages:
            if path != updates:
                browser.visit(path)
        # The live page's script puts the entries it polls into the page: empty the list, let
        # it poll, and show what it found.
        page = browser.page
        page.goto(ORIGIN + live_url, wait_until="load")
        page.evaluate("document.querySelector('.live-entries').replaceChildren()")
        page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
        page.locator(".live-new").click(timeout=10_000)
        assert page.locator(".live-entries .live-entry").count() > 5
        page.wait_for_timeout(300)
        browser.collect("live updates")
    assert not browser.ran
    assert not browser.dialogs
    assert not browser.script_links
