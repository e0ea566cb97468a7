"""Sections of the site: the navigation and the home page's blocks."""

from collections import defaultdict

from django.db import connections, models
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .slugged import SluggedModel


class SectionQuerySet(models.QuerySet):
    def with_latest_stories(self, count):
        """``(section, stories)`` pairs with each section's newest published stories.

        Two queries whatever the number of sections and stories. Where the database can (on
        PostgreSQL), the first reads each section's newest ``count`` through the partial index
        on published stories by section and date, one short index scan per section; elsewhere
        a window function ranks every published story by section.
        """
        from .stories import Story  # stories.py imports Section

        sections = list(self)
        published = Story.objects.published()
        if connections[published.db].features.supports_slicing_ordering_in_compound:
            newest = [
                published.filter(section=section)
                .order_by("-published_at", "-pk")
                .values_list("pk", flat=True)[:count]
                for section in sections
            ]
            if not newest:
                return []
            picked = newest[0].union(*newest[1:], all=True)
        else:
            picked = (
                published.filter(section__in=sections)
                .annotate(
                    rank=Window(
                        RowNumber(),
                        partition_by=F("section_id"),
                        order_by=[F("published_at").desc(), F("pk").desc()],
                    )
                )
                .filter(rank__lte=count)
                .values_list("pk", flat=True)
            )
        by_section = defaultdict(list)
        for story in Story.objects.filter(pk__in=picked).for_listing().with_photos():
            by_section[story.section_id].append(story)
        return [(section, by_section[section.pk]) for section in sections if by_section[section.pk]]


class Section(SluggedModel):
    name = models.CharField(_("name"), max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Order in the site navigation, smallest first.")
    )
    description = models.TextField(_("description"), blank=True)

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def get_absolute_url(self):
        return reverse("articles:section", args=[self.slug])

    def get_rss_url(self):
        return reverse("articles:section-rss", args=[self.slug])

    def get_atom_url(self):
        return reverse("articles:section-atom", args=[self.slug])
