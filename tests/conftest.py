"""Shared fixtures: small factories for the content model."""

import contextlib
import itertools
import socket

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.utils import timezone

from articles.models import Newsmaker, Photo, Quote, Section, Source, Story
from articles.richtext import embed_html, embed_refs, split_blocks

from .images import picture_bytes, upload

_counter = itertools.count(1)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded and generated files go to a temporary folder, never to var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def plain_static_files(settings):
    """Static files as they are in the source tree: the suite does not run collectstatic (the
    production storage, with hashed names, is tested on its own in test_production.py)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    """Each test starts with an empty cache, and views are flushed only when a test says so
    (no background thread writing to the test database). The page cache is off but where a
    test turns it on (test_page_cache.py): the site's version moves on when a transaction
    commits, and most tests never commit theirs."""
    settings.VIEW_COUNTS_FLUSH_SECONDS = 0
    settings.PAGE_CACHE_SECONDS = 0
    cache.clear()
    yield
    with contextlib.suppress(Exception):  # a test that took the cache down
        cache.clear()


@pytest.fixture
def make_section(db):
    def make(name=None, **fields):
        n = next(_counter)
        return Section.objects.create(name=name or f"Раздел {n}", position=n, **fields)

    return make


@pytest.fixture
def section(make_section):
    return make_section("Политика")


@pytest.fixture
def make_story(db, section):
    def make(headline=None, *, status=Story.Status.PUBLISHED, tags=(), **fields):
        fields.setdefault("section", section)
        fields.setdefault("body", "<p>Первый абзац.</p><p>Второй абзац.</p>")
        fields.setdefault("lede", "Короткое описание новости.")
        if status == Story.Status.PUBLISHED:
            fields.setdefault("published_at", timezone.now() - timezone.timedelta(minutes=5))
        story = Story.objects.create(
            headline=headline or f"Новость номер {next(_counter)}", status=status, **fields
        )
        if tags:
            story.tags.add(*tags)
        return story

    return make


@pytest.fixture
def make_newsmaker(db):
    def make(name=None, **fields):
        return Newsmaker.objects.create(name=name or f"Иван Иванов {next(_counter)}", **fields)

    return make


def quote_positions(body):
    """``[(quote id, paragraphs of text before it)]`` of the quote references in ``body``."""
    found, text = [], 0
    for block in split_blocks(body):
        if refs := embed_refs(block):
            if refs[0][0] == "quote":
                found.append((refs[0][1], text))
        else:
            text += 1
    return found


def place_quote(story, quote, position=None):
    """Put a reference to ``quote`` in ``story``'s body after ``position`` paragraphs of text
    (after the quotes already there; at the end without ``position``) and save the story, as
    the editor does."""
    blocks = split_blocks(story.body)
    if position is None:
        index = len(blocks)
    else:
        index, seen = len(blocks), 0
        for i, block in enumerate(blocks):
            if not embed_refs(block):
                if seen == position:
                    index = i
                    break
                seen += 1
    blocks.insert(index, embed_html("quote", quote.pk))
    story.body = "\n".join(blocks)
    story.save()
    quote.refresh_from_db()
    return quote


@pytest.fixture
def make_quote(db, make_newsmaker):
    """A quote placed in the story's text (``position``: paragraphs before it; default: at the
    end); ``placed=False`` makes one the body does not refer to yet."""

    def make(story, text="Мы продолжим работу.", *, position=None, placed=True, **fields):
        if "speaker" not in fields:
            fields["speaker"] = make_newsmaker()
        quote = Quote.objects.create(story=story, text=text, **fields)
        return place_quote(story, quote, position) if placed else quote

    return make


@pytest.fixture
def make_source(db):
    def make(name=None, **fields):
        return Source.objects.create(name=name or f"пресс-служба {next(_counter)}", **fields)

    return make


@pytest.fixture
def make_staff(db):
    """A staff account in the Editors or Reporters group (no password: tests use force_login)."""

    def make(username, role="Reporters", **fields):
        fields.setdefault("first_name", username.capitalize())
        user = get_user_model().objects.create_user(username, is_staff=True, **fields)
        user.groups.add(Group.objects.get(name=role))
        return user

    return make


@pytest.fixture
def editor_user(make_staff):
    return make_staff("redaktor", "Editors", first_name="Айгерим", last_name="Сапарова")


@pytest.fixture
def reporter(make_staff):
    return make_staff("korr", "Reporters", first_name="Данияр", last_name="Ахметов")


@pytest.fixture
def colleague(make_staff):
    return make_staff("kollega", "Reporters", first_name="Ольга", last_name="Ким")


@pytest.fixture
def make_photo(db, django_capture_on_commit_callbacks):
    """A photo of the library from a picture drawn in memory, its renditions drawn as after an
    upload."""

    def make(caption="Байтерек на закате", size=(800, 450), tags=(), fmt="JPEG", **fields):
        fields.setdefault("alt", "Монумент Байтерек")
        extension = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[fmt]
        with django_capture_on_commit_callbacks(execute=True):
            photo = Photo.from_file(
                upload(f"photo.{extension}", picture_bytes(size, fmt)), caption=caption, **fields
            )
            photo.save()
            if tags:
                photo.tags.add(*tags)
        return photo

    return make


@pytest.fixture
def dead_cache(settings):
    """The cache is Redis, and Redis is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
