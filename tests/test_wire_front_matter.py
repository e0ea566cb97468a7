"""Front matter: ``key: value`` lines between ``---`` lines above a wire text."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from articles.wire import WireParseError, read_wire

STORY = "Заголовок новости\n\nЛид новости.\n\nПервый абзац."


@pytest.fixture(autouse=True)
def english_messages():
    with translation.override("en"):
        yield


def test_front_matter_is_read_and_kept_out_of_the_story():
    story = read_wire(
        "---\nsection: sport\nstatus: draft\ntags: футбол, Алматы\nfeatured: yes\n---\n" + STORY
    )

    assert (story.front.section, story.front.status, story.front.featured) == (
        "sport",
        "draft",
        True,
    )
    assert story.front.tags == ("футбол", "Алматы")
    assert story.headline == "Заголовок новости"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("3 hours ago", -timedelta(hours=3)), ("in 2.5 hours", timedelta(hours=2.5))],
)
def test_publication_time_may_be_relative_to_the_import(value, expected):
    assert read_wire(f"---\npublished: {value}\n---\n" + STORY).front.published == expected


def test_publication_time_without_an_offset_is_local_time(settings):
    published = read_wire("---\npublished: 2024-03-15 10:42\n---\n" + STORY).front.published

    assert timezone.localtime(published).strftime("%Y-%m-%d %H:%M") == "2024-03-15 10:42"
    assert str(timezone.localtime(published).tzinfo) == settings.TIME_ZONE


def test_a_rule_above_the_headline_is_not_front_matter():
    story = read_wire("---\n" + STORY)

    assert story.headline == "Заголовок новости"


def test_front_matter_left_open_is_refused():
    with pytest.raises(WireParseError, match="never closed"):
        read_wire("---\nsection: sport\n" + STORY)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("status: live", "status must be one of draft, review, published"),
        ("featured: maybe", "featured must be yes or no"),
        ("published: tomorrow", "published must be a date and time"),
        ("section sport", "is not “key: value”"),
    ],
)
def test_bad_front_matter_values_are_refused_with_their_line(line, message):
    with pytest.raises(WireParseError, match=message):
        read_wire(f"---\nref: x\n{line}\n---\n" + STORY)


def test_a_key_given_twice_is_refused():
    with pytest.raises(WireParseError, match="given twice"):
        read_wire("---\ntags: a\ntags: b\n---\n" + STORY)


def test_ref_names_the_story_instead_of_its_text():
    first = read_wire("---\nref: wire:42\n---\n" + STORY)
    edited = read_wire("---\nref: wire:42\n---\n" + STORY.replace("Первый", "Второй"))

    assert first.import_ref == edited.import_ref == "wire:42"
