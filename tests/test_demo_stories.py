"""The demo stories are wire texts that load through the importer."""

import io

import pytest
from django.utils import timezone
from PIL import Image

from articles import demo
from articles.demo import IMPORT_PREFIX, NEWSMAKERS, load_demo, story_files
from articles.models import Newsmaker, Quote, Story
from articles.wire import read_wire

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def plain_images(monkeypatch):
    """Flat images instead of drawn ones: these tests are about the stories, not the art."""

    def plain(*args, **kwargs):
        buffer = io.BytesIO()
        Image.new("RGB", (8, 8), "teal").save(buffer, "JPEG")
        return buffer.getvalue()

    monkeypatch.setattr(demo, "story_image", plain)
    monkeypatch.setattr(demo, "portrait_image", plain)


def test_every_demo_story_is_a_wire_text_with_front_matter():
    sections = {"kazakhstan", "politika", "mir", "ekonomika", "sport"}

    fronts = [read_wire(path.read_bytes()).front for path in story_files()]

    assert len(fronts) == 18
    assert all(front.ref.startswith(IMPORT_PREFIX) for front in fronts)
    assert {front.section for front in fronts} == sections
    assert all(front.authors and front.tags and front.image_caption for front in fronts)


def test_demo_quotes_go_to_the_demo_newsmakers_and_nobody_else():
    load_demo()

    quoted = set(
        Quote.objects.filter(speaker__isnull=False).values_list("speaker__slug", flat=True)
    )

    assert quoted == {data["slug"] for data in NEWSMAKERS}
    assert Newsmaker.objects.count() == len(NEWSMAKERS)


def test_demo_quotes_keep_the_title_and_the_place_from_the_text():
    load_demo()

    quote = Quote.objects.get(story__import_ref="demo:almaty-bus-routes")

    assert (quote.speaker.name, quote.role, quote.context, quote.source.name) == (
        "Дана Касымова",
        "заместитель акима Алматы",
        "на встрече с жителями Наурызбайского района",
        "Акимат Алматы",
    )


def test_demo_quotes_are_dated_the_day_their_story_ran():
    load_demo()

    quotes = Quote.objects.filter(story__status=Story.Status.PUBLISHED).select_related("story")
    assert quotes
    for quote in quotes:
        assert quote.said_on == timezone.localtime(quote.story.published_at).date()


def test_demo_has_a_quotation_over_two_paragraphs(client):
    load_demo()

    story = Story.objects.get(import_ref="demo:kostanay-harvest")
    html = client.get(story.get_absolute_url()).content.decode()

    assert "экспортный потенциал.</p>\n\n<p>Наша задача сейчас" in html
