"""Browser tests: Debian's headless Chromium driven by Playwright against pytest-django's live
server. Without Chromium they skip, saying so; with ``REQUIRE_BROWSER=1`` (as in CI) they fail.
They run in the SQLite pass only: the live server needs a transactional database, which empties
every table after each test, and the pages they drive are the same on both databases.

Fixtures: ``browser`` (one Chromium for the session), ``context`` and ``page`` (fresh for each
test, with ``console_errors`` and ``csp_violations`` collected), ``new_context`` for a second
browser (a reader without the editor's session), ``login``, ``fill_body``, ``axe``.
A failed test leaves screenshots at 360 and 1280 px in ``var/browser-failures/``.
"""

import os
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client

from articles import roles

from . import server

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "browser-failures"
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
AXE_JS = os.environ.get("AXE_JS", "")
WIDTHS = (360, 1280)


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_failed = report.failed
    return report


def _unavailable(reason):
    if os.environ.get("REQUIRE_BROWSER"):
        pytest.fail(f"{reason} (REQUIRE_BROWSER is set)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    if connection.vendor != "sqlite":
        pytest.skip("browser tests run in the SQLite pass")
    if not os.path.exists(CHROMIUM):
        _unavailable("Chromium is not installed (apt-get install chromium): browser tests skipped")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed (pip install -e '.[dev]')")
    # Playwright's sync API runs an event loop in this thread; the tests' ORM calls are still
    # plain synchronous calls between browser steps, which Django's guard would refuse.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(executable_path=CHROMIUM)
        yield chromium
        chromium.close()


@pytest.fixture(autouse=True)
def browser_site(browser, live_server, settings):
    """The site as the browser sees it: uploaded images served (a web server does that in
    production), and the roles' groups, which the transactional database empties, there."""
    settings.ROOT_URLCONF = "tests.browser.server"
    settings.MIDDLEWARE = ["tests.browser.server.CountRequests", *settings.MIDDLEWARE]
    roles.role_group(roles.EDITORS)
    roles.role_group(roles.REPORTERS)


@pytest.fixture
def make_staff(db):
    """A staff account in the Editors or Reporters group, made after the flush emptied the groups
    (no password: ``login`` signs in without one)."""

    def make(username, role="Reporters", **fields):
        fields.setdefault("first_name", username.capitalize())
        user = get_user_model().objects.create_user(username, is_staff=True, **fields)
        user.groups.add(roles.role_group(role))
        return user

    return make


CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolation({
    directive: event.violatedDirective, blocked: event.blockedURI,
    source: event.sourceFile, line: event.lineNumber, page: location.href,
  });
});
"""


class Browsing:
    """What one test's pages did: console errors, uncaught exceptions and CSP violations."""

    def __init__(self):
        self.console_errors = []
        self.csp_violations = []
        self.pages = []

    def watch(self, page):
        self.pages.append(page)
        page.on(
            "console",
            lambda message: (
                message.type == "error"
                and self.console_errors.append(f"{page.url}: {message.text}")
            ),
        )
        page.on("pageerror", lambda error: self.console_errors.append(f"{page.url}: {error}"))


@pytest.fixture
def browsing():
    return Browsing()


@pytest.fixture
def console_errors(browsing):
    """Every console error and uncaught exception of the test's pages, as text."""
    return browsing.console_errors


@pytest.fixture
def csp_violations(browsing):
    """Every Content-Security-Policy violation the test's pages reported."""
    return browsing.csp_violations


@pytest.fixture
def new_context(browser, live_server, browsing, request):
    """Opens a fresh browser context (no cookies, no storage) on the live server."""
    contexts = []

    def open_context(**options):
        options.setdefault("viewport", {"width": 1280, "height": 900})
        options.setdefault("locale", "ru-RU")
        options.setdefault("timezone_id", "Asia/Almaty")
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(10_000)
        context.expose_binding(
            "__cspViolation", lambda source, report: browsing.csp_violations.append(report)
        )
        context.add_init_script(CSP_LISTENER)
        context.on("page", browsing.watch)
        contexts.append(context)
        return context

    yield open_context
    if getattr(request.node, "browser_failed", False):
        _screenshots(request.node, browsing.pages)
    for context in contexts:
        context.close()
    # The database is emptied next: let the server finish what the pages last asked for.
    assert server.wait_until_idle() == 0, "the live server is still answering requests"
    # A page that broke the policy is a bug whatever the test looked at.
    assert browsing.csp_violations == [], "Content-Security-Policy violations"


