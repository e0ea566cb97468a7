"""Sitemaps for search engines: an index, stories, sections, tags, newsmakers, and Google News.

Only what readers may see is listed (``Story.objects.published()``), so a scheduled story
appears at its time. ``lastmod`` is the last edit of the story, or of the newest story on a
section's, tag's or newsmaker's page.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from .models import Newsmaker, Quote, Section, Story, Tag, TaggedStory

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

    def listed_stories(self):
        """The published stories these pages list."""
        return Story.objects.published()

    def lists_a_story(self):
        """Whether a page (``OuterRef("pk")``) lists a published story."""
        raise NotImplementedError

    @property
    def paginator(self):
        # How many pages there are, each asked whether it lists a story (an index probe),
        # rather than grouping every story of every page.
        paginator = super().paginator
        paginator.count = self.model.objects.filter(self.lists_a_story()).count()
        return paginator

    def get_latest_lastmod(self):
        # The newest edit among the stories listed, read backwards through the partial index on
        # published stories' last edit: a few rows, where grouping every page read them all.
        return (
            self.listed_stories()
            .order_by("-updated_at")
            .values_list("updated_at", flat=True)
            .first()
        )


class SectionSitemap(_PageSitemap):
    model = Section
    path = "stories"

    def lists_a_story(self):
        return Exists(Story.objects.published().filter(section=OuterRef("pk")))


class TagSitemap(_PageSitemap):
    model = Tag
    path = "tagged_stories__content_object"

    def listed_stories(self):
        tagged = TaggedStory.objects.filter(content_object=OuterRef("pk"))
        return super().listed_stories().filter(Exists(tagged))

    def lists_a_story(self):
        published = Story.objects.published().values("pk")
        return Exists(TaggedStory.objects.filter(tag=OuterRef("pk"), content_object__in=published))


class NewsmakerSitemap(_PageSitemap):
    model = Newsmaker
    path = "quotes__story"

    def listed_stories(self):
        quoted = Quote.objects.filter(story=OuterRef("pk"), speaker__isnull=False)
        return super().listed_stories().filter(Exists(quoted))

    def lists_a_story(self):
        published = Story.objects.published().values("pk")
        return Exists(Quote.objects.filter(speaker=OuterRef("pk"), story__in=published))


SITEMAPS = {
    "stories": StorySitemap,
    "news": NewsSitemap,
    "sections": SectionSitemap,
    "tags": TagSitemap,
    "newsmakers": NewsmakerSitemap,
}
