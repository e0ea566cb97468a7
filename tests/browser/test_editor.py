"""What editors and reporters do in the admin, in a real browser: sign in, write a story with a
quote, share a preview, send it to review, publish it; and what a reporter cannot do."""

import pytest
from playwright.sync_api import expect

from articles.models import Story

from .conftest import BODY_EDITOR

PASSWORD = "Kx8-browser-tests-only"
NOT_FOUND = "Failed to load resource: the server responded with a status of 404 (Not Found)"


@pytest.fixture
def speaker(make_newsmaker):
    return make_newsmaker("Асель Нурланова")


def choose(page, field_id, text):
    """Picks ``text`` in one of the admin's autocomplete (Select2) fields."""
    page.locator(f"#{field_id}").locator("xpath=following-sibling::span[1]").click()
    page.locator(".select2-container--open .select2-search__field").fill(text)
    option = page.locator(".select2-results__option", has_text=text).first
    expect(option).to_be_visible()
    option.click()


def write_story(page, fill_body, section, speaker, headline):
    page.goto("/admin/articles/story/add/")
    page.locator("#id_headline").fill(headline)
    page.locator("#id_lede").fill("Голосование пройдёт весной.")
    choose(page, "id_section", section.name)
    fill_body(page, "Депутаты проголосовали единогласно.\n\nКампания начнётся через месяц.")
    page.locator("#id_tags").fill("выборы, маслихаты")
    # Saved once, the story can hold quotes: one goes after the first paragraph.
    page.locator('input[name="_continue"]').first.click()
    expect(page.locator(".messagelist")).to_be_visible()
    page.locator(f"{BODY_EDITOR} p").first.click()
    page.keyboard.press("End")
    page.locator('button[title="Вставить цитату"]').click()
    page.locator("#quote-dialog-text").fill("Каждый голос будет учтён.")
    page.locator("#quote-dialog-speaker").fill(speaker.name)
    # Offered by the autocomplete and taken: no new newsmaker is announced.
    expect(page.locator("#quote-dialog-speaker-options option")).to_have_count(1)
    expect(page.locator(".quote-dialog-new")).to_be_hidden()
    page.locator(".quote-dialog button[type=submit]").click()
    expect(page.locator(f"{BODY_EDITOR} .newsroom-quote")).to_contain_text(speaker.name)


def test_signing_in_through_the_form(page, editor_user, console_errors):
    editor_user.set_password(PASSWORD)
    editor_user.save()
    page.goto("/admin/")
    page.locator("#id_username").fill(editor_user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")

    expect(page.locator("#user-tools")).to_contain_text("Айгерим")
    assert console_errors == []


def test_a_story_from_draft_to_the_home_page(
    new_context, login, fill_body, reporter, editor_user, section, speaker, console_errors
):
    headline = "Маслихаты изберут весной"
    reporter_page = new_context().new_page()
    login(reporter_page, reporter)
    write_story(reporter_page, fill_body, section, speaker, headline)
    reporter_page.locator('input[name="_continue"]').first.click()

    expect(reporter_page.locator(".messagelist")).to_be_visible()
    story = Story.objects.get(headline=headline)
    assert story.status == Story.Status.DRAFT
    assert list(story.tags.names().order_by("name")) == ["выборы", "маслихаты"]
    assert story.quotes.get().speaker == speaker
    assert list(story.authors.all()) == [reporter]

    # The reporter sends it to review: the form offers them no way to publish.
    expect(reporter_page.locator("button.story-action-publish")).to_have_count(0)
    reporter_page.locator("button.story-action-submit").first.click()
    expect(reporter_page.locator(".messagelist")).to_be_visible()
    story.refresh_from_db()
    assert story.status == Story.Status.REVIEW

    # The editor opens it.
    editor_page = new_context().new_page()
    login(editor_page, editor_user)
    editor_page.goto(f"/admin/articles/story/{story.pk}/change/")

    # A preview link the editor makes opens in a browser that is signed in nowhere.
    editor_page.locator('button[name="create"]').click()
    preview_url = editor_page.locator(".story-preview-url").first.input_value()
    stranger = new_context().new_page()
    stranger.goto(preview_url)
    expect(stranger.get_by_role("heading", level=1)).to_have_text(headline)
    expect(stranger.locator(".quote")).to_contain_text("Каждый голос будет учтён.")
    assert stranger.goto(story.get_absolute_url()).status == 404
    console_errors.remove(f"{stranger.url}: {NOT_FOUND}")  # the browser's note of that 404

    # The editor publishes it.
    editor_page.locator("button.story-action-publish").first.click()
    expect(editor_page.locator(".messagelist")).to_be_visible()
    story.refresh_from_db()
    assert story.is_published

    # Readers find it on the home page, in search and in the feed.
    stranger.goto("/")
    expect(stranger.get_by_role("link", name=headline).first).to_be_visible()
    stranger.goto("/search/?q=маслихатах")
    expect(stranger.locator("main .story-list")).to_contain_text(headline)
    assert headline in stranger.request.get("/news/rss.xml").text()
    assert console_errors == []


def test_a_reporter_who_forges_a_publish_button_is_refused(
    page, login, reporter, make_story, console_errors
):
    story = make_story("Черновик корреспондента", status=Story.Status.DRAFT)
    story.authors.add(reporter)
    login(page, reporter)
    page.goto(f"/admin/articles/story/{story.pk}/change/")
    expect(page.locator("button.story-action-submit").first).to_be_visible()
    expect(page.locator("button.story-action-publish")).to_have_count(0)

    # The same button an editor has, added to the page by hand.
    page.evaluate(
        """() => {
            const button = document.querySelector("button.story-action-submit").cloneNode();
            button.value = "publish";
            button.className = "button forged";
            button.textContent = "Publish";
            document.querySelector("button.story-action-submit").after(button);
        }"""
    )
    page.locator("button.forged").click()

    story.refresh_from_db()
    assert story.status == Story.Status.DRAFT
    assert not Story.objects.published().exists()
    assert page.goto(story.get_absolute_url()).status == 200  # the author's own preview
    expect(page.locator(".preview-banner")).to_be_visible()


def test_admin_pages_log_no_errors(page, login, editor_user, newsroom, console_errors):
    login(page, editor_user)
    for url in [
        "/admin/",
        "/admin/articles/story/",
        "/admin/articles/story/add/",
        f"/admin/articles/story/{newsroom.story.pk}/change/",
        f"/admin/articles/story/{newsroom.story.pk}/history/",
        "/admin/articles/newsmaker/",
        "/admin/articles/section/",
    ]:
        response = page.goto(url)
        assert response.status == 200, url
        page.wait_for_load_state("networkidle")
    assert console_errors == []
