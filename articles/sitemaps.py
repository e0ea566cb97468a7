"""Sitemaps for search engines: an index, stories, sections, tags, newsmakers, and Google News.

Only what readers may see is listed (``Story.objects.published()``), so a scheduled story
appears at its time. ``lastmod`` is the last edit of the story, or of the newest story on a
section's, tag's or newsmaker's page.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.utils import timezone

from .models import Newsmaker, Section, Story, Tag

NEWS_WINDOW = timezone.timedelta(days=2)
NEWS_LIMIT = 1000  # Google News reads at most this many stories per sitemap
STORIES_PER_SITEMAP = 1000


class StorySitemap(Sitemap):
    # A thousand addresses a page, so that each page costs the same however big the archive:
    # the index lists as many pages as it takes.
    limit = STORIES_PER_SITEMAP

    def items(self):
        return (
            Story.objects.published()
            .select_related("section")
            .only("pk", "slug", "updated_at", "published_at", "section__slug")
            .order_by("-published_at", "-pk")
        )

    def lastmod(self, story):
        return story.updated_at

    def get_latest_lastmod(self):
        # Django's default reads every item; one aggregate is enough.
        return Story.objects.published().aggregate(latest=Max("updated_at"))["latest"]


class NewsSitemap(StorySitemap):
    """Stories of the last two days, with the ``news:`` fields (template
    ``sitemaps/news.xml``)."""

    limit = NEWS_LIMIT

    def items(self):
        since = timezone.now() - NEWS_WINDOW
        return (
            Story.objects.published()
            .filter(published_at__gte=since)
            .select_related("section")
            .only("pk", "slug", "headline", "updated_at", "published_at", "section__slug")
            .order_by("-published_at", "-pk")[:NEWS_LIMIT]
        )

    def get_latest_lastmod(self):
        since = timezone.now() - NEWS_WINDOW
        stories = Story.objects.published().filter(published_at__gte=since)
        return stories.aggregate(latest=Max("updated_at"))["latest"]


class _PageSitemap(Sitemap):
    """Pages listing published stories: only those that list at least one."""

    model = None
    path = ""  # from the model to Story

    def items(self):
        published = Story.objects.published()
        return (
            self.model.objects.filter(**{f"{self.path}__in": published})
            .annotate(latest=Max(f"{self.path}__updated_at"))
            .order_by("pk")
        )

    def lastmod(self, obj):
        return obj.latest

    def get_latest_lastmod(self):
        return self.items().aggregate(newest=Max("latest"))["newest"]


class SectionSitemap(_PageSitemap):
    model = Section
    path = "stories"


class TagSitemap(_PageSitemap):
    model = Tag
    path = "tagged_stories__content_object"


class NewsmakerSitemap(_PageSitemap):
    model = Newsmaker
    path = "quotes__story"


SITEMAPS = {
    "stories": StorySitemap,
    "news": NewsSitemap,
    "sections": SectionSitemap,
    "tags": TagSitemap,
    "newsmakers": NewsmakerSitemap,
}
