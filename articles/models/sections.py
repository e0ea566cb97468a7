"""Sections of the site: the navigation and the home page's blocks."""

from collections import defaultdict

from django.db import models
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .slugged import SluggedModel


class SectionQuerySet(models.QuerySet):
    def with_latest_stories(self, count):
        """``(section, stories)`` pairs with each section's newest published stories.

        Two queries whatever the number of sections: a window function ranks stories per section.
        """
        from .stories import Story  # stories.py imports Section

        ranked = (
            Story.objects.published()
            .filter(section__in=self)
            .annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=F("section_id"),
                    order_by=[F("published_at").desc(), F("pk").desc()],
                )
            )
            .filter(rank__lte=count)
            .select_related("section")
            .order_by("-published_at", "-pk")
        )
        by_section = defaultdict(list)
        for story in ranked:
            by_section[story.section_id].append(story)
        return [(section, by_section[section.pk]) for section in self if by_section[section.pk]]


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
