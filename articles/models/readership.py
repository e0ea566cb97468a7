"""How much stories are read: views per story per hour, and the «Most read» ranking.

Views reach these tables in batches (``articles/readership.py`` counts them in the cache), so a
page view never writes to the database. The ranking is recomputed with every batch and read by
pages in one small query; it survives the cache being emptied or down.
"""

from django.db import models, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import pagecache
from .stories import Story

# The stories ranked, and the window the ranking counts views in.
RANKED = 10
WINDOW = timezone.timedelta(hours=24)
# Hourly counts older than this are deleted by the flush.
KEEP = timezone.timedelta(days=8)


def hour_of(moment):
    return moment.replace(minute=0, second=0, microsecond=0)


class StoryViewsQuerySet(models.QuerySet):
    def add(self, counts):
        """Add ``{(story_pk, hour): views}`` to the hourly counts, in two queries a batch;
        counts of stories deleted meanwhile are dropped. Returns how many views were added."""
        story_pks = set(Story.objects.filter(pk__in={pk for pk, _hour in counts}).values_list(
            "pk", flat=True
        ))  # fmt: skip
        counts = {key: views for key, views in counts.items() if key[0] in story_pks and views > 0}
        if not counts:
            return 0
        with transaction.atomic():
            existing = {
                (row.story_id, row.hour): row
                for row in self.select_for_update().filter(
                    story_id__in={pk for pk, _hour in counts}, hour__in={h for _pk, h in counts}
                )
            }
            new, changed = [], []
            for (pk, hour), views in counts.items():
                row = existing.get((pk, hour))
                if row is None:
                    new.append(StoryViews(story_id=pk, hour=hour, views=views))
                else:
                    row.views += views
                    changed.append(row)
            self.bulk_create(new)
            self.bulk_update(changed, ["views"])
        return sum(counts.values())

    def prune(self, now=None):
        return self.filter(hour__lt=(now or timezone.now()) - KEEP).delete()[0]


class StoryViews(models.Model):
    """How many times readers opened a story within one hour."""

    story = models.ForeignKey(
        Story, verbose_name=_("story"), on_delete=models.CASCADE, related_name="hourly_views"
    )
    hour = models.DateTimeField(_("hour"))
    views = models.PositiveIntegerField(_("views"), default=0)

    objects = StoryViewsQuerySet.as_manager()

    class Meta:
        verbose_name = _("story views")
        verbose_name_plural = _("story views")
        constraints = [
            models.UniqueConstraint(fields=["story", "hour"], name="storyviews_story_hour_unique")
        ]
        indexes = [models.Index(fields=["hour"], name="storyviews_hour_idx")]

    def __str__(self):
        return f"{self.story_id} @ {self.hour:%Y-%m-%d %H}: {self.views}"


class MostReadQuerySet(models.QuerySet):
    def rank(self, now=None):
        """Rank the published stories most viewed in the last ``WINDOW`` (by whole hours)."""
        since = hour_of(now or timezone.now()) - WINDOW + timezone.timedelta(hours=1)
        top = (
            StoryViews.objects.filter(hour__gte=since, story__in=Story.objects.published())
            .values("story")
            .annotate(total=Sum("views"))
            .order_by("-total", "-story")[:RANKED]
        )
        ranking = [
            MostRead(story_id=row["story"], rank=rank, views=row["total"])
            for rank, row in enumerate(top, start=1)
        ]
        with transaction.atomic():
            before = list(self.order_by("rank").values_list("story_id", flat=True))
            self.all().delete()
            self.bulk_create(ranking)
            if before != [row.story_id for row in ranking]:
                pagecache.site_changed()  # the «Most read» block on cached pages
        return ranking


class MostRead(models.Model):
    """The «Most read» ranking as of the last batch of views."""

    story = models.OneToOneField(
        Story,
        verbose_name=_("story"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="most_read",
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    views = models.PositiveIntegerField(_("views in 24 hours"))

    objects = MostReadQuerySet.as_manager()

    class Meta:
        ordering = ["rank"]
        verbose_name = _("most read story")
        verbose_name_plural = _("most read stories")

    def __str__(self):
        return f"{self.rank}. {self.story_id} ({self.views})"
