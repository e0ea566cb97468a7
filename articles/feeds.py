"""RSS 2.0 and Atom feeds: the latest stories, each section, each tag, the latest quotes and
each newsmaker's quotes.

Every feed starts from ``Story.objects.published()``. Items carry the full lede, the authors,
the section and tags as categories, the main photo as an enclosure, and a stable id (the short
link), so a corrected headline does not show up as a new item in feed readers.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from .models import Newsmaker, Quote, Section, Story, Tag

FEED_SIZE = 30


@dataclass
class Subject:
    """What a feed is about (None for the latest news) and the address of the site that asks,
    for the absolute addresses Django's feed classes do not make by themselves."""

    obj: object
    base: str

    def absolute(self, path):
        return self.base + path


class StoryFeed(Feed):
    """Stories, newest first; subclasses choose which."""

    feed_type = Rss201rev2Feed
    language = settings.LANGUAGE_CODE

    def get_object(self, request, *args, **kwargs):
        return Subject(self.get_subject(*args, **kwargs), request.build_absolute_uri("/")[:-1])

    def get_subject(self):
        return None

    def stories(self, subject):
        return Story.objects.published()

    def items(self, subject):
        stories = list(
            self.stories(subject.obj)
            .for_listing()
            .with_photos()
            .prefetch_related("authors", "tags")[:FEED_SIZE]
        )
        for story in stories:
            story.feed_subject = subject
        return stories

    def author_name(self):
        return settings.SITE_NAME

    def feed_url(self, subject):
        return subject.absolute(self.self_url(subject.obj))

    def item_title(self, story):
        return story.headline

    def item_description(self, story):
        # RSS descriptions and Atom summaries are HTML to feed readers: the lede is text.
        return escape(story.lede)

    def item_link(self, story):
        return story.get_absolute_url()

    def item_guid(self, story):
        return story.feed_subject.absolute(story.get_short_url())

    item_guid_is_permalink = False

    def item_pubdate(self, story):
        return story.published_at

    def item_updateddate(self, story):
        return max(story.updated_at, story.published_at)

    def item_author_name(self, story):
        names = [user.get_full_name() or user.get_username() for user in story.authors.all()]
        return ", ".join(names) or settings.SITE_NAME

    def item_categories(self, story):
        return [story.section.name, *(tag.name for tag in story.tags.all())]

    def item_enclosures(self, story):
        """The story's photo, as wide as pages show it (a JPEG every reader takes)."""
        rendition = story.photo.largest_jpeg() if story.photo_id else None
        if rendition is None:
            return []
        url = story.feed_subject.absolute(rendition.url)
        return [Enclosure(url, str(rendition.size), rendition.type)]


class LatestFeed(StoryFeed):
    def title(self):
        return _("%(site)s: latest news") % {"site": settings.SITE_NAME}

    def link(self):
        return reverse("articles:latest")

    def description(self):
        return _("The latest news of Kazakhstan and the world.")

    def self_url(self, obj):
        return reverse("articles:feed-rss")


class SectionFeed(StoryFeed):
    def get_subject(self, slug):
        return get_object_or_404(Section, slug=slug)

    def stories(self, section):
        return section.stories.published()

    def title(self, subject):
        return f"{settings.SITE_NAME}: {subject.obj.name}"

    def link(self, subject):
        return subject.obj.get_absolute_url()

    def description(self, subject):
        return subject.obj.description or subject.obj.name

    def self_url(self, section):
        return section.get_rss_url()


class TagFeed(StoryFeed):
    def get_subject(self, slug):
        return get_object_or_404(Tag, slug=slug)

    def stories(self, tag):
        return Story.objects.published().filter(tags=tag)

    def title(self, subject):
        return f"{settings.SITE_NAME}: {subject.obj.name}"

    def link(self, subject):
        return subject.obj.get_absolute_url()

    def description(self, subject):
        return _("Stories tagged «%(name)s».") % {"name": subject.obj.name}

    def self_url(self, tag):
        return tag.get_rss_url()


class QuoteFeed(StoryFeed):
    """Quotes, newest first, each linking to its place in its story; subclasses choose which."""

    def quotes(self, subject):
        return Quote.objects.published()

    def items(self, subject):
        quotes = list(self.quotes(subject.obj).for_listing()[:FEED_SIZE])
        for quote in quotes:
            quote.feed_subject = subject
        return quotes

    def item_title(self, quote):
        text = quote.text if len(quote.text) <= 100 else quote.text[:99] + "…"
        return f"{quote.speaker.name}: «{text}»" if quote.speaker else f"«{text}»"

    def item_description(self, quote):
        return escape(f"«{quote.text}»" + (f" — {quote.context}" if quote.context else ""))

    def item_link(self, quote):
        return quote.get_absolute_url()

    def item_guid(self, quote):
        return quote.feed_subject.absolute(f"{quote.story.get_short_url()}#quote-{quote.pk}")

    def item_pubdate(self, quote):
        return quote.story.published_at

    def item_updateddate(self, quote):
        return max(quote.story.updated_at, quote.story.published_at)

    def item_author_name(self, quote):
        return quote.speaker.name if quote.speaker else settings.SITE_NAME

    def item_categories(self, quote):
        return [quote.story.section.name]

    def item_enclosures(self, quote):
        return []


class LatestQuotesFeed(QuoteFeed):
    """The latest quotes site-wide (``/quotes/``)."""

    def title(self):
        return _("%(site)s: quotes") % {"site": settings.SITE_NAME}

    def link(self):
        return reverse("articles:quotes")

    def description(self):
        return _("What newsmakers said, in the words of the stories that quote them.")

    def self_url(self, obj):
        return reverse("articles:quotes-rss")


class NewsmakerQuotesFeed(QuoteFeed):
    """A newsmaker's quotes (their archive page)."""

    def get_subject(self, slug):
        return get_object_or_404(Newsmaker, slug=slug)

    def quotes(self, newsmaker):
        return Quote.objects.published().filter(speaker=newsmaker)

    def title(self, subject):
        return _("%(site)s: quotes of %(name)s") % {
            "site": settings.SITE_NAME,
            "name": subject.obj.name,
        }

    def link(self, subject):
        return subject.obj.get_absolute_url()

    def description(self, subject):
        return subject.obj.role or subject.obj.name

    def self_url(self, newsmaker):
        return newsmaker.get_rss_url()


def atom(feed_class):
    """The Atom twin of an RSS feed class."""

    class AtomFeed(feed_class):
        feed_type = Atom1Feed

        def subtitle(self, subject):
            return self._get_dynamic_attr("description", subject)

        def self_url(self, obj):
            return super().self_url(obj).replace("/rss.xml", "/atom.xml")

    AtomFeed.__name__ = AtomFeed.__qualname__ = f"Atom{feed_class.__name__}"
    return AtomFeed
