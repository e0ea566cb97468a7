"""axe-core on every kind of page, in light and in dark: no serious or critical violation,
colour contrast (WCAG AA) included."""

from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Story

PUBLIC_PAGES = [
    "home", "section", "story", "tag", "newsmaker", "author", "search", "search-empty",
    "quotes", "live", "corrections", "not-found", "withdrawn",
]  # fmt: skip


def public_url(name, newsroom, make_story):
    if name == "live":
        story = make_story("Паводок в Петропавловске: хроника")
        story.start_live()
        return story.get_absolute_url()
    if name == "withdrawn":
        story = make_story("Снятая новость")
        Story.objects.filter(pk=story.pk).update(status=Story.Status.WITHDRAWN)
        return story.get_absolute_url()
    return {
        "home": "/",
        "section": newsroom.section.get_absolute_url(),
        "story": newsroom.story.get_absolute_url(),
        "tag": newsroom.tag.get_absolute_url(),
        "newsmaker": newsroom.speaker.get_absolute_url(),
        "author": reverse("articles:author", args=[newsroom.author.username]),
        "search": "/search/?q=выборов",
        "search-empty": "/search/?q=землетрясение",
        "quotes": "/quotes/",
        "corrections": "/corrections/",
        "not-found": "/news/net-takoy-rubriki/",
    }[name]


SETTLED = """() => Promise.all(document.getAnimations()
    .filter((animation) => animation instanceof CSSTransition)
    .map((animation) => animation.finished))"""


def check(page, axe, exclude=()):
    problems = {}
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.evaluate(SETTLED)  # colours measured mid-transition would be neither scheme's
        problems[scheme] = axe(page, exclude)
    return problems


def test_public_pages_have_no_serious_violations(page, axe, newsroom, make_story):
    # One test for all page types: the pages share their content, and the database is set up
    # once rather than thirteen times.
    problems = {}
    for name in PUBLIC_PAGES:
        response = page.goto(public_url(name, newsroom, make_story))
        assert response.status == {"not-found": 404, "withdrawn": 410}.get(name, 200), name
        problems[name] = check(page, axe)

    assert problems == {name: {"light": [], "dark": []} for name in PUBLIC_PAGES}


def test_admin_story_pages_have_no_serious_violations(
    page, axe, login, editor_user, newsroom, console_errors
):
    login(page, editor_user)
    problems = {}
    for url in ["/admin/articles/story/", f"/admin/articles/story/{newsroom.story.pk}/change/"]:
        page.goto(url)
        problems[url] = check(page, axe)

    assert problems == {url: {"light": [], "dark": []} for url in problems}
    assert console_errors == []


def accessible_name(page, selector):
    return page.locator(selector).evaluate(
        """(element) => (element.getAttribute("aria-labelledby") || "").split(" ")
            .map((id) => document.getElementById(id)?.textContent.trim() || "").join(" ").trim()"""
    )


def test_admin_autocomplete_fields_are_named_and_open_without_violations(
    page, axe, login, editor_user, newsroom, console_errors
):
    login(page, editor_user)
    page.goto(f"/admin/articles/story/{newsroom.story.pk}/change/")
    section = page.locator("#id_section + .select2")
    authors = page.locator("#id_authors + .select2")

    # A single choice is named by its label and the choice; a multiple one, and its search box,
    # by the label.
    expect(section.get_by_role("combobox", name="Рубрика: Политика")).to_be_visible()
    assert accessible_name(page, "#id_authors + .select2 [role=combobox]") == "Авторы:"
    assert accessible_name(page, "#id_authors + .select2 .select2-search__field") == "Авторы:"

    # The clear-all cross sits outside the list of chosen authors, and still clears them.
    assert authors.locator("ul > .select2-selection__clear").count() == 0
    authors.locator(".select2-selection__clear").click()
    assert page.locator("#id_authors").evaluate("(select) => select.selectedOptions.length") == 0
    page.keyboard.press("Escape")

    # An open dropdown, results listed: its search box is named, and axe finds nothing.
    section.click()
    search = page.locator(".select2-container--open .select2-search__field")
    search.fill(newsroom.economy.name[:3])
    # Only the match, the "searching" line gone: the list as the editor reads it.
    expect(page.locator(".select2-results__option")).to_have_text([newsroom.economy.name])
    assert accessible_name(page, ".select2-container--open .select2-search__field") == "Рубрика:"
    assert check(page, axe) == {"light": [], "dark": []}
    assert console_errors == []
