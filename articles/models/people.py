"""Who stories quote and cite: newsmakers and sources."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .slugged import SluggedModel


class Newsmaker(SluggedModel):
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(
        _("role"), max_length=200, blank=True, help_text=_("For example: President of Kazakhstan.")
    )
    photo = models.ImageField(_("photo"), upload_to="newsmakers/%Y/", blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("newsmaker")
        verbose_name_plural = _("newsmakers")

    def get_absolute_url(self):
        return reverse("articles:newsmaker", args=[self.slug])

    def get_rss_url(self):
        return reverse("articles:newsmaker-rss", args=[self.slug])

    def get_atom_url(self):
        return reverse("articles:newsmaker-atom", args=[self.slug])


class Source(SluggedModel):
    name = models.CharField(_("name"), max_length=200, unique=True)
    url = models.URLField(_("address"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def get_absolute_url(self):
        return reverse("articles:source", args=[self.slug])