def _screenshots(node, pages):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", node.nodeid.split("::", 1)[-1])
    for number, page in enumerate(pages):
        if page.is_closed():
            continue
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=SCREENSHOTS / f"{name}-{number}-{width}.png", full_page=True)


@pytest.fixture
def context(new_context):
    return new_context()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def login(live_server):
    """Signs ``user`` in within a browser context (or a page's), with a real session cookie."""

    def sign_in(target, user):
        context = getattr(target, "context", target)
        client = Client()
        client.force_login(user)
        cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
        context.add_cookies(
            [{"name": cookie.key, "value": cookie.value, "url": live_server.url, "httpOnly": True}]
        )

    return sign_in


# The body editor's writing surface (its heading picker in the menu is a .ProseMirror too).
BODY_EDITOR = ".prose-editor .ProseMirror[contenteditable=true]"


def fill_body(page, text):
    """Types ``text`` into the story form's body editor, one paragraph per blank-line-separated
    part, replacing what was there."""
    paragraphs = [part.strip() for part in text.split("\n\n") if part.strip()]
    editor = page.locator(BODY_EDITOR)
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    for number, part in enumerate(paragraphs):
        if number:
            page.keyboard.press("Enter")
        page.keyboard.type(part)


@pytest.fixture(name="fill_body")
def fill_body_fixture():
    return fill_body


def _axe_source():
    path = Path(AXE_JS) if AXE_JS else None
    if path is None or not path.is_file():
        found = sorted((ROOT / "var" / "tools").glob("axe-core-*.min.js"))
        path = found[-1] if found else None
    if path is None:
        _unavailable("axe-core is not in var/tools (make test fetches it)")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def axe_source():
    return _axe_source()


@pytest.fixture
def axe(axe_source, browsing):
    """Runs axe-core on a page (injected through the DevTools protocol, so the page's CSP stays
    as it is) and returns the serious and critical violations, as readable lines. ``exclude``
    lists selectors of parts to leave out."""

    def run(page, exclude=()):
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.evaluate(axe_source)
        reported, logged = len(browsing.csp_violations), len(browsing.console_errors)
        result = page.evaluate(
            """(exclude) => axe.run({exclude: exclude.map((selector) => [selector])}, {
                runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                                "wcag22aa", "best-practice"]},
                resultTypes: ["violations"],
            })""",
            list(exclude),
        )
        # axe's own probes add <style> elements, which the page's policy rightly refuses: those
        # reports are the checker's, not the page's.
        page.evaluate("() => new Promise((resolve) => setTimeout(resolve, 50))")
        del browsing.csp_violations[reported:]
        browsing.console_errors[logged:] = [
            error
            for error in browsing.console_errors[logged:]
            if "Applying inline style violates" not in error
        ]
        return [
            f"{violation['id']} ({violation['impact']}): {violation['help']} — "
            + "; ".join(str(node["target"][0]) for node in violation["nodes"][:5])
            for violation in result["violations"]
            if violation["impact"] in ("serious", "critical")
        ]

    return run


@pytest.fixture
def newsroom(make_section, section, make_story, make_quote, make_newsmaker, make_photo, reporter):
    """A small published site: two sections, a story with a photo, tags, a quote and an author,
    and a few more stories around it."""
    economy = make_section("Экономика")
    speaker = make_newsmaker("Асель Нурланова", role="депутат мажилиса")
    story = make_story(
        "Парламент назначил выборы в маслихаты",
        tags=["выборы", "парламент"],
        lede="Голосование пройдёт весной.",
        body="<p>Депутаты проголосовали единогласно.</p><p>Кампания начнётся через месяц.</p>",
        photo=make_photo("Зал заседаний", size=(1200, 675), alt="Зал заседаний парламента"),
    )
    story.authors.add(reporter)
    quote = make_quote(story, "Каждый голос будет учтён.", speaker=speaker)
    others = [
        make_story(f"Тенге укрепился к доллару, день {n}", section=economy) for n in range(1, 4)
    ]
    return SimpleNamespace(
        story=story, quote=quote, speaker=speaker, section=section, economy=economy,
        author=reporter, tag=story.tags.get(name="выборы"), others=others,
    )  # fmt: skip
